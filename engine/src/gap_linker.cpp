// The two ways to find the cards a gap's words name (feedback.h): over a
// list of cards (CardGapLinker, the rules' own) and through the store's
// indexes (StoreGapLinker, what feedback_for uses on a database). Both read
// the words as gap_words.h says, and name the same cards.
#include <algorithm>

#include "gap_words.h"
#include "recall/feedback.h"
#include "recall/store.h"

namespace recall {

using gap_words::kDash;
using gap_words::label_tokens;
using gap_words::subject_of;
using gap_words::term_of;
using gap_words::topic_name;

namespace {

// `more` added to `ids`, each id once.
void add_each(std::vector<long long>& ids, const std::vector<long long>& more) {
  for (long long id : more)
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

}  // namespace

// A gap names a card by its subject, or by its subject's term followed by a
// dash: both looked up, not recomputed for every card and gap (100k cards x
// 100 gaps took 0.9 s). Keys are views into the cards' sources (or into
// `fronts_`, the subjects of cards without one): 200k key strings cost more
// than the lookups. A gap whose words start with a topic's label and title
// ("A.8 Evaluation Metrics - AUC-ROC: ...", as recall names its lines)
// concerns that topic's cards.
CardGapLinker::CardGapLinker(const std::vector<Card>& cards) {
  by_subject_.reserve(cards.size());
  by_term_.reserve(cards.size());
  for (const auto& card : cards) {
    if (card.retired) continue;
    const std::string_view subject = card.source.empty()
                                         ? std::string_view(fronts_.emplace_back(subject_of(card.source, card.front)))
                                         : card.source;
    by_term_[term_of(subject)].push_back(card.id);
    by_subject_[subject].push_back(card.id);
    if (card.topic_id && !card.topic_label.empty()) {
      by_topic_name_[topic_name(card.topic_label, card.topic_title)].push_back(card.id);
      LabelCards& label = by_label_[card.topic_label];
      if (label.topic && label.topic != card.topic_id) label.unique = false;
      label.topic = card.topic_id;
      label.cards.push_back(card.id);
    }
  }
  // Each name by its first kHead bytes, so a gap's words are searched for
  // names at each of their positions, not for each of 10,000 names.
  for (const auto& entry : by_topic_name_) {
    if (entry.first.size() < kHead)
      short_names_.push_back(&entry);
    else
      by_name_head_[std::string_view(entry.first).substr(0, kHead)].push_back(&entry);
  }
}

std::vector<long long> cards_of_gap(const GapLinker& linker, std::string_view base,
                                    const GapRow& gap) {
  std::vector<long long> ids = linker.link(base, gap.card_ids);
  if (!gap.unlinked_ids.empty())
    std::erase_if(ids, [&](long long id) {
      return std::binary_search(gap.unlinked_ids.begin(), gap.unlinked_ids.end(), id);
    });
  return ids;
}

std::vector<long long> CardGapLinker::link(std::string_view base,
                                           std::vector<long long> ids) const {
  auto link = [&ids](const std::vector<long long>& more) { add_each(ids, more); };
  if (const auto found = by_subject_.find(base); found != by_subject_.end()) link(found->second);
  // base starts with term + dash: the term is what precedes one of its dashes.
  for (auto dash = base.find(kDash); dash != std::string_view::npos;
       dash = base.find(kDash, dash + 1))
    if (const auto found = by_term_.find(base.substr(0, dash)); found != by_term_.end())
      link(found->second);
  // Naming a topic: its label and title, or its label alone where no other
  // topic has that label ("A.8: still swaps the ROC axes").
  for (const auto* entry : short_names_)
    if (base.find(entry->first) != std::string_view::npos) link(entry->second);
  for (std::size_t at = 0; at + kHead <= base.size(); ++at)
    if (const auto found = by_name_head_.find(base.substr(at, kHead)); found != by_name_head_.end())
      for (const auto* entry : found->second)
        if (base.substr(at, entry->first.size()) == entry->first) link(entry->second);
  for (const std::string_view token : label_tokens(base))
    if (const auto found = by_label_.find(token); found != by_label_.end() && found->second.unique)
      link(found->second.cards);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The store's way, in the same steps as CardGapLinker::link: a card whose
// subject is `base` (its source, from cards_source; one without a source by
// its question's first line); one whose subject's term is what precedes one
// of the dashes of `base` (a term is its source's head, so the source starts
// with it: a range of cards_source, then term_of); a labelled topic whose
// name `base` holds; a label token of `base` that one topic with cards has.
const std::vector<long long>& StoreGapLinker::named(std::string_view base) const {
  if (const auto found = named_.find(base); found != named_.end()) return found->second;
  std::vector<long long> ids;
  const auto add = [&ids](long long id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };
  if (!unsourced_) {
    // Kept only once read whole (a read that throws leaves it to read again).
    std::vector<std::pair<long long, std::string>> read;
    for (auto& card : store_.live_cards_without_source())
      read.emplace_back(card.id, subject_of("", card.words));
    unsourced_ = std::move(read);
  }
  // By subject.
  if (!base.empty())
    for (const auto& card : store_.live_cards_with_source_prefix(base))
      if (card.words == base) add(card.id);
  for (const auto& [id, subject] : *unsourced_)
    if (subject == base) add(id);
  // By term, before a dash. A source whose term is empty starts with a space
  // (a colon first is a term of its own): the range of " ", never every card.
  for (auto dash = base.find(kDash); dash != std::string_view::npos;
       dash = base.find(kDash, dash + 1)) {
    const std::string_view term = base.substr(0, dash);
    for (const auto& card : store_.live_cards_with_source_prefix(term.empty() ? " " : term))
      if (term_of(card.words) == term) add(card.id);
    for (const auto& [id, subject] : *unsourced_)
      if (term_of(subject) == term) add(id);
  }
  // By a topic's name or its label alone.
  load_topics();
  const auto topic_cards = [this](long long topic) -> const std::vector<long long>& {
    auto found = topic_cards_.find(topic);
    if (found == topic_cards_.end())
      found = topic_cards_.emplace(topic, store_.live_card_ids_of_topic(topic)).first;
    return found->second;
  };
  // Each name by its first kHead bytes: the words are searched for names at
  // each of their positions, not for each of 10,000 names.
  const auto name_at = [&](const TopicRef& topic, std::size_t at) {
    if (base.substr(at, topic.name.size()) == topic.name)
      for (long long id : topic_cards(topic.id)) add(id);
  };
  for (const std::size_t t : short_topics_)
    if (base.find(topics_[t].name) != std::string_view::npos)
      for (long long id : topic_cards(topics_[t].id)) add(id);
  for (std::size_t at = 0; at + kHead <= base.size(); ++at)
    if (const auto found = topics_by_head_.find(std::string(base.substr(at, kHead)));
        found != topics_by_head_.end())
      for (const std::size_t t : found->second) name_at(topics_[t], at);
  for (const std::string_view token : label_tokens(base)) {
    const auto found = topics_by_label_.find(token);
    if (found == topics_by_label_.end()) continue;
    const std::vector<long long>* only = nullptr;
    int with_cards = 0;
    for (long long topic : found->second)
      if (const auto& cards = topic_cards(topic); !cards.empty()) {
        ++with_cards;
        only = &cards;
      }
    if (with_cards == 1)
      for (long long id : *only) add(id);
  }
  return named_.emplace(std::string(base), std::move(ids)).first->second;
}

void StoreGapLinker::load_topics() const {
  if (topics_loaded_) return;
  // Built aside and kept only once read whole (a read that throws leaves it
  // to read again).
  std::vector<TopicRef> topics;
  std::map<std::string, std::vector<long long>, std::less<>> by_label;
  std::unordered_map<std::string, std::vector<std::size_t>> by_head;
  std::vector<std::size_t> short_topics;
  for (auto& topic : store_.labelled_topics()) {
    by_label[topic.label].push_back(topic.id);
    topics.push_back({topic.id, topic_name(topic.label, topic.title)});
  }
  for (std::size_t t = 0; t < topics.size(); ++t) {
    const std::string& name = topics[t].name;
    if (name.size() < kHead)
      short_topics.push_back(t);
    else
      by_head[name.substr(0, kHead)].push_back(t);
  }
  topics_ = std::move(topics);
  topics_by_label_ = std::move(by_label);
  topics_by_head_ = std::move(by_head);
  short_topics_ = std::move(short_topics);
  topics_loaded_ = true;
}

std::vector<long long> StoreGapLinker::link(std::string_view base,
                                            std::vector<long long> ids) const {
  add_each(ids, named(base));
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace recall
