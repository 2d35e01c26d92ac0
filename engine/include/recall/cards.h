// Key points become cards. Pure functions: a tracker in, card drafts out,
// and the identity rule that lets a card keep its schedule across versions
// of the tracker (renumbered topics, renamed domains, reordering, small edits).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "recall/tracker.h"

namespace recall {

enum class CardKind {
  kDefinition,  // "Term: explanation"     -> explain Term
  kCloze,       // "X = Y", formulas, other points -> hide a part
  kComparison,  // "A vs B"                -> the difference
  kChain,       // "X → Y → Z"             -> what follows
  kComplete,    // fallback: complete the point
  kTopic,       // one per topic: recite the key points
  kChecklist,   // a checklist item: self-graded explain prompt
  kGap,         // a knowledge gap that matched no card
};

std::string_view to_string(CardKind kind);        // "definition", "cloze", ...
CardKind card_kind_from_string(std::string_view);  // throws Error(kData)

// A card as the tracker describes it, before it meets the database.
struct CardDraft {
  std::string identity;      // stable key, see the identity rule in identity.h
  CardKind kind = CardKind::kComplete;
  std::string front;         // the question; starts with the context line
  std::string back;          // the answer; starts with the context line
  std::string answer;        // what the front hides (never shown on the front)
  std::string source;        // the key point / item / gap text it came from
  std::string topic_key;     // normalised topic title ("" for checklist/gap)
  std::string topic_label;   // "A.8"
  std::string topic_title;   // "Evaluation Metrics - AUC-ROC"
  char domain_letter = '?';
  std::vector<std::string> tags;  // "checklist", "gap", "gap-linked", "review"
  int order = 0;             // position in the tracker, for new-card order
  // "ok", or "review": the card is not worth drilling as it is (a person
  // should edit it); quality_reason says why ("fragment term"), "" when ok.
  std::string quality = "ok";
  std::string quality_reason;
};

// The version of the rules below: a no-op import recorded by an older set of
// rules must not answer for this one (importer.h). Bump it with any change
// of make_cards' output (tests/cards_golden_test.cpp pins that output).
inline constexpr int kCardRulesVersion = 2;

// All cards for one tracker: each key point's card(s), one kTopic card per
// topic, one kChecklist card per checklist item, one kGap card per open gap
// that links to no card. Identities are unique within the result. With
// `gap_links`, also what cards_for_gaps(tracker.gaps, result) gives for each
// open gap (empty for resolved ones), from the index built here anyway.
std::vector<CardDraft> make_cards(const Tracker& tracker,
                                  std::vector<std::vector<std::size_t>>* gap_links = nullptr);

// Gap -> cards link: the indices into `cards` of the cards the gap concerns
// (shared significant terms; "ROC axes confusion" -> the "ROC axes: x=FPR,
// y=TPR" card). Empty when nothing matches.
std::vector<std::size_t> cards_for_gap(const Gap& gap,
                                       const std::vector<CardDraft>& cards);
// The same for every gap of a tracker, indexing `cards` once (an import of a
// large tracker links many gaps): result[i] is cards_for_gap(gaps[i], cards).
std::vector<std::vector<std::size_t>> cards_for_gaps(const std::vector<Gap>& gaps,
                                                     const std::vector<CardDraft>& cards);

}  // namespace recall

// The identity keys and matching (topic_key, card_identity, match_cards).
#include "recall/identity.h"  // IWYU pragma: export
