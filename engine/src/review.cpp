#include "recall/review.h"

#include <map>

#include "recall/drill.h"
#include "recall/error.h"

namespace recall {

std::string_view to_string(Reviewer reviewer) {
  return reviewer == Reviewer::kTutor ? "tutor" : "learner";
}

namespace {

std::string who(Reviewer by) { return std::string(to_string(by)); }

void require_items(std::size_t count, const char* list) {
  if (count == 0) throw Error::usage(std::string(list) + ": the batch is empty");
  if (count > 1000) throw Error::usage(std::string(list) + ": more than 1000 items in one batch");
}

}  // namespace

std::vector<Card> approve_cards(Store& store, const std::vector<long long>& ids, Reviewer by,
                                Day today) {
  require_items(ids.size(), "ids");
  return store.approve_cards(ids, who(by), today);
}

std::vector<Card> edit_cards(Store& store, const std::vector<Store::CardEdit>& edits, Reviewer by,
                             Day today) {
  require_items(edits.size(), "edits");
  return store.edit_cards(edits, who(by), today);
}

std::vector<Card> retire_cards(Store& store, const std::vector<long long>& ids,
                               const std::string& reason, Reviewer by, Day today) {
  require_items(ids.size(), "ids");
  return store.retire_cards(ids, reason, who(by), today);
}

std::vector<Card> retire_cards(Store& store, const std::vector<Store::Retirement>& items,
                               Reviewer by, Day today) {
  require_items(items.size(), "retire");
  return store.retire_cards(items, who(by), today);
}

std::vector<Card> add_cards(Store& store, const std::vector<Store::NewCard>& cards, Reviewer by,
                            Day today) {
  require_items(cards.size(), "cards");
  return store.add_cards(cards, who(by), today);
}

ReviewPass cards_to_review(Store& store, int limit, bool by_topic) {
  if (limit < 1 || limit > 1000) throw Error::usage("limit: must be from 1 to 1000");
  return {store.review_queue(limit, by_topic), store.review_counts()};
}

int drafts_waiting(const ReviewCounts& counts) { return counts.drafts_wait ? counts.drafts : 0; }

bool waits_for_review(const Card& card, const ReviewCounts& counts) {
  return counts.drafts_wait && !card.retired && card.quality == "review" && !card.state.due_day;
}

std::vector<Card> find_cards(Store& store, const CardQuery& query) {
  if (!query.text && !query.topic && !query.domain)
    throw Error::usage("find: give a query, a topic or a domain");
  if (query.text && query.text->find_first_not_of(" \t") == std::string::npos)
    throw Error::usage("query: must not be blank");
  CardFilter filter;
  filter.topic_label = query.topic;
  filter.domain_letter = query.domain;
  const CardFilter resolved = resolve_filter(store, filter);
  return store.find_cards(query.text, resolved.topic_label, resolved.domain_letter,
                          query.include_retired, query.limit);
}

}  // namespace recall
