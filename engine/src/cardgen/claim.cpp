// Claims and advice in a sentence, without a "Term:" to lean on:
//   "W^O projection fuses knowledge across heads" -> "What does the W^O projection fuse?"
//   "Error signal (δ) computed once per layer, ..." -> "How is the error signal (δ) computed?"
//   "Measures ranking ability across all thresholds" (no subject: the topic's)
//     -> "What does AUC-ROC measure?"
//   "More important with aggressive augmentations" (the subject is the
//     point before's) -> "When is projection head more important?"
//   "Threshold tuning as simplest first approach" -> "What role does threshold tuning play?"
//   "Start with business metrics, not models" -> "In <subject>, what do you start with?"
//   "Always frame improvements relative to current system" -> "How should you frame improvements?"
//   "KL divergence loss (KL=0 when distributions match)" -> "What is KL divergence loss?"

#include <array>

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {
namespace {

Built make_claim(std::string_view rule, CardKind kind, std::string question, std::string_view point,
                 std::string_view hidden) {
  Built built;
  built.kind = kind;
  built.rule = std::string(rule);
  built.question = std::move(question);
  built.back = std::string(point);
  built.hidden.emplace_back(trim(hidden));
  return built;
}

std::size_t offset(std::string_view whole, std::string_view part) {
  return static_cast<std::size_t>(part.data() - whole.data());
}

bool is_link_word(std::string_view w) {
  static constexpr std::array<std::string_view, 16> kWords = {
      "relative", "to",   "in", "with", "by",   "for",    "as",  "before",
      "after",    "when", "at", "on",   "from", "across", "per", "into"};
  const std::string low = lower(w);
  for (std::string_view k : kWords)
    if (low == k) return true;
  return false;
}

// The noun phrase a sentence opens with: the words before its first verb.
std::string_view opening_subject(const PointReading& reading) {
  const std::string_view point = reading.text;
  const std::vector<std::string_view>& words = reading.words;
  for (std::size_t i = 1; i < words.size() && i <= 4; ++i) {
    if (is_claim_verb(words[i]) || is_purpose_verb(words[i]))
      return trim(point.substr(0, offset(point, words[i])));
  }
  return {};
}

bool is_irregular_participle(std::string_view word) {
  static constexpr std::array<std::string_view, 14> kWords = {
      "chosen", "given", "made", "known",   "taken",  "shown", "drawn",
      "built",  "kept",  "held", "written", "driven", "done",  "sent"};
  const std::string low = lower(word);
  for (std::string_view k : kWords)
    if (low == k) return true;
  return false;
}

std::optional<Built> verb_claim(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  const std::vector<std::string_view>& words = ctx.reading.words;
  if (words.size() < 3) return std::nullopt;
  // No subject: the sentence is about the topic ("Measures ranking ability ...").
  if (is_claim_verb(words[0]) && words[0].back() == 's' && words[0] != "Uses" &&
      !is_irregular_participle(words[1]) && !lower(words[1]).ends_with("ed")) {
    return make_claim("definition/topic-verb", CardKind::kDefinition,
                      "What does " + ctx.subject + " " + verb_base(words[0]) + "?", point,
                      point.substr(words[0].size()));
  }
  // A subject-less verb needs an object: "Splits chosen by Gini" is a noun
  // and a participle (participle_claim reads it).
  for (std::size_t i = 1; i < words.size() && i <= 4; ++i) {
    if (!is_claim_verb(words[i])) continue;
    const std::string_view subject = trim(point.substr(0, offset(point, words[i])));
    if (subject.find_first_of(":;=,") != std::string_view::npos) return std::nullopt;
    // "Decorrelating trees is what makes ...": a clause, not a noun phrase
    // (the subject is the words before the verb).
    for (std::size_t k = 0; k < i; ++k)
      if (is_one_of(words[k], {"is", "are", "was", "were", "what", "that", "which"}))
        return std::nullopt;
    // The verb agrees with its subject: in "MAP estimate with a Gaussian
    // prior equals ..." the singular "estimate" is a noun, not the verb.
    const bool plural = looks_plural(subject);
    const bool third_person = words[i].back() == 's';
    if (plural == third_person) continue;
    std::string question = std::string(plural ? "What do " : "What does ") +
                           with_article(lower_first(subject)) + " " + verb_base(words[i]);
    std::size_t hidden_from = offset(point, words[i]) + words[i].size();
    if (i + 1 < words.size() && is_link_word(words[i + 1]) && !equals_no_case(words[i + 1], "as")) {
      // "Adapters merge into the weights" -> "What do adapters merge into?"
      question += " " + lower(words[i + 1]);
      hidden_from = offset(point, words[i + 1]) + words[i + 1].size();
    } else {
      // "SentencePiece treats whitespace as a normal symbol" -> "... treat whitespace as?"
      for (std::size_t j = i + 2; j < words.size() && j <= i + 4; ++j) {
        if (!equals_no_case(words[j], "as")) continue;
        question += " " + std::string(point.substr(
                              offset(point, words[i + 1]),
                              offset(point, words[j]) + 2 - offset(point, words[i + 1])));
        hidden_from = offset(point, words[j]) + 2;
        break;
      }
    }
    return make_claim("mechanism/verb", CardKind::kMechanism, question + "?", point,
                      point.substr(hidden_from));
  }
  return std::nullopt;
}

// "Error signal (δ) computed once per layer": subject, then a participle.
std::optional<Built> participle_claim(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  if (point.find(": ") != std::string_view::npos) return std::nullopt;
  const std::vector<std::string_view>& words = ctx.reading.words;
  for (std::size_t i = 1; i + 1 < words.size() && i <= 4; ++i) {
    if (is_claim_verb(words[i]) || is_purpose_verb(words[i])) return std::nullopt;
    const std::string w = lower(words[i]);
    if (!is_irregular_participle(w) && (w.size() < 5 || !w.ends_with("ed") || w == "needed"))
      continue;
    const std::string_view subject = trim(point.substr(0, offset(point, words[i])));
    if (subject.find(',') != std::string_view::npos) return std::nullopt;  // a list, not a subject
    const std::string be = looks_plural(subject) ? "are " : "is ";
    // "How is X computed?" is answered by "by ...", "via ...", "as ...";
    // "Error signal (δ) computed once per layer" says when, not how: the
    // rest of the sentence is the blank.
    const std::size_t after = offset(point, words[i]) + words[i].size();
    if (!is_one_of(words[i + 1], {"by", "via", "using", "through", "with", "as", "from"})) {
      return make_claim(
          "cloze/participle-rest", CardKind::kCloze,
          "Fill in the blank: " + std::string(point.substr(0, after)) + " " + std::string(kBlank),
          point, point.substr(after));
    }
    return make_claim("mechanism/participle", CardKind::kMechanism,
                      "How " + be + with_article(lower_first(subject)) + " " + w + "?", point,
                      point.substr(after));
  }
  return std::nullopt;
}

// "More important with aggressive augmentations": the subject is the point
// before's. The kind never depends on the neighbours (a reordered topic
// keeps its cards); without a subject there, the card is flagged.
std::optional<Built> comparative_claim(const PointContext& ctx) {
  const std::vector<std::string_view>& words = ctx.reading.words;
  if (words.size() < 3) return std::nullopt;
  if (!equals_no_case(words[0], "more") && !equals_no_case(words[0], "less")) return std::nullopt;
  if (is_claim_verb(words[1]) || looks_plural(words[1])) return std::nullopt;
  const std::string_view subject =
      ctx.before.empty() ? std::string_view() : opening_subject(ctx.before.back());
  const std::string_view rest = ctx.point.substr(offset(ctx.point, words[1]) + words[1].size());
  const std::string what = subject.empty() ? "this" : with_article(lower_first(subject));
  Built built = make_claim("reason/comparative", CardKind::kReason,
                           "When is " + what + " " + lower(words[0]) + " " + std::string(words[1]) +
                               (gives_reason(rest) ? ", and why?" : "?"),
                           ctx.point, rest);
  if (subject.empty()) built.quality_reason = "fragment term";
  return built;
}

// "Threshold tuning as simplest first approach".
std::optional<Built> role_as(const PointContext& ctx) {
  const std::size_t at = ctx.point.find(" as ");
  if (at == std::string_view::npos || ctx.point.find(": ") != std::string_view::npos)
    return std::nullopt;
  const std::string_view subject = trim(ctx.point.substr(0, at));
  if (count_words(subject) > 4 || opening_subject(ctx.reading).size()) return std::nullopt;
  // "Implicit feedback treated as ...": a participle, so a passive claim, not
  // a role (the subject is the words before " as ").
  const std::vector<std::string_view>& words = ctx.reading.words;
  std::size_t subject_words = 0;
  while (subject_words < words.size() && offset(ctx.point, words[subject_words]) < at)
    ++subject_words;
  if (subject_words > 1 && lower(words[subject_words - 1]).ends_with("ed")) return std::nullopt;
  return make_claim("reason/role", CardKind::kReason,
                    "What role does " + lower_first(subject) + " play in " + ctx.subject + "?",
                    ctx.point, ctx.point.substr(at + 4));
}

// advice_claim: "Start with X, not Y", "X first (...), then Y", "Always V O ...".
std::optional<Built> advice_claim(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  const std::vector<std::string_view>& words = ctx.reading.words;
  if (words.size() < 3) return std::nullopt;
  if (starts_with_no_case(point, "start with ")) {
    return make_claim("procedure/start-with", CardKind::kProcedure,
                      "In " + ctx.subject + ", what do you start with" +
                          (gives_reason(point.substr(11)) ? ", and why?" : "?"),
                      point, point.substr(11));
  }
  if (equals_no_case(words[1], "first") || equals_no_case(words[1], "first,")) {
    return make_claim("procedure/first-then", CardKind::kProcedure,
                      "In " + ctx.subject + ", what comes first, and what after it?", point, point);
  }
  if (equals_no_case(words[0], "always") || equals_no_case(words[0], "never")) {
    std::size_t end = 2;
    while (end < words.size() && !is_link_word(words[end])) ++end;
    if (end == words.size()) return std::nullopt;
    const std::string_view action =
        point.substr(offset(point, words[1]), offset(point, words[end - 1]) +
                                                  words[end - 1].size() - offset(point, words[1]));
    return make_claim("procedure/always", CardKind::kProcedure,
                      "In " + ctx.subject + ", how should you " + lower(action) + "?", point,
                      point.substr(offset(point, words[end])));
  }
  return std::nullopt;
}

// "KL divergence loss (KL=0 when distributions match)": a name and its gloss.
std::optional<Built> glossed_claim(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  if (point.empty() || point.back() != ')') return std::nullopt;
  const std::size_t open = find_matching_open(point, point.size() - 1);
  if (open == std::string_view::npos || open == 0) return std::nullopt;
  const std::string_view name = trim(point.substr(0, open));
  if (count_words(name) > 5 || name.find(':') != std::string_view::npos) return std::nullopt;
  for (std::string_view w : split_words(name))
    if (is_claim_verb(w) || is_purpose_verb(w)) return std::nullopt;
  return make_claim("definition/gloss", CardKind::kDefinition,
                    "What is " + with_article(lower_first(name)) + "?", point, point.substr(open));
}

// "Padding pollution issue with BatchNorm on variable-length sequences": the
// point names a problem and no more; the tracker holds no explanation.
std::optional<Built> named_problem(const PointContext& ctx) {
  const std::string& low = ctx.reading.low;
  if (low.find(" issue") == std::string::npos && low.find(" problem") == std::string::npos)
    return std::nullopt;
  if (ctx.point.find(": ") != std::string_view::npos) return std::nullopt;
  Built built = make_claim("caveat/named-problem", CardKind::kCaveat,
                           "Explain the " + lower_first(ctx.point) + ": what goes wrong, and why?",
                           ctx.point, "");
  built.hidden.clear();
  built.back =
      std::string(ctx.point) + "\n(no model answer in the tracker: the point only names it)";
  built.quality_reason = "no model answer in the tracker";
  return built;
}

}  // namespace

std::optional<Built> build_caveat(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  const auto& split = ctx.reading.colon;
  const std::string_view body = split ? split->rest : point;
  const bool but = body.find(" but ") != std::string_view::npos;
  if (split && but) {
    return make_claim(
        "caveat/but", CardKind::kCaveat,
        "What does " + with_article(split->term) + " give you, and what is the catch?", point,
        split->rest);
  }
  if (split) return std::nullopt;
  // "Exact computation is O(n!) — intractable": a subject, "is", a drawback.
  if (point.find(" is ") == std::string_view::npos) return named_problem(ctx);
  const std::vector<std::size_t> is_at = find_top_level(point, " is ");
  if (is_at.empty()) return named_problem(ctx);
  const std::string_view subject = trim(point.substr(0, is_at.front()));
  if (count_words(subject) > 4 || (!but && point.find(" — ") == std::string_view::npos))
    return named_problem(ctx);
  return make_claim(
      "caveat/is", CardKind::kCaveat,
      "What is the catch with " + with_article(lower_first(subject)) + " in " + ctx.subject + "?",
      point, point.substr(is_at.front() + 4));
}

std::optional<Built> build_claim(const PointContext& ctx) {
  if (auto b = advice_claim(ctx)) return b;
  if (auto b = comparative_claim(ctx)) return b;
  if (auto b = role_as(ctx)) return b;
  if (auto b = verb_claim(ctx)) return b;
  if (auto b = participle_claim(ctx)) return b;
  return glossed_claim(ctx);
}

}  // namespace recall::cardgen
