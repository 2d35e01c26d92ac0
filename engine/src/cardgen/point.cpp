// A key point: a statement about the learner gives no card; any other point
// goes through the rules in order of specificity, and the first card whose
// front hides its answer wins.

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {

namespace {

// The learner named as a subject: "Student", "Learner", "You", "I", "We".
bool is_learner_pronoun(std::string_view word) {
  std::string_view w = word;
  if (w.ends_with("'s")) w.remove_suffix(2);
  return is_one_of(w, {"student", "learner", "you", "i", "we", "user"});
}

// A verb in the third person present after "Learner" ("comes", "prefers"):
// lower-case letters ending in s. (Not after "Student": "Student mimics the
// teacher's logits" is distillation.)
bool is_present_verb(std::string_view word) {
  if (word.size() < 3 || word.back() != 's') return false;
  for (char c : word)
    if (c < 'a' || c > 'z') return false;
  return true;
}

// A first name: one capitalised word of plain lower-case letters ("Maria").
bool is_name_like(std::string_view word) {
  if (word.size() < 3 || !is_upper(word[0])) return false;
  for (std::size_t i = 1; i < word.size(); ++i)
    if (word[i] < 'a' || word[i] > 'z') return false;
  return true;
}

// A verb of performance or assessment in the past ("connected", "nailed"):
// what a person did in a session, not what a method does.
bool is_performance_verb(std::string_view word) {
  return (is_learner_word(word) && lower(word).ends_with("ed")) ||
         is_one_of(word, {"nailed", "showed", "demonstrated", "understood", "knew", "forgot", "got",
                          "answered", "recalled", "remembered", "missed", "stumbled", "aced"});
}

// The point's last word, lower case and without punctuation ("(shaky)." ->
// "shaky"), and whether it is set off after a dash or in brackets.
struct ClosingWord {
  std::string word;
  bool set_off = false;
};
std::optional<ClosingWord> closing_word(const std::vector<std::string_view>& words) {
  if (words.size() < 3) return std::nullopt;
  ClosingWord closing{lower(words.back())};
  std::string& last = closing.word;
  while (!last.empty() && !is_ascii_alnum(last.back())) last.pop_back();
  while (!last.empty() && !is_ascii_alnum(last.front())) last.erase(0, 1);
  const std::string_view before = words[words.size() - 2];
  closing.set_off = before == "—" || before == "-" || before == "–" || words.back()[0] == '(';
  return closing;
}

// How well it went, after a dash or in brackets: "... — strong", "(shaky)".
bool ends_with_assessment(const std::vector<std::string_view>& words) {
  const auto closing = closing_word(words);
  return closing && closing->set_off &&
         is_one_of(closing->word, {"strong", "solid", "weak", "shaky", "good", "great",
                                   "excellent", "confident", "correct", "partial", "partially",
                                   "well"});
}

// A tutor's remark on the session closing the point, whatever opens it:
// "… on one plot from memory — strong", "Thought X — corrected", "Linked ν
// to C unprompted". Only words that grade a person, not a method ("— weak"
// or "— good default" may qualify a method).
bool ends_with_tutor_remark(const std::vector<std::string_view>& words) {
  const auto closing = closing_word(words);
  if (!closing) return false;
  if (closing->word == "unprompted") return true;
  return closing->set_off && is_one_of(closing->word, {"strong", "solid", "excellent", "great",
                                                       "shaky", "corrected"});
}

// How a session went, anywhere in the point: "… from memory", "… without a
// hint", "… on the first try", "… in Session 6". A fact says what a method
// does, not how a person did it.
bool tells_a_session(std::string_view point, const std::vector<std::string_view>& words) {
  const std::string low = lower(point);
  for (std::string_view marker :
       {"without prompting", "without a hint", "without hints", "with no hint", "unprompted",
        "from memory", "on the first try", "first attempt", "needed a hint", "needed hints"})
    if (low.find(marker) != std::string::npos) return true;
  // "in Session 6", "from session 1", "in S3 and again in S7": a session of
  // the study plan, by number, after a preposition ("Session 30-minute
  // timeout" opens a fact about web sessions). "S" and a number is a session
  // only as a word of its own ("in S4's recurrent view" names a model).
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (!is_one_of(lower(words[i - 1]),
                   {"in", "from", "since", "during", "after", "before", "by", "until"}))
      continue;
    std::string_view w = words[i];
    while (!w.empty() && (w.back() == ',' || w.back() == ';' || w.back() == '.' ||
                          w.back() == ':' || w.back() == ')'))
      w.remove_suffix(1);
    const auto number = [](std::string_view digits) {
      return !digits.empty() && digits.size() <= 3 &&
             std::all_of(digits.begin(), digits.end(),
                         [](char c) { return c >= '0' && c <= '9'; });
    };
    if (lower(w) == "session" && i + 1 < words.size() && number(words[i + 1].substr(0, 1)))
      return true;
    if (w.size() >= 2 && w[0] == 'S' && number(w.substr(1))) return true;
  }
  return false;
}

// "She", "Her LFs were …", "His derivation …": the learner as the subject.
// "He first claimed …", "He derives …" too, but only before a verb: "He
// initialisation scales by √(2/n)" and "He et al." name a person's method.
bool opens_with_third_person(const std::vector<std::string_view>& words) {
  if (is_one_of(words.front(), {"she", "her", "his"})) return true;
  if (!is_one_of(words.front(), {"he"}) || words.size() < 3) return false;
  std::size_t verb = 1;
  if (lower(words[verb]).ends_with("ly") ||
      is_one_of(words[verb], {"first", "still", "now", "also", "again", "then", "finally"}))
    ++verb;
  const std::string w = lower(words[verb]);
  return w.ends_with("ed") || is_present_verb(w) ||
         is_one_of(w, {"is", "was", "has", "had", "can", "could", "will", "should", "did",
                       "does", "thought", "said", "got", "knew", "saw", "drew", "wrote"});
}

// How the point opens, when it opens on the learner rather than the
// subject: their job ("At work their team trains …", "Already runs … at
// work", "Their team's model …", "Background: ships …", "Day job is …"),
// the plan ("To do next time: …", "⚠️ Still to cover: …", "Not yet
// covered: …", "TODO: …"), the tutor's praise ("Good instinct here — …"),
// or a past verb with no subject that tells what they did ("Claimed …",
// "Whiteboarded …", "Guessed …", "Brought an example from work", "Worked
// both games by hand", not passive: "Claimed in the paper", nor a label:
// "Worked example: …"). Only the opening: "Two forces at work in batch
// norm", "Beam search keeps the best answer so far", "… the next time a
// client retries" are facts.
bool opens_on_the_learner(const std::vector<std::string_view>& all) {
  // Markers before the first word ("⚠️", "→") are not words.
  std::size_t first = 0;
  while (first < all.size() &&
         std::none_of(all[first].begin(), all[first].end(),
                      [](char c) { return is_ascii_alnum(c); }))
    ++first;
  if (all.size() - first < 3) return false;
  const auto word = [&all, first](std::size_t i) {
    std::string w = lower(all[first + i]);
    while (!w.empty() && !is_ascii_alnum(w.back())) w.pop_back();
    return w;
  };
  const std::string w0 = lower(all[first]), w1 = word(1), w2 = word(2);
  if (w0 == "at" && w1 == "work") return true;
  if (w0 == "day" && w1 == "job") return true;
  if (w0 == "already" && is_present_verb(w1)) return true;
  if (is_one_of(w0, {"their", "our", "my"}) && (w1 == "team" || w1 == "team's")) return true;
  if (w0 == "background:" || (w0 == "to" && w1 == "do" && w2.starts_with("next"))) return true;
  if ((w0 == "still" || w0 == "not") && (w1 == "to" || w1 == "yet") &&
      is_one_of(w2, {"cover", "covered", "do", "done", "review", "reviewed"}))
    return true;
  if (w0 == "todo" || w0 == "todo:") return true;
  if (is_one_of(w0, {"good", "nice"}) && is_one_of(w1, {"instinct", "catch", "move"})) return true;
  if (w0 == "worked" && (w1 == "example" || w1 == "examples")) return false;
  return is_one_of(w0, {"claimed", "whiteboarded", "guessed", "brought", "worked"}) &&
         !is_one_of(w1, {"by", "in", "as", "for", "via", "to", "at", "on", "with"});
}

}  // namespace

bool is_learner_statement(const PointReading& reading) {
  const std::string_view point = reading.text;
  const std::vector<std::string_view>& words = reading.words;
  if (words.empty()) return false;
  // A formula is a fact, whoever the sentence is about: "Explained variance
  // ratio = λᵢ/Σλⱼ" opens with a word about learning, "Var(x̄) = σ²/n —
  // corrected" closes with a remark.
  // Code in backticks is not a formula: "`autocast(dtype=torch.bfloat16)`"
  // is an argument, and the sentence round it still about the learner.
  bool formula = false;
  for (std::size_t i = 0, ticks = 0; i < point.size() && !formula; ++i) {
    if (point[i] == '`') ++ticks;
    formula = point[i] == '=' && ticks % 2 == 0;
  }
  // "Derived complete gradient from first principles", "Can derive on
  // whiteboard": no subject, a verb about the learner.
  if (is_learner_word(words.front())) return !formula;
  // A remark on the session, anywhere: evidence unless it states a formula
  // (then the learner as a subject below still decides).
  if (!formula && (ends_with_tutor_remark(words) || tells_a_session(point, words) ||
                   opens_with_third_person(words) || opens_on_the_learner(words)))
    return true;
  // "Student connected patch embedding to 1D token embedding — strong",
  // "Maria derived the update rule": the learner is the subject of a verb
  // of performance or assessment (an adverb may sit between).
  std::size_t verb = 1;
  if (verb < words.size() && (lower(words[verb]).ends_with("ly") ||
                              is_one_of(words[verb], {"still", "now", "also", "again", "finally"})))
    ++verb;
  if (verb >= words.size()) return false;
  if (is_learner_pronoun(words.front()))
    return is_learner_word(words[verb]) || is_performance_verb(words[verb]) ||
           is_one_of(words[verb], {"should", "must", "will", "is", "was", "has", "had"}) ||
           (is_one_of(words.front(), {"learner"}) && (is_present_verb(words[verb]) ||
             is_one_of(words[verb], {"did", "does", "made", "gave", "wrote", "drew", "took"})));
  // A name: only a past verb of performance whose object follows ("Attention
  // derived from ..." is a passive fact), or any such verb with an assessment.
  if (!is_name_like(words.front()) || !is_performance_verb(words[verb])) return false;
  const bool passive = verb + 1 < words.size() &&
                       is_one_of(words[verb + 1], {"from", "by", "as", "via", "in", "into", "for"});
  return !passive || ends_with_assessment(words);
}

namespace {

// "M.", "e.g.", "et al.", "vs.": a word whose full stop ends no sentence.
bool is_abbreviation(std::string_view word) {
  while (!word.empty() && (word.front() == '(' || word.front() == '"')) word.remove_prefix(1);
  if (word.size() == 2 && is_upper(word[0])) return true;  // an initial
  const std::string w = lower(word);
  return is_one_of(w, {"e.g.", "i.e.", "al.", "vs.", "cf.", "etc.", "approx.", "fig.", "eq.",
                       "no.", "resp.", "incl."});
}

// The sentences of a point: split after ". ", "! " or "? " before a word
// that does not start in lower case, the full stop not an abbreviation's.
std::vector<std::string_view> sentences(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    const char c = text[i];
    if ((c != '.' && c != '!' && c != '?') || text[i + 1] != ' ') continue;
    const char next = text[i + 2];
    if (next >= 'a' && next <= 'z') continue;
    const std::size_t word = text.rfind(' ', i);
    const std::size_t from = word == std::string_view::npos || word < start ? start : word + 1;
    if (c == '.' && is_abbreviation(text.substr(from, i + 1 - from))) continue;
    out.push_back(text.substr(start, i + 1 - start));
    start = i + 2;
  }
  out.push_back(text.substr(start));
  return out;
}

bool about_the_learner(std::string_view sentence) {
  std::string_view s = trim(sentence);
  if (!s.empty() && (s.back() == '.' || s.back() == ';')) s.remove_suffix(1);
  return !trim(s).empty() && is_learner_statement(read_point(trim(s)));
}

}  // namespace

std::string without_learner_sentences(std::string_view text) {
  // Asides first: "accuracy is unchanged (M. thought it could change;
  // resolved in S5)" keeps the fact before the bracket.
  const std::string asides = without_asides(text, about_the_learner);
  std::string out;
  bool dropped = false;
  for (std::string_view sentence : sentences(asides)) {
    if (about_the_learner(sentence)) {
      dropped = true;
      continue;
    }
    if (!out.empty()) out += ' ';
    out += trim(sentence);
  }
  if (out.empty()) return std::string(text);  // all of it: the point is about the learner
  if (!dropped) return asides;
  return out;
}

bool hides_answer(const Built& built, std::string_view context) {
  for (const std::string& h : built.hidden) {
    if (contains_term(context, h) || contains_term(built.question, h)) return false;
  }
  return true;
}

bool opens_with_back_reference(const PointReading& point) {
  // "All four share gradient: ...", "Both converge ...", "It needs ...": the
  // subject is in an earlier point, so no question made from this one alone
  // can say what it asks about.
  const std::vector<std::string_view>& words = point.words;
  if (words.size() < 2) return false;
  static constexpr std::array<std::string_view, 6> kPronouns = {"it",   "this",  "these",
                                                                "they", "those", "both"};
  const std::string first = lower(words[0]);
  for (std::string_view p : kPronouns)
    if (first == p) return true;
  int count = 0;
  return (first == "all" || first == "each" || first == "the") && is_count_word(words[1], &count);
}

namespace {

// "Then τ(x) = …", "So: regret = …", "Hence …": a connective that carries
// on from an earlier point, whose assumptions the front does not show.
std::string opening_connective(const PointReading& point) {
  if (point.words.size() < 2) return "";
  std::string first(point.words.front());
  while (!first.empty() && !is_ascii_alnum(first.back())) first.pop_back();
  return is_one_of(lower(first), {"then", "so", "thus", "hence", "therefore"}) ? first : "";
}

Built checked(Built built, const PointContext& ctx) {
  if (!built.quality_reason.empty()) return built;
  if (opens_with_back_reference(ctx.reading)) {
    built.quality_reason = "no subject: the point refers to an earlier one";
  } else if (const std::string word = opening_connective(ctx.reading); !word.empty()) {
    built.quality_reason = "no context: the point opens with '" + word +
                           "', carrying on from an earlier one: add what it follows from";
  }
  return built;
}

}  // namespace

Built build_point_card(const PointContext& ctx) {
  const auto usable = [&ctx](const std::optional<Built>& b) {
    return b && hides_answer(*b, ctx.context_line);
  };
  using Rule = std::optional<Built> (*)(const PointContext&);
  for (Rule rule :
       {build_side_by_side, build_formula, build_procedure, build_comparison, build_reason, build_enumeration,
        build_caveat, build_definition, build_claim, build_bare_list}) {
    if (auto b = rule(ctx); usable(b)) return checked(std::move(*b), ctx);
  }
  return checked(build_fallback(ctx), ctx);
}

}  // namespace recall::cardgen
