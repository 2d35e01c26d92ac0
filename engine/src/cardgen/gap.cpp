// Knowledge gaps ("BatchNorm placement details (before vs after activation —
// original paper says before)") become questions about the thing that was
// wrong; a recurring one also gets a discrimination card that sets the two
// swapped things side by side.

#include <array>
#include <cctype>

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {
namespace {

// Words the tutor uses to talk about a gap rather than its subject.
bool is_filler(std::string_view word) {
  static constexpr std::array<std::string_view, 8> kWords = {
      "details", "detail", "nuances", "nuance", "precise", "confusion", "mix-up", "issues"};
  return is_one_of(word, kWords);
}

// About the sessions or the learner's performance ("recurring", "guessed",
// "stated, not explained", "answered backwards once"), not the subject.
bool is_meta(std::string_view text) {
  for (std::string_view w :
       {"recurring", "session", "again", "drilling", "done", "improving", "practices", "resolved",
        "guessed", "stated", "explained", "backwards", "swapped", "mixed up", "mixes up",
        "confused", "forgot", "couldn't", "can't", "prompting", "shaky", "unsure", "vague",
        "needs ", "only named", "fuzzy", "not covered", "unclear"})
    if (contains_no_case(text, w)) return true;
  return false;
}

// The parts of an aside that state the subject: "(recurring — swapped them
// twice; eq. opp = TPR only, eq. odds = TPR + FPR)" -> "eq. opp = TPR only,
// eq. odds = TPR + FPR".
std::string fact_of(std::string_view inner) {
  std::string fact;
  for (std::string_view clause : split_top_level(inner, "; "))
    for (std::string_view part : split_top_level(clause, " — ")) {
      if (trim(part).empty() || is_meta(part)) continue;
      if (!fact.empty()) fact += "; ";
      fact += trim(part);
    }
  return fact;
}

// Where a closing ")" ends an aside (" (recurring …)"), the index of its
// "(": only one a space opens. "Dice = 2|A∩B|/(|A|+|B|)" and "f(g·x) =
// f(x)" end in a formula's own parentheses, which are not asides.
std::size_t trailing_aside(std::string_view text) {
  if (text.empty() || text.back() != ')') return std::string_view::npos;
  const std::size_t open = find_matching_open(text, text.size() - 1);
  if (open == std::string_view::npos || open == 0 || text[open - 1] != ' ')
    return std::string_view::npos;
  // "σ(x) = 1 / (1 + exp(−x))": an operator before the space makes the
  // bracket an operand.
  const std::string_view before = trim(text.substr(0, open));
  for (std::string_view op : {"/", "*", "+", "-", "=", "^", "\xE2\x88\x92" /* − */,
                              "\xC3\x97" /* × */, "\xC2\xB7" /* · */, "\xC3\xB7" /* ÷ */})
    if (before.ends_with(op)) return std::string_view::npos;
  return open;
}

// The blank of a formula `text` states, read as a key point of no topic
// ("Type I = false positive, …"; an aside's "large C = narrower margin").
std::optional<Built> formula_blank(std::string_view text) {
  if (text.find('=') == std::string_view::npos) return std::nullopt;
  const TopicReading no_topic;
  const PointReading reading = read_point(text);
  return build_formula(PointContext(reading, no_topic, {}));
}

// "couldn't explain why ...", "can state it but ...": the learner, not the subject.
bool about_learner(std::string_view rest) {
  const std::vector<std::string_view> words = split_words(rest);
  return !words.empty() && is_one_of(lower(words.front()),
                                     {"couldn't", "can't", "cannot", "can", "could", "doesn't",
                                      "didn't", "forgot", "mixes", "confuses", "keeps", "still"});
}

// A word that opens what to do next, not what is so ("Re-derive it from …",
// "must rehearse …").
bool is_next_step(std::string_view word) {
  return is_one_of(lower(word), {"re-derive", "rederive", "derive", "rehearse", "drill", "review",
                                 "revisit", "practice", "practise", "redo", "must", "should",
                                 "needs", "need", "walk", "work"});
}

// A clause that states something: not a question ("which uses …"), an
// instruction ("mention …", "explain why …") or the learner's claim
// ("answered …").
bool is_statement(std::string_view clause) {
  const std::vector<std::string_view> words = split_words(clause);
  if (words.empty() || clause.find('?') != std::string_view::npos) return false;
  return !is_next_step(words.front()) &&
         !is_one_of(lower(words.front()),
                    {"which", "what", "why", "how", "when", "where", "whether", "who", "mention",
                     "explain", "state", "see", "describe", "compare", "name", "list", "write",
                     "use", "always", "never", "don't", "do", "check", "answered", "said",
                     "claimed", "thought", "wrote", "called", "remember", "note"});
}

// The gap's subject without what follows it after " — ", and without the
// tutor's remarks at its end: "Concordance index not covered yet — can't
// compute Harrell's C" -> "Concordance index", "SMO heuristics still shaky"
// -> "SMO heuristics". What follows that states something ("Δ as a gate —
// large Δ resets state …; student had this backwards") goes to `facts`
// ("large Δ resets state …"), the remarks left out.
std::string_view without_remarks(std::string_view text, std::string* facts = nullptr) {
  const std::vector<std::string_view> parts = split_top_level(text, " — ");
  if (facts) {
    facts->clear();
    for (std::size_t i = 1; i < parts.size(); ++i)
      for (std::string_view clause : split_top_level(parts[i], "; ")) {
        if (trim(clause).empty() || is_meta(clause) || about_learner(clause) ||
            !is_statement(clause))
          continue;
        if (!facts->empty()) *facts += "; ";
        *facts += trim(clause);
      }
  }
  std::string_view subject = trim(parts.empty() ? text : parts[0]);
  for (bool cut = true; cut;) {
    cut = false;
    for (std::string_view tail : {" not covered yet", " not covered", " still shaky", " shaky",
                                  " still fuzzy", " fuzzy", " still unclear", " unclear",
                                  " still vague", " vague", " still weak"}) {
      if (subject.size() > tail.size() + 2 && lower(subject).ends_with(tail)) {
        subject = trim(subject.substr(0, subject.size() - tail.size()));
        cut = true;
      }
    }
  }
  return subject;
}

// "can't say how to test it or what to do when it fails" -> "how to test it
// or what to do when it fails": what the learner could not say, asked.
std::optional<std::string> unsaid_question(std::string_view rest) {
  const std::vector<std::string_view> words = split_words(rest);
  // "could not explain why …", "cannot say how …": the negation in two words.
  const std::size_t verb = words.size() > 1 && equals_no_case(words[1], "not") ? 2 : 1;
  if (words.size() < verb + 3 || !about_learner(rest) ||
      !is_one_of(lower(words[verb]), {"say", "explain", "state", "tell", "describe", "recall"}) ||
      !is_one_of(lower(words[verb + 1]),
                 {"how", "why", "what", "when", "which", "whether", "where"}))
    return std::nullopt;
  const std::size_t at =
      rest.find(words[verb + 1], rest.find(words[verb]) + words[verb].size());
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view asked = without_remarks(rest.substr(at));
  while (!asked.empty() && (asked.back() == '.' || asked.back() == '?')) asked.remove_suffix(1);
  return std::string(asked);
}

std::string without_filler(std::string_view subject) {
  std::string out;
  for (std::string_view w : split_words(subject)) {
    if (is_filler(w)) continue;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out.empty() ? std::string(subject) : out;
}

// "always mention label sources early in summary" -> blank "label sources".
std::optional<GapQuestion> habit_question(std::string_view area, std::string_view advice) {
  std::vector<std::string_view> words = split_words(advice);
  std::size_t verb = 0;
  if (!words.empty() && (equals_no_case(words[0], "always") || equals_no_case(words[0], "never")))
    verb = 1;
  if (verb >= words.size()) return std::nullopt;
  if (verb == 0 &&
      !is_one_of(words[verb], {"be", "mention", "start", "state", "name", "give", "use", "avoid"}))
    return std::nullopt;
  std::size_t end = verb + 1;
  while (end < words.size() && !is_filler(words[end])) {
    if (is_one_of(words[end], {"early", "first", "with", "in", "before", "when", "at", "for", "("}))
      break;
    ++end;
  }
  if (end == verb + 1) return std::nullopt;
  const std::size_t b = static_cast<std::size_t>(words[verb + 1].data() - advice.data());
  const std::size_t e =
      static_cast<std::size_t>(words[end - 1].data() - advice.data()) + words[end - 1].size();
  GapQuestion q;
  q.question = std::string(area) +
               " (a habit you are building): " + std::string(advice.substr(0, b)) +
               std::string(kBlank) + std::string(advice.substr(e)) +
               " — fill the blank, then say why it matters.";
  q.answer = std::string(advice.substr(b, e - b));
  q.rule = "gap/habit";
  // "be ____ with feature examples" -> "specific": one word the sentence
  // all but says.
  if (end == verb + 2) q.quality_reason = "the blank is one word the sentence gives away";
  return q;
}

// "said "≥ 1−α for every x" in Session 12 — the guarantee is marginal …":
// a claim of the learner's (its verb first), then after " — " (or, with no
// dash, in the next sentence) the right statement. The question names the
// slip; the back holds the right answer. `term` may be empty: a gap that
// opens with the claim ("Claimed naive Bayes … — wrong. Ranks fine, …").
std::optional<GapQuestion> correction_question(std::string_view term, std::string_view rest) {
  const std::vector<std::string_view> opening = split_words(rest);
  if (opening.size() < 2 ||
      !is_one_of(lower(opening.front()), {"claimed", "said", "thought", "stated", "wrote",
                                          "believed", "assumed", "answered", "argued", "called"}))
    return std::nullopt;
  std::string_view claim, correction;
  const std::vector<std::size_t> dash = find_top_level(rest, " — ");
  if (!dash.empty()) {
    claim = trim(rest.substr(0, dash.front()));
    correction = rest.substr(dash.front() + 5);
  } else {
    const std::vector<std::size_t> stop = find_top_level(rest, ". ");
    if (stop.empty()) return std::nullopt;
    claim = trim(rest.substr(0, stop.front()));
    correction = rest.substr(stop.front() + 2);
  }
  std::string answer;
  for (std::string_view part : split_top_level(correction, " — ")) {
    if (trim(part).empty() || is_meta(part)) continue;
    if (!answer.empty()) answer += "; ";
    answer += trim(part);
  }
  // "— wrong. Ranks fine, …": the verdict is the question's; the rest answers.
  for (std::string_view verdict : {"wrong", "incorrect", "not true", "false"}) {
    const std::string low = lower(answer);
    // The verdict as a word of its own ("wrong." — not "wrongly", not
    // "false positives rise …").
    if (low.rfind(verdict, 0) != 0 ||
        (low.size() > verdict.size() &&
         std::string_view(".,;:!").find(low[verdict.size()]) == std::string_view::npos))
      continue;
    std::size_t at = verdict.size();
    while (at < answer.size() && std::string_view(" .,;:!").find(answer[at]) != std::string_view::npos)
      ++at;
    answer = answer.substr(at);
    break;
  }
  // A correction that only says what to do next ("Re-derive it from …")
  // states nothing right: not an answer.
  const std::vector<std::string_view> first = split_words(answer);
  if (answer.empty() || (!first.empty() && is_next_step(first.front()))) return std::nullopt;
  // "… in Session 12", "… in the Session 2 warm-up": when it was said is not
  // part of the question.
  for (std::string_view when : {" in the session ", " in session "})
    if (const std::size_t at = lower(claim).rfind(when); at != std::string::npos) {
      claim = trim(claim.substr(0, at));
      break;
    }
  // A claim is the verb and what was claimed ("claimed — …" says nothing).
  if (split_words(claim).size() < 2) return std::nullopt;
  GapQuestion q;
  std::string said(claim);
  said[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(said[0])));
  q.question = term.empty() ? "You once " + said + ". That was wrong: what is right, and why?"
                            : std::string(term) + ": you once " + said +
                                  ". That was wrong: what is right, and why?";
  q.answer = answer;
  q.rule = "gap/correction";
  return q;
}

}  // namespace

GapQuestion gap_question(std::string_view gap_text) {
  std::string_view text = trim(gap_text);
  std::string_view inner;
  if (const std::size_t open = trailing_aside(text); open != std::string_view::npos) {
    inner = trim(text.substr(open + 1, text.size() - open - 2));
    text = trim(text.substr(0, open));
  }
  GapQuestion q;
  // The gap asks `question` itself; the aside's facts, if any, answer it.
  const auto asks = [&](std::string question) {
    q.question = std::move(question);
    q.rule = "gap/asks";
    q.answer = inner.empty() ? "" : fact_of(inner);
    if (q.answer.empty()) q.quality_reason = "no model answer in the tracker";
    return q;
  };
  // "Type I = false positive, rejecting a true H₀": the gap states the
  // fact that was wrong; it is the answer, and the question is its blank.
  if (auto formula = formula_blank(text)) {
    q.question = formula->question;
    q.answer = formula->back;
    q.rule = "gap/formula";
    return q;
  }
  // "Claimed naive Bayes gives good probabilities — wrong. …": the claim
  // opens the gap, with no term before it.
  if (auto correction = correction_question("", text)) return *correction;
  std::string told;  // what the gap states after its subject
  std::string subject = without_filler(without_remarks(text, &told));
  if (const auto split = split_colon_term(text)) {
    if (auto habit = habit_question(split->term, split->rest)) {
      if (!inner.empty()) habit->answer += " (" + std::string(inner) + ")";
      return *habit;
    }
    // "BYOL: which branch has the predictor and which gets gradients": the
    // gap asks the question itself.
    const std::vector<std::string_view> rest = split_words(split->rest);
    if (!rest.empty() &&
        is_one_of(lower(rest.front()),
                  {"why", "which", "when", "how", "what", "whether", "where"}))
      return asks(std::string(split->term) + ": " + std::string(split->rest) + "?");
    // "Loss scaling: claimed bf16 needs it as much as fp16 — bf16 keeps
    // fp32's exponent, so …": what the learner said, then what is right.
    // The right answer goes on the back only; the front asks for it.
    if (auto correction = correction_question(split->term, split->rest)) return *correction;
    // "ZeRO-3 communication: explain where the extra 0.5× comes from": a task.
    if (!rest.empty() && is_one_of(lower(rest.front()), {"explain", "describe", "derive"})) {
      q.question = std::string(split->term) + ": " + std::string(split->rest) + ".";
      q.rule = "gap/task";
      q.answer = inner.empty() ? "" : fact_of(inner);
      return q;
    }
    // "Cox PH assumption: can't say how to test it or what to do when it
    // fails (test: …; fix: …)": what could not be said is the question, the
    // aside's facts its answer.
    if (const auto asked = unsaid_question(split->rest))
      return asks(std::string(split->term) + ": " + *asked + "?");
    // "RNN-T lattice semantics: couldn't explain why ...": the term is the subject.
    if (about_learner(split->rest)) subject = without_filler(split->term);
  }
  if (contains_no_case(subject, "practice")) {
    q.question = "Practice prompt (a known gap): " + subject +
                 ". Do one now, aloud, then grade it against your notes.";
    q.quality_reason = "practice prompt: no model answer in the tracker";
    q.rule = "gap/practice";
    return q;
  }
  // "(before vs after activation — original paper says before)": the choice
  // is the question, what follows it the answer.
  // A choice is a short "A vs B", not a clause of facts ("test: residuals
  // vs time; fix: …").
  const std::vector<std::string_view> parts = split_top_level(inner, " — ");
  if (!parts.empty() && contains_no_case(parts[0], " vs ") &&
      parts[0].find_first_of(":;") == std::string_view::npos) {
    q.question = subject + ": " + std::string(parts[0]) + "? Say which, and why.";
    q.rule = "gap/choice";
    for (std::size_t i = 1; i < parts.size(); ++i) {
      if (!q.answer.empty()) q.answer += "; ";
      q.answer += parts[i];
    }
    return q;
  }
  // "(W + R > N, what happens when W = 1)": the aside asks the question.
  for (std::string_view w : {"what ", "how ", "why ", "when ", "where "}) {
    if (contains_no_case(inner, w)) {
      q.question = subject + ": " + std::string(inner) + "?";
      q.rule = "gap/asks";
      q.quality_reason = "no model answer in the tracker";
      return q;
    }
  }
  // "(Type I = false positive, Type II = false negative)": the parts of an
  // aside that are not about the sessions ("recurring", "guessed") are the
  // model answer.
  if (!inner.empty()) q.answer = fact_of(inner);
  if (q.answer.empty()) q.answer = told;
  if (contains_no_case(subject, " vs ")) {
    q.question = subject + ": how do they differ?";
    q.rule = "gap/vs";
    if (q.answer.empty()) q.quality_reason = "no model answer in the tracker";
    return q;
  }
  // "Explain SVM kernel trick intuition" already asks.
  for (std::string_view verb : {"explain ", "describe ", "derive ", "compare "}) {
    if (starts_with_no_case(subject, verb)) {
      q.question = subject + " (a known gap: this is where you slipped before).";
      q.rule = "gap/task";
      return q;
    }
  }
  // "Soft-margin C direction (recurring — …; large C = narrower margin,
  // fewer violations)": the aside states the fact as a formula; its blank
  // is the question.
  if (auto formula = formula_blank(q.answer)) {
    q.question = subject + ". " + formula->question;
    q.answer = formula->back;
    q.rule = "gap/aside-formula";
    return q;
  }
  q.question = "Explain " + subject + " precisely: this is where you slipped before.";
  q.rule = "gap/explain";
  return q;
}

std::optional<GapQuestion> discrimination_question(std::string_view gap_text,
                                                   std::string_view point) {
  GapQuestion q;
  // "ROC axes: x=FPR, y=TPR": two assignments whose right-hand sides get swapped.
  const auto split = split_colon_term(point);
  const std::string_view body = split ? split->rest : point;
  const std::vector<std::string_view> pairs = split_top_level(body, ", ");
  if (pairs.size() == 2 && pairs[0].find('=') != std::string_view::npos &&
      pairs[1].find('=') != std::string_view::npos) {
    // Each assignment's name and value: "x=FPR" -> "x", "FPR".
    const auto side = [](std::string_view p, bool left) {
      const std::size_t eq = p.find('=');
      return std::string(trim(left ? p.substr(0, eq) : p.substr(eq + 1)));
    };
    const std::string a = side(pairs[0], true), a_is = side(pairs[0], false);
    const std::string b = side(pairs[1], true), b_is = side(pairs[1], false);
    const std::string term = split ? std::string(split->term) : std::string(trim(gap_text));
    // Two named sides ("= 0 for disjoint boxes" names none), and a front
    // that does not already state them (a gap that gives both formulas), as
    // whole terms: "v" is not shown by "Nesterov".
    const bool named = !a.empty() && !b.empty() && a != b;
    const bool shown = contains_term(term, a_is) || contains_term(term, b_is);
    if (named && !shown) {
      q.question = "Side by side (you have swapped these before): " + term +
                   " — which goes with " + a + " and which with " + b + ": " + b_is + " or " +
                   a_is + "?";
      q.rule = "discrimination/assignments";
      q.answer = a + " = " + a_is + ", " + b + " = " + b_is + ".";
      // Axes: a worked point to read makes the swap visible.
      if (a == "x" && b == "y") {
        q.question += " Then read a worked point, (0.1, 0.8): what does each number mean?";
        q.answer += " (0.1, 0.8) is " + a_is + " = 0.1, " + b_is + " = 0.8.";
      }
      return q;
    }
  }
  // "BatchNorm: across batch dim; LayerNorm: across feature dim".
  const std::vector<std::string_view> clauses = split_top_level(point, "; ");
  if (clauses.size() == 2) {
    const auto a = split_colon_term(clauses[0]), b = split_colon_term(clauses[1]);
    if (a && b) {
      q.question = "Side by side (you have swapped these before): which is " +
                   std::string(b->rest) + " and which is " + std::string(a->rest) + " — " +
                   std::string(a->term) + " or " + std::string(b->term) + "?";
      q.answer = std::string(point);
      q.rule = "discrimination/clauses";
      return q;
    }
  }
  // "Linearizability vs serializability (recurring ...)": the pair is the gap's own.
  std::string_view text = trim(gap_text);
  // "… vs … (recurring …)", "MAF vs IAF — recurring: …": the pair is what
  // precedes the aside, the dash or the colon.
  // A colon before the pair ("Recurring confusion: precision vs recall")
  // heads it: the pair is after it.
  if (const std::size_t colon = text.find(": "), vs = lower(text).find(" vs ");
      colon != std::string_view::npos && vs != std::string::npos && colon < vs)
    text = trim(text.substr(colon + 2));
  // "IoU vs Dice confusion: IoU = …, Dice = …": what follows the pair's
  // colon states both sides, when it is not a remark on the sessions.
  std::string stated;
  if (const std::size_t colon = find_first_top_level(text, ": ");
      colon != std::string_view::npos) {
    const std::string_view rest = trim(text.substr(colon + 2));
    const bool states = rest.find('=') != std::string_view::npos ||
                        rest.find("\xE2\x86\x92") != std::string_view::npos;  // →
    if (lower(text.substr(0, colon)).find(" vs ") != std::string::npos && !is_meta(rest) && states)
      stated = std::string(rest);
  }
  for (std::string_view stop : {" (", " \xE2\x80\x94 ", ": "})
    if (const std::size_t at = text.find(stop); at != std::string_view::npos)
      text = text.substr(0, at);
  const std::string low = lower(text);
  const std::size_t vs = low.find(" vs ");
  if (vs == std::string::npos) return std::nullopt;
  q.question = "Side by side (you have mixed these up before): " + std::string(text.substr(0, vs)) +
               " and " + std::string(text.substr(vs + 4)) +
               ". Say what each one means, then give a case that is one and not the other.";
  q.answer = point.empty() ? "" : std::string(point);
  q.rule = "discrimination/vs";
  if (!stated.empty()) {
    q.answer = stated;
    q.rule = "discrimination/vs-stated";
  }
  // "(recurring — swapped …; reverse mode = one pass per output, …; forward
  // mode = one pass per input, …)": the gap's own aside states both sides,
  // where a linked point may state one.
  const std::string_view full = trim(gap_text);
  if (const std::size_t open = trailing_aside(full); open != std::string_view::npos) {
    const std::string fact = fact_of(full.substr(open + 1, full.size() - open - 2));
    if (!fact.empty()) {
      q.answer = fact;
      q.rule = "discrimination/vs-aside";
    }
  }
  return q;
}

std::string without_asides(std::string_view text, bool (*drop)(std::string_view inner)) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = text.find(" ("); at != std::string_view::npos;
       at = text.find(" (", at + 1)) {
    if (at < from) continue;
    const std::size_t close = find_matching_close(text, at + 1);
    if (close == std::string_view::npos) break;
    if (!drop(text.substr(at + 2, close - at - 2))) continue;
    out += text.substr(from, at - from);
    from = close + 1;
  }
  out += text.substr(from);
  return out;
}

std::string without_session_asides(std::string_view text) {
  return without_asides(text, [](std::string_view inner) {
    return is_meta(inner) && fact_of(inner).empty();
  });
}

}  // namespace recall::cardgen
