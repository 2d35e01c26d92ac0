// Key points become cards. Pure functions: a tracker in, card drafts out,
// and the identity rule that lets a card keep its schedule across versions
// of the tracker (renumbered topics, renamed domains, reordering, small edits).
#pragma once

#include <span>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "recall/tracker.h"

namespace recall {

// What a key point says decides its question (docs/cards.md has every rule
// with a real example).
enum class CardKind {
  kDefinition,      // "Term: explanation"        -> What is Term?
  kCloze,           // "X = Y", formulas           -> hide the right-hand side
  kComparison,      // "A vs B", "A: x; B: y"      -> how do A and B differ?
  kChain,           // no longer made (v1 "what follows?"); read from older databases
  kComplete,        // fallback: complete the point (flagged for review)
  kTopic,           // no longer made (v7: outlines read GOOD 0 of 57); a person's kept
  kChecklist,       // a checklist item: self-graded, with related points by topic
  kGap,             // an open knowledge gap, or a "⚠️ Review needed" remark
  kEnumeration,     // "Three drift types: a, b, c" -> name the three
  kReason,          // "A preferred over B: ..."   -> why?
  kMechanism,       // cause -> effect, "X fuses Y" -> what does X do / lead to?
  kProcedure,       // "a → b → c", advice         -> the steps, in order
  kCaveat,          // "X: saves A but NOT B"      -> what is the catch?
  kDiscrimination,  // a recurring gap: the two swapped things side by side
};

// A card made from one key point (every kind but the topic, checklist, gap
// and discrimination cards).
inline bool is_point_kind(CardKind kind) {
  return kind != CardKind::kTopic && kind != CardKind::kChecklist && kind != CardKind::kGap &&
         kind != CardKind::kDiscrimination;
}

std::string_view to_string(CardKind kind);         // "definition", "cloze", ...
CardKind card_kind_from_string(std::string_view);  // throws Error(kData)

// A card as the tracker describes it, before it meets the database.
struct CardDraft {
  std::string identity;  // stable key, see the identity rule in identity.h
  CardKind kind = CardKind::kComplete;
  std::string front;        // the question; starts with the context line
  std::string back;         // the answer; starts with the context line
  std::string answer;       // what the front hides (never shown on the front)
  std::string source;       // the key point / item / gap text it came from
  std::string topic_key;    // normalised topic title ("" for checklist/gap): in the identity
  std::string topic_label;  // "A.8"
  std::string topic_title;  // "Evaluation Metrics - AUC-ROC"
  char domain_letter = '?';
  // The topic a checklist, gap or discrimination card drills (their
  // topic_key is "", as their identity has none): the topic of the first
  // point its back lists, or of the topic a "Review needed" remark sits in;
  // "" when it lists none (then domain_letter, e.g. the domain a checklist
  // group names, is all it belongs to). The store files the card under it
  // (--topic, --domain, stats); it is not part of the identity.
  std::string drills_topic_key;
  std::vector<std::string> tags;  // "checklist", "gap", "gap-linked", "review"
  int order = 0;                  // position in the tracker, for new-card order
  // "ok" when the card is worth drilling as it is; "review" with the reason
  // ("fragment term", "no model answer in the tracker", "long list", "made
  // by the fallback rule") when a person should edit it first.
  std::string quality = "ok";
  std::string quality_reason;  // "" when ok
  // The rule that wrote the card ("mechanism/participle", "topic/outline"):
  // a row of card_rule_confidence(), which decides whether `quality` may be
  // "ok". Not stored; it explains the flag.
  std::string rule;
};

// The topic a draft is filed under: its own (a point or topic card) or the
// one it drills (drills_topic_key); "" for none.
inline const std::string& filed_topic_key(const CardDraft& draft) {
  return draft.topic_key.empty() ? draft.drills_topic_key : draft.topic_key;
}

// How sure a card rule is. Every card names the rule that wrote it
// (CardDraft::rule: the kind, and the shape of point where one kind has
// shapes of very different quality). Its cards were read strictly against
// the rubric (docs/cards.md: GOOD / REWORD / GIVEAWAY / DROP), and `good` of
// `judged` were GOOD. A card may be "ok" only when its rule is trusted: the
// rule-of-succession estimate (good + 1) / (judged + 2) is at least
// kTrustedPrecision, so 5 of 5 is trusted, 4 of 4 and 16 of 20 are not, and a
// rule never read is not. Any other card is "review", its reason saying what
// to check.
struct RuleConfidence {
  std::string_view rule;   // "mechanism/participle"
  int judged = 0;          // cards of this rule read strictly
  int good = 0;            // of them GOOD
  std::string_view check;  // what a person should check on its cards
};
inline constexpr double kTrustedPrecision = 0.85;
// The whole table, one row per rule (docs/cards.md prints it).
std::span<const RuleConfidence> card_rule_confidence();
// The row of `rule`; a rule with no row has judged = 0 (never trusted).
RuleConfidence rule_confidence(std::string_view rule);
bool rule_trusted(std::string_view rule);

// The version of the rules below: a no-op import recorded by an older set of
// rules must not answer for this one (importer.h). Bump it with any change
// of make_cards' output (tests/cards_golden_test.cpp pins that output).
inline constexpr int kCardRulesVersion = 31;

// All cards for one tracker: each key point's card(s), one kChecklist card
// per checklist item, one kGap card per open gap (no kTopic card: a topic's
// title only says what a gap or checklist item is about). Identities are unique within the result. With
// `gap_links`, also what cards_for_gaps(tracker.gaps, result) gives for each
// open gap (empty for resolved ones), from the index built here anyway.
// `recall_lines`: the gap keys (topic_key of the words) of the lines recall's
// sync wrote: they make no card of their own (a line of recall's names cards
// the learner failed, which exist), though their cards are still linked.
std::vector<CardDraft> make_cards(const Tracker& tracker,
                                  std::vector<std::vector<std::size_t>>* gap_links = nullptr,
                                  const std::set<std::string>& recall_lines = {});

// Gap -> cards link: the indices into `cards` of the cards the gap concerns
// (shared significant terms; "ROC axes confusion" -> the "ROC axes: x=FPR,
// y=TPR" card). Empty when nothing matches.
std::vector<std::size_t> cards_for_gap(const Gap& gap, const std::vector<CardDraft>& cards);
// The same for every gap of a tracker, indexing `cards` once (an import of a
// large tracker links many gaps): result[i] is cards_for_gap(gaps[i], cards).
std::vector<std::vector<std::size_t>> cards_for_gaps(const std::vector<Gap>& gaps,
                                                     const std::vector<CardDraft>& cards);

}  // namespace recall

// The identity keys and matching (topic_key, card_identity, match_cards).
#include "recall/identity.h"  // IWYU pragma: export
