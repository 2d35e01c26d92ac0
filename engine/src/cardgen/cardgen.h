// The question rules (docs/cards.md): each key point is classified by what
// it says and written as an interviewer's question. One file per kind of
// point; this header is what they share. Pure functions, no I/O, no threads.
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "recall/cards.h"
#include "recall/identity.h"
#include "recall/tracker.h"

namespace recall::cardgen {

inline constexpr std::string_view kBlank = "____";
inline constexpr std::string_view kArrow = "→";

// "⚠️ Review needed: X" is the tutor's flag on a point; the rules read the
// point without it. One cleaning for the identity keys and the rules
// (recall/identity.h), so a card's text and its identity see the same point.
using CleanPoint = recall::CleanedPoint;
using recall::clean_key_point;

// "Term: rest" with a short term (at most six words, no formula).
struct ColonSplit {
  std::string_view term;
  std::string_view rest;
};

// A point read once, before any rule: every rule reads these and none splits
// the point again.
struct PointReading {
  std::string_view text;                     // cleaned
  std::vector<std::string_view> words;       // split_words(text)
  std::string low;                           // lower(text): ASCII, so the same byte offsets
  std::optional<ColonSplit> colon;           // split_colon_term(text)
  std::vector<std::string_view> term_words;  // split_words(colon->term); empty without one
  std::vector<std::string_view> rest_words;  // split_words(colon->rest); empty without one
};
PointReading read_point(std::string_view cleaned);

// A topic read once: what is the same for each of its points.
struct TopicReading {
  std::string_view title;            // "Backpropagation"
  std::string subject;               // topic_subject(title)
  std::string_view context_line;     // "[C.16 Backpropagation · C. Deep Learning & RL]"
  std::vector<PointReading> points;  // the non-empty cleaned points, in order
  // at[p]: the index in `points` of the topic's point p, or for a point with
  // no text the index of the next one; so points[0, at[p]) come before p.
  std::vector<std::size_t> at;
  // The reading of the topic's point p; nullptr for a point with no text.
  const PointReading* point(std::size_t p) const {
    const std::size_t next = p + 1 < at.size() ? at[p + 1] : points.size();
    return next > at[p] ? &points[at[p]] : nullptr;
  }
};
// Reads each of a topic's cleaned points once.
TopicReading read_topic(std::string_view title, std::string_view context_line,
                        const std::vector<CleanPoint>& points);

// What a rule sees of a point: its reading, its topic, and the points
// before it (fragment terms such as "Solutions" are resolved from them).
struct PointContext {
  PointContext(const PointReading& reading, const TopicReading& topic,
               std::span<const PointReading> before)
      : reading(reading),
        point(reading.text),
        topic_title(topic.title),
        subject(topic.subject),
        context_line(topic.context_line),
        before(before) {}
  const PointReading& reading;
  std::string_view point;                // cleaned (reading.text)
  std::string_view topic_title;          // "Backpropagation"
  const std::string& subject;            // topic_subject(topic_title)
  std::string_view context_line;         // "[C.16 Backpropagation · C. Deep Learning & RL]"
  std::span<const PointReading> before;  // the earlier non-empty points, nearest last
  // resolve_fragment() of the point's term, once asked (several rules ask).
  mutable std::optional<std::optional<std::string>> fragment = std::nullopt;
};

// A card as a rule writes it, before it becomes a draft.
struct Built {
  CardKind kind = CardKind::kComplete;
  std::string question;             // front, after the context line
  std::string back;                 // back, after the context line
  std::vector<std::string> hidden;  // what the front must not show
  std::string quality_reason;       // "" when the card is fine as it is
  std::string rule;                 // "mechanism/participle": a row of the confidence table
};

// The subject a topic title names: "Evaluation Metrics - AUC-ROC" ->
// "AUC-ROC", "Model Interpretability (SHAP)" -> "SHAP", "Optimizers -
// SGD/Momentum/Adam" -> "Optimizers".
std::string topic_subject(std::string_view title);

// "Term: rest" with a short term (at most six words, no formula).
std::optional<ColonSplit> split_colon_term(std::string_view point);
// Text without markdown emphasis: "**MAF vs IAF**" -> "MAF vs IAF", "*why*"
// -> "why". A lone star stays ("Q*(s,a)", "a * b"): only one that opens
// after a space or the start and closes before a space, punctuation or the
// end, around a word, is emphasis.
std::string without_emphasis(std::string_view text);

// The items of a list: "a, b, c" at top level (also "a + b + c"); fewer
// than two items gives an empty result.
std::vector<std::string_view> list_items(std::string_view text);

// Whether `word`, lower-cased, is one of `words` (written in lower case): a
// short list a rule names in place. The long word classes below (the verbs,
// the learner's words, the fragment nouns) are hash sets (words.cpp).
bool is_one_of(std::string_view word, std::span<const std::string_view> words);
inline bool is_one_of(std::string_view word, std::initializer_list<std::string_view> words) {
  return is_one_of(word, std::span(words.begin(), words.size()));
}
bool is_article(std::string_view word);  // "the", "a", "an"
// A capital or a digit after the first byte ("AUC-PR", "L1", "RMSProp",
// "MVCC"): how the rules tell a name from a plain word.
bool has_inner_capital_or_digit(std::string_view word);

// Word classes the rules use. They are English, not the fixture's: common
// verbs of technical prose, and nouns that name a part of something else.
bool is_claim_verb(std::string_view word);              // "adds", "controls", "learn"
bool is_purpose_verb(std::string_view word);            // "solves", "compensates", "prevents"
bool is_learner_word(std::string_view word);            // "derived", "can", "needs"
bool is_fragment_noun(std::string_view word);           // "solutions", "guarantees", "hybrid"
bool is_remedy_noun(std::string_view word);             // "solutions", "fixes", "mitigations"
bool is_count_word(std::string_view word, int* count);  // "three" -> 3, "4" -> 4
// "solves" -> "solve", "applies" -> "apply", "learn" -> "learn".
std::string verb_base(std::string_view word);
// "the " or "" before a noun phrase in a question ("the W^O projection",
// but "AdamW", "Momentum", "positional encodings").
std::string with_article(std::string_view noun_phrase);
bool looks_plural(std::string_view noun_phrase);
// Whether the point says why ("because", "since", "so", an aside in brackets
// or after a dash): a question may ask "..., and why?" only then.
bool gives_reason(std::string_view point);

// The point's term ("Term: rest") as a fragment resolved from the topic and
// the neighbouring points: "Solutions" after "Vanishing gradients: ..." ->
// "solutions for vanishing gradients"; "Guarantees" in "Model
// Interpretability (SHAP)" -> "guarantees of SHAP". Nullopt when the point
// has no term or the term is not a fragment. Worked out once per point.
const std::optional<std::string>& resolve_fragment(const PointContext& ctx);

// The rules, one per kind of point. Each returns nullopt when the point is
// not of its kind; point.cpp tries them in order.
bool is_learner_statement(const PointReading& point);
// A point of several sentences without those about the learner, and
// without a bracketed aside about the learner: "W_p ≤ W_q whenever p ≤ q.
// M. guessed the reverse in S3." -> "W_p ≤ W_q whenever p ≤ q." The text
// unchanged when nothing is about the learner, or everything is (then the
// point as a whole is a statement about the learner).
std::string without_learner_sentences(std::string_view text);
// "All four share ...", "Both ...", "It ...": the subject is an earlier point's.
bool opens_with_back_reference(const PointReading& point);
std::optional<Built> build_formula(const PointContext& ctx);
std::optional<Built> build_procedure(const PointContext& ctx);  // chains of arrows
std::optional<Built> build_comparison(const PointContext& ctx);
// "Target type — FixMatch: hard label; MixMatch: soft" (2 to 4 sides): "FixMatch
// vs MixMatch — target type?", each side's value on a line of the back.
std::optional<Built> build_side_by_side(const PointContext& ctx);
std::optional<Built> build_reason(const PointContext& ctx);  // why / preferred / purpose
std::optional<Built> build_enumeration(const PointContext& ctx);
std::optional<Built> build_bare_list(const PointContext& ctx);  // "a, b" with no name
std::optional<Built> build_caveat(const PointContext& ctx);
std::optional<Built> build_definition(const PointContext& ctx);
std::optional<Built> build_claim(const PointContext& ctx);  // "X adds Y", "X is done by Y"
Built build_fallback(const PointContext& ctx);              // clozes, then "complete"

// Whether the front (and the context line) hide every hidden part.
bool hides_answer(const Built& built, std::string_view context);
// The card for one key point (never a learner statement: the caller skips those).
Built build_point_card(const PointContext& ctx);

// Knowledge gaps: the question for a gap's text, and the discrimination
// card for a recurring one (nullopt when the text names no pair).
struct GapQuestion {
  std::string question;
  std::string answer;  // "" when the tracker holds no model answer
  std::string quality_reason;
  std::string rule;  // "gap/choice", "discrimination/assignments", ...
};
GapQuestion gap_question(std::string_view gap_text);
// A gap's words without its asides that only remark on the sessions ("IoU
// vs Dice confusion (recurring — wrote Dice when asked for IoU in Sessions
// 3 and 5): IoU = …" -> "IoU vs Dice confusion: IoU = …"); an aside that
// also states a fact stays ("(recurring — swapped; forward = …)").
std::string without_session_asides(std::string_view text);
// The text without each bracketed aside " (…)" whose inside `drop` accepts.
std::string without_asides(std::string_view text, bool (*drop)(std::string_view inner));
std::optional<GapQuestion> discrimination_question(std::string_view gap_text,
                                                   std::string_view point);

}  // namespace recall::cardgen
