// Key points become cards; see docs/cards.md for the rules with examples.
// Identity keys and matching are in identity.cpp (rule in recall/identity.h).
//
// Everything here is a hand-written scanner (no std::regex): imports of
// 60,000 points must stay linear.

#include "recall/cards.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "cardgen/drafts.h"
#include "cardgen/term_index.h"
#include "recall/error.h"
#include "recall/text.h"

namespace recall {
namespace {

using cardgen::clean_key_point;
using cardgen::CleanPoint;
using cardgen::TermIndex;

}  // namespace

// ---------------------------------------------------------------------------
// Public API

std::string_view to_string(CardKind kind) {
  switch (kind) {
    case CardKind::kDefinition:
      return "definition";
    case CardKind::kCloze:
      return "cloze";
    case CardKind::kComparison:
      return "comparison";
    case CardKind::kChain:
      return "chain";
    case CardKind::kComplete:
      return "complete";
    case CardKind::kTopic:
      return "topic";
    case CardKind::kChecklist:
      return "checklist";
    case CardKind::kGap:
      return "gap";
    case CardKind::kEnumeration:
      return "enumeration";
    case CardKind::kReason:
      return "reason";
    case CardKind::kMechanism:
      return "mechanism";
    case CardKind::kProcedure:
      return "procedure";
    case CardKind::kCaveat:
      return "caveat";
    case CardKind::kDiscrimination:
      return "discrimination";
  }
  return "complete";
}

CardKind card_kind_from_string(std::string_view name) {
  for (CardKind kind :
       {CardKind::kDefinition, CardKind::kCloze, CardKind::kComparison, CardKind::kChain,
        CardKind::kComplete, CardKind::kTopic, CardKind::kChecklist, CardKind::kGap,
        CardKind::kEnumeration, CardKind::kReason, CardKind::kMechanism, CardKind::kProcedure,
        CardKind::kCaveat, CardKind::kDiscrimination}) {
    if (to_string(kind) == name) return kind;
  }
  throw Error::data("unknown card kind '" + std::string(name) + "'");
}

std::vector<CardDraft> make_cards(const Tracker& tracker,
                                  std::vector<std::vector<std::size_t>>* gap_links,
                                  const std::set<std::string>& recall_lines) {
  std::vector<CardDraft> cards;
  std::size_t points = 0;
  for (const Topic& topic : tracker.topics) points += topic.key_points.size();
  cards.reserve(points + tracker.checklist.size() + 2 * tracker.gaps.size());
  const std::vector<std::string> keys = topic_keys(tracker.topics);
  // The topics themselves make no card (an outline, "Walk me through X in N
  // key ideas", read GOOD 0 times of 57: recite-a-list with many valid
  // outlines). Their titles still say what a gap or a checklist item is
  // about: `topics` holds one entry per topic (kind kTopic, title, key,
  // domain) for the title index, and `ranges` its point cards in `cards`.
  std::vector<CardDraft> topics;
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  topics.reserve(tracker.topics.size());
  ranges.reserve(tracker.topics.size());
  // A topic's point cards, then the gap cards of its "Review needed"
  // remarks (filed under the topic, with no topic in their identity or the
  // deck).
  for (std::size_t t = 0; t < tracker.topics.size(); ++t) {
    const Topic& topic = tracker.topics[t];
    const std::string context = cardgen::context_line(topic);
    std::vector<CleanPoint> cleaned;
    cleaned.reserve(topic.key_points.size());
    // A point's sentences about the learner and its markdown emphasis are
    // no part of its card (the card keeps the point's identity: its source
    // is the point as written).
    std::vector<std::string> facts(topic.key_points.size());
    for (std::size_t p = 0; p < topic.key_points.size(); ++p) {
      CleanPoint clean = cardgen::clean_key_point(topic.key_points[p]);
      facts[p] = cardgen::without_emphasis(
          clean.remark ? clean.text : cardgen::without_learner_sentences(clean.text));
      if (facts[p] != clean.text) clean.text = facts[p];
      cleaned.push_back(clean);
    }
    // Points that open with the same term ("BYOL: no negatives", "BYOL: an
    // EMA target") each say one thing about it: the term is their subject,
    // on the card's context line, and the rest is the point a rule reads,
    // as a topic's title is for its points.
    const std::vector<std::string> contexts = cardgen::subject_contexts(context, cleaned);
    const cardgen::TopicReading read = cardgen::read_topic(topic.title, context, cleaned);
    const std::size_t first = cards.size();
    std::vector<CardDraft> remarks;
    std::vector<std::size_t> ideas;  // the points with a card of their own
    for (std::size_t p = 0; p < topic.key_points.size(); ++p) {
      if (trim(topic.key_points[p]).empty()) continue;
      auto draft =
          cardgen::point_draft(topic, keys[t], contexts[p], cleaned, read, p, topic.key_points[p]);
      if (!draft) continue;  // a statement about the learner
      if (draft->kind == CardKind::kGap) {
        remarks.push_back(std::move(*draft));
      } else {
        ideas.push_back(p);
        cards.push_back(std::move(*draft));
      }
    }
    for (CardDraft& remark : remarks) cardgen::answer_remark(remark, cards, first, read, ideas);
    topics.push_back(cardgen::topic_entry(topic, keys[t]));
    ranges.emplace_back(first, cards.size());
    cards.insert(cards.end(), std::make_move_iterator(remarks.begin()),
                 std::make_move_iterator(remarks.end()));
  }

  const TermIndex index(cards);
  const TermIndex titles(topics);
  std::vector<CardDraft> extra;
  for (const ChecklistItem& item : tracker.checklist) {
    if (trim(item.text).empty()) continue;
    if (auto d = cardgen::checklist_draft(tracker, item, index, cards, titles, topics, ranges))
      extra.push_back(std::move(*d));
  }
  // Every open gap is drilled: its own card, and for a recurring one a
  // discrimination card; the cards it concerns are tagged "gap-linked".
  if (gap_links) gap_links->assign(tracker.gaps.size(), {});
  for (std::size_t g = 0; g < tracker.gaps.size(); ++g) {
    const Gap& gap = tracker.gaps[g];
    if (gap.tier == GapTier::kResolved || trim(gap.text).empty()) continue;
    const std::vector<std::size_t> links = index.query(gap.text);
    if (gap_links) (*gap_links)[g] = links;
    std::vector<const CardDraft*> related;
    for (std::size_t i : links) related.push_back(&cards[i]);
    for (std::size_t i : links) {
      std::vector<std::string>& tags = cards[i].tags;
      if (std::find(tags.begin(), tags.end(), "gap-linked") == tags.end())
        tags.push_back("gap-linked");
    }
    if (!recall_lines.empty() && recall_lines.count(topic_key(gap.text))) continue;
    const std::size_t own = extra.size();
    extra.push_back(cardgen::gap_draft(gap, related));
    if (gap.recurring) {
      if (auto d = cardgen::discrimination_draft(gap, related)) extra.push_back(std::move(*d));
    }
    // A gap that names a topic and no key point ("System design: always
    // mention label sources" -> the E.34 topic) is filed under that topic.
    if (links.empty())
      if (const std::vector<std::size_t> named = titles.query(gap.text); !named.empty())
        for (std::size_t i = own; i < extra.size(); ++i) {
          if (!extra[i].drills_topic_key.empty()) continue;
          extra[i].drills_topic_key = topics[named.front()].topic_key;
          extra[i].domain_letter = topics[named.front()].domain_letter;
        }
  }
  cards.insert(cards.end(), std::make_move_iterator(extra.begin()),
               std::make_move_iterator(extra.end()));

  for (std::size_t i = 0; i < cards.size(); ++i) {
    cards[i].order = static_cast<int>(i);
    cardgen::apply_rule_confidence(cards[i]);
  }
  make_identities_unique(cards);
  return cards;
}

std::vector<std::size_t> cards_for_gap(const Gap& gap, const std::vector<CardDraft>& cards) {
  return TermIndex(cards).query(gap.text);
}

std::vector<std::vector<std::size_t>> cards_for_gaps(const std::vector<Gap>& gaps,
                                                     const std::vector<CardDraft>& cards) {
  std::vector<std::vector<std::size_t>> links(gaps.size());
  if (gaps.empty()) return links;
  const TermIndex index(cards);
  for (std::size_t i = 0; i < gaps.size(); ++i) links[i] = index.query(gaps[i].text);
  return links;
}

}  // namespace recall
