// The review pass: a person (the tutor over recall mcp, or the learner in a
// terminal) reviews each card once, flagged cards first, approving,
// rewriting or retiring it, and adds cards of their own. Every batch is one
// transaction: an item that cannot be applied changes nothing and is named.
// What a review decided holds through every import, `deck generate` and
// sync (importer.h, deck.h). Cards flagged "review" wait until reviewed
// before the drill introduces them, unless setting "drafts" is "drill".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recall/day.h"
#include "recall/store.h"

namespace recall {

enum class Reviewer { kTutor, kLearner };
std::string_view to_string(Reviewer reviewer);  // "tutor" / "learner"

std::vector<Card> approve_cards(Store& store, const std::vector<long long>& ids, Reviewer by,
                                Day today);
std::vector<Card> edit_cards(Store& store, const std::vector<Store::CardEdit>& edits, Reviewer by,
                             Day today);
std::vector<Card> retire_cards(Store& store, const std::vector<long long>& ids,
                               const std::string& reason, Reviewer by, Day today);
// Each card with its own reason, in one transaction.
std::vector<Card> retire_cards(Store& store, const std::vector<Store::Retirement>& items,
                               Reviewer by, Day today);
std::vector<Card> add_cards(Store& store, const std::vector<Store::NewCard>& cards, Reviewer by,
                            Day today);

// The cards the review pass has still to cover (Store::review_queue), at
// most `limit` (1..1000), and how many there are in all.
struct ReviewPass {
  std::vector<Store::ReviewItem> items;
  Store::ReviewCounts counts;
};
// `by_topic`: whole topics instead, in the order the queue reaches each
// (its first card), the queue's order within a topic, as many as fit in
// `limit` (the first topic always, cut at `limit` when it alone is larger);
// a topic's key points on its first card only (the others' topic_points
// empty): a batch a reviewer reads topic by topic, the points once.
ReviewPass cards_to_review(Store& store, int limit, bool by_topic = false);

// The drafts the drill holds back now: counts.drafts while setting "drafts"
// is "wait", else none.
int drafts_waiting(const ReviewCounts& counts);
// Whether the drill holds `card` back for a review (setting "drafts" is
// "wait" and it is a never-studied card flagged "review", not retired).
bool waits_for_review(const Card& card, const ReviewCounts& counts);

// Cards by text, topic and domain, for the ids record_answer and edit_card
// take. At least one of the three is needed; a topic or domain that does
// not exist is an error naming those that do (drill.h resolve_filter).
struct CardQuery {
  std::optional<std::string> text;
  std::optional<std::string> topic;  // label, any case
  std::optional<char> domain;        // letter, any case
  bool include_retired = false;
  int limit = 50;
};
std::vector<Card> find_cards(Store& store, const CardQuery& query);

}  // namespace recall
