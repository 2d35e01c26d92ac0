// How sure each card rule is: the table the flag decision reads
// (recall/cards.h, docs/cards.md "How sure each rule is").
//
// Each row counts the blind strict readings only: trackers written for the
// measurement, read card by card against shared/cards/RUBRIC.md by readers
// who had seen neither the rules nor the flags (issue 24: a card is `ok` only
// from a rule read GOOD at least 85% of the time on trackers it was not tuned
// on). The fixture's reading (shared/cards/fixture-verdicts.md) is not
// counted: the rules were written on that tracker. The readings:
// - rounds 4 and 5, rules of fb7c39c: tests/data/vision-timeseries-tracker.md
//   (docs/cards-blind-reading-round4.md) and tests/data/systems-bayes-tracker.md
//   (docs/cards-blind-reading-round5.md), each card mapped to the rule that
//   writes it by regenerating the tracker's cards in order. cloze/formula-shown
//   was split off cloze/formula looking at round 5's cards, so those two rows
//   are tuned on round 5;
// - round 7, rules of version 7 (6daa6c6):
//   tests/data/bandits-robustness-causal-tracker.md
//   (docs/cards-blind-reading-round7.tsv), each card under the rule its flag
//   named. Version 8 then changed some of those rules on round 7's cards
//   (cloze/formula keeps a bracket that is the point's text, some chains go
//   from mechanism/cited and chain-blank to cited-blank and chain-last): their
//   round-7 cards count as the version-7 rule wrote them;
// - round 8, rules of version 8 (0e556dc, today's):
//   tests/data/gnn-diffusion-distributed-tracker.md
//   (docs/cards-blind-reading-round8.tsv). Its 9 cards flagged by a guard that
//   named no rule count nowhere;
// - rounds 10 and 11, rules of version 9 (whose card text is version 8's):
//   tests/data/rl-ranking-linalg-tracker.md and
//   tests/data/infotheory-flows-continual-tracker.md, and round 12, rules of
//   version 10 (which changed gap and discrimination cards only):
//   tests/data/automl-rendering-search-tracker.md
//   (docs/cards-blind-reading-round1{0,1,2}-as-made.tsv), each card under the
//   rule its flag named; cards flagged by a guard that named no rule count
//   nowhere;
// - round 13, rules of version 11 (whose card text is that of 448ea8a):
//   tests/data/kernels-compression-moe-tracker.md
//   (docs/cards-blind-reading-round13-as-made.tsv), and round 14, rules of
//   version 14: tests/data/pgm-fairness-streaming-tracker.md
//   (docs/cards-blind-reading-round14-as-made.tsv), and round 15, rules of
//   version 15: tests/data/detection-offline-rl-federated-tracker.md
//   (docs/cards-blind-reading-round15-as-made.tsv), and round 16, rules of
//   version 16: tests/data/vae-gan-ebm-active-mbrl-tracker.md
//   (docs/cards-blind-reading-round16-as-made.tsv), and round 17, rules of
//   version 18: tests/data/hardware-tabular-imputation-tracker.md
//   (docs/cards-blind-reading-round17-as-made.tsv), and round 18, rules of
//   version 19: tests/data/games-es-noise-uplift-alignment-tracker.md
//   (docs/cards-blind-reading-round18-as-made.tsv, whose reader saw the
//   flags), counted the same way, its `ok` cards under cloze/formula, and
//   round 19, rules of version 20 (the tracker reader of 1505d64):
//   tests/data/ot-survival-conformal-meta-equivariant-tracker.md
//   (docs/cards-blind-reading-round19-as-made.tsv), the same way, and round
//   20, rules of version 22 (the tracker reader of adbb383):
//   tests/data/contrastive-anomaly-precision-tokenization-tracker.md
//   (docs/cards-blind-reading-round20-as-made.tsv), the same way, and round
//   21, rules of version 24 (the tracker reader of fca9cf8):
//   tests/data/ssl-dimred-ann-segmentation-posenc-tracker.md
//   (docs/cards-blind-reading-round21-as-made.tsv), the same way, and round
//   22, rules of version 27 (the tracker reader of bb9f237):
//   tests/data/abtest-trees-cnn-rnn-regularisation-clustering-tracker.md
//   (docs/cards-blind-reading-round22-as-made.tsv), the same way, and round
//   23, rules of version 30 (the tracker reader of this version):
//   tests/data/mcmc-kalman-bootstrap-serving-quantile-lda-tracker.md
//   (docs/cards-blind-reading-round23-as-made.tsv), the same way (the 9
//   cards whose flag named no rule count nowhere).
// No rule is trusted. cloze/formula, trusted in versions 19 and 20 at 0.850
// and 0.851, reads 24 of 36 in round 19, 12 of 16 in round 20, 1 of 3 in
// round 21, 10 of 17 in round 22, 17 of 20 in round 23 and 326 of 399 in
// all (the estimate 327 / 401 = 0.815 is under the bar). cloze/word-formula
// reads 104 of 128, caveat/but 6 of 10. A rule never read has
// judged = 0 until a strict reader judges its cards on a tracker it has not
// seen; docs/cards.md ("How sure each rule is") has the rows with the fixture.

#include <algorithm>
#include <array>

#include "cardgen/drafts.h"
#include "recall/cards.h"

namespace recall {
namespace {

// {rule, judged, good, what to check}. Keep sorted by rule.
constexpr std::array kTable = {
    RuleConfidence{"caveat/but", 10, 6, "the back names the gain and the catch"},
    RuleConfidence{"caveat/is", 8, 0,
                   "the back says what the catch is, not only that there is one"},
    RuleConfidence{"caveat/named-problem", 0, 0,
                   "the tracker only names the problem: write what goes wrong and why"},
    RuleConfidence{"checklist/derive", 21, 0,
                   "the back holds the derivation's steps and no point beside them"},
    RuleConfidence{"checklist/none", 11, 0,
                   "the tracker holds no model answer: write one, or retire the item"},
    RuleConfidence{"checklist/related", 15, 1,
                   "the related points answer the item; an essay prompt needs a model answer"},
    RuleConfidence{"cloze/aside", 2, 0, "a bracketed aside is worth a blank"},
    RuleConfidence{"cloze/clause-term", 25, 4, "the term is a clause: one answer fills the blank"},
    RuleConfidence{"cloze/formula", 399, 326,
                   "the formula's context (which model, which loss) is on the front"},
    RuleConfidence{"cloze/formula-shown", 114, 70,
                   "the front shows what the blank holds: ask for it without the chain, the "
                   "numbers or the word that give it"},
    RuleConfidence{"cloze/participle-rest", 27, 3, "one answer fills the blank"},
    RuleConfidence{"cloze/prose", 10, 7, "the blank is words, not a formula: ask what the point says of them"},
    RuleConfidence{"cloze/token", 220, 43, "the token is the idea, not a detail"},
    RuleConfidence{"cloze/value", 0, 0, "the number is not given away by the rest of the sentence"},
    RuleConfidence{"cloze/value-lead", 13, 2, "the number is the idea, not a detail of the sentence after it"},
    RuleConfidence{"cloze/word-formula", 128, 104,
                   "the name's expansion is not a valid fill; ask for what it means"},
    RuleConfidence{"comparison/clauses", 18, 8,
                   "the back states the difference, not one consequence"},
    RuleConfidence{"comparison/vs", 70, 28,
                   "the back states the difference, and the front says what is compared"},
    RuleConfidence{"complete/fallback", 14, 0,
                   "the point is knowledge; ask for the idea, not the wording"},
    RuleConfidence{"definition/activity", 0, 0,
                   "the term is an activity or a noun; ask how it is done or what it is"},
    RuleConfidence{"definition/approach", 26, 4,
                   "'the approach to' is vague: ask what the point says"},
    RuleConfidence{"definition/does", 3, 3, "the back says what it does, not one property"},
    RuleConfidence{"definition/fragment", 5, 0,
                   "the term was resolved from its neighbours: check what it is of"},
    RuleConfidence{"definition/gloss", 7, 0, "the gloss defines the name, not one property of it"},
    RuleConfidence{"definition/plural", 44, 13, "the back defines the term"},
    RuleConfidence{"definition/topic-verb", 1, 0, "the verb's subject is the topic's subject"},
    RuleConfidence{"definition/what-is", 324, 144,
                   "the back defines the term, not one property, and the term is not a label"},
    RuleConfidence{"discrimination/assignments", 1, 0,
                   "both sides are on the front and stated on the back"},
    RuleConfidence{"discrimination/clauses", 1, 0,
                   "both sides are on the front and stated on the back"},
    RuleConfidence{"discrimination/vs", 11, 0, "the back states both sides"},
    RuleConfidence{"discrimination/vs-aside", 3, 0, "the aside states both sides"},
    RuleConfidence{"discrimination/vs-stated", 2, 1, "the gap's statement gives both sides"},
    RuleConfidence{"enumeration/actions", 0, 0, "the items are ways to deal with the term"},
    RuleConfidence{"enumeration/bare", 4, 0, "name what the list is of"},
    RuleConfidence{"enumeration/bracket", 0, 0,
                   "the list is closed ('name all N' of an open set is not)"},
    RuleConfidence{"enumeration/elements", 5, 2,
                   "say what the items are to the term (causes, fixes, parts, goals)"},
    RuleConfidence{"enumeration/examples", 0, 0,
                   "examples have many valid answers: ask for one, or why it is one"},
    RuleConfidence{"enumeration/fragment", 6, 0,
                   "the term was resolved from the topic or the points before it"},
    RuleConfidence{"enumeration/name", 7, 2, "the items are properties of the name"},
    RuleConfidence{"enumeration/named", 34, 7, "the list is closed and has at most 4 items"},
    RuleConfidence{"enumeration/properties", 0, 0, "the items describe the term"},
    RuleConfidence{"enumeration/which", 0, 0, "say what they differ from"},
    RuleConfidence{"gap/aside-formula", 0, 0, "the blank is the thing that was wrong"},
    RuleConfidence{"gap/asks", 7, 0, "write the answer the gap asks for"},
    RuleConfidence{"gap/choice", 1, 0, "the back says which, and why"},
    RuleConfidence{"gap/correction", 4, 1, "the back states what is right, and the front only the slip"},
    RuleConfidence{"gap/explain", 78, 3,
                   "'explain precisely' is vague: ask the exact thing that was wrong"},
    RuleConfidence{"gap/formula", 10, 0, "the blank is the thing that was wrong"},
    RuleConfidence{"gap/habit", 2, 0, "the blank has one answer and the back says why it matters"},
    RuleConfidence{"gap/parts", 2, 0, "one question per card"},
    RuleConfidence{"gap/practice", 0, 0,
                   "a practice task is not a card: retire it or write the fact behind it"},
    RuleConfidence{"gap/remark", 9, 0, "one question per card, each with its answer"},
    RuleConfidence{"gap/task", 0, 0, "write the model answer"},
    RuleConfidence{"gap/vs", 25, 4, "the back states both sides"},
    RuleConfidence{"mechanism/chain-blank", 416, 212,
                   "the cause on the front has one effect, and the effect does not restate it"},
    RuleConfidence{"mechanism/chain-last", 36, 12, "the chain before the blank has one last effect"},
    RuleConfidence{"mechanism/cited", 11, 1, "the source's claim is the answer"},
    RuleConfidence{"mechanism/cited-blank", 4, 2, "the source's claim is the blank, and the cause has one effect"},
    RuleConfidence{"mechanism/leads-to", 17, 5, "the back says what it leads to, precisely"},
    RuleConfidence{"mechanism/named-chain", 27, 17, "the back gives cause and effect"},
    RuleConfidence{"mechanism/participle", 1, 1, "the back says how"},
    RuleConfidence{
        "mechanism/verb", 48, 21,
        "the front does not give the object away and the verb asks something worth knowing"},
    RuleConfidence{"procedure/always", 2, 1, "the advice has one answer"},
    RuleConfidence{"procedure/first-then", 2, 0, "what comes first has one answer in this topic"},
    RuleConfidence{"procedure/from-start", 6, 0, "the steps are an ordered procedure"},
    RuleConfidence{"procedure/named-chain", 63, 12,
                   "the steps are a procedure, not a personal list"},
    RuleConfidence{"procedure/start-with", 0, 0,
                   "what you start with has one answer in this topic"},
    RuleConfidence{"reason/comparative", 0, 0, "the subject is the point before's"},
    RuleConfidence{"reason/needed", 0, 0, "the reason is not a restatement of the front"},
    RuleConfidence{"reason/role", 7, 1, "'what role' is vague: ask what the point says"},
    RuleConfidence{"reason/stated", 17, 1, "the back gives the reason"},
    RuleConfidence{"topic/outline", 36, 0,
                   "an outline is recite-a-list: split it into cards or retire it"},
};

// Looked up by binary search: every card asks for its rule's row.
constexpr bool by_rule(const RuleConfidence& a, const RuleConfidence& b) { return a.rule < b.rule; }
static_assert(std::adjacent_find(kTable.begin(), kTable.end(),
                                 [](const RuleConfidence& a, const RuleConfidence& b) {
                                   return !by_rule(a, b);
                                 }) == kTable.end(),
              "kTable: keep one row per rule, sorted by rule");

// The rule-of-succession estimate against the bar (recall/cards.h).
bool trusted(const RuleConfidence& row) {
  return static_cast<double>(row.good + 1) >=
         kTrustedPrecision * static_cast<double>(row.judged + 2);
}

}  // namespace

std::span<const RuleConfidence> card_rule_confidence() { return kTable; }

RuleConfidence rule_confidence(std::string_view rule) {
  const auto row = std::lower_bound(
      kTable.begin(), kTable.end(), rule,
      [](const RuleConfidence& row, std::string_view key) { return row.rule < key; });
  if (row != kTable.end() && row->rule == rule) return *row;
  return RuleConfidence{rule, 0, 0, "a person reads it before it is drilled"};
}

bool rule_trusted(std::string_view rule) { return trusted(rule_confidence(rule)); }

namespace cardgen {

void apply_rule_confidence(CardDraft& draft) {
  if (draft.quality != "ok") return;
  const RuleConfidence row = rule_confidence(draft.rule);
  if (trusted(row)) return;
  std::string reason = "unsure rule " + draft.rule + " (";
  if (row.judged == 0) {
    reason += "not yet read strictly";
  } else {
    reason += std::to_string(row.good) + " of " + std::to_string(row.judged) + " read GOOD";
  }
  reason += "): check " + std::string(row.check);
  set_quality(draft, std::move(reason));
}

}  // namespace cardgen
}  // namespace recall
