// Reasons and preferences: "InfoNCE preferred over triplet loss: richer
// gradients, ..." -> "Why is InfoNCE preferred over triplet loss?";
// "LayerNorm for NLP: no batch dependency" -> "Why use LayerNorm for NLP?";
// "X to reduce collisions" -> "Why use X?"; "T² scaling compensates ..." ->
// "What problem does T² scaling address?"; "More heads needed for complex
// sequences (more patterns to capture)" -> "Why are more heads needed ...?".

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {
namespace {

Built make_reason(std::string_view rule, std::string question, std::string_view point,
                  std::string_view hidden) {
  Built built;
  built.kind = CardKind::kReason;
  built.rule = std::string(rule);
  built.question = std::move(question);
  built.back = std::string(point);
  built.hidden.emplace_back(hidden);
  return built;
}

// "A preferred over B: why" / "A better than B (why)".
std::optional<Built> preference_reason(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  const std::string& low = ctx.reading.low;
  for (std::string_view word : {" preferred over ", " better than ", " preferred to "}) {
    const std::size_t at = low.find(word);
    if (at == std::string::npos || at == 0) continue;
    std::string_view rest = point.substr(at + word.size());
    std::size_t stop = rest.size();
    for (std::string_view sep : {": ", " (", " because ", ", since "}) {
      const std::size_t s = rest.find(sep);
      if (s != std::string_view::npos && s < stop) stop = s;
    }
    if (stop == rest.size()) continue;  // no reason given: not a reason card
    const std::string_view a = trim(point.substr(0, at)), b = trim(rest.substr(0, stop));
    const std::string verb = looks_plural(a) ? "are " : "is ";
    return make_reason("reason/stated",
                       "Why " + verb + std::string(a) +
                           std::string(word.substr(0, word.size() - 1)) + " " + std::string(b) +
                           "?",
                       point, trim(rest.substr(stop)));
  }
  return std::nullopt;
}

// "LayerNorm for NLP: no batch dependency, same at train/test".
std::optional<Built> use_for(const PointContext& ctx) {
  const auto& split = ctx.reading.colon;
  if (!split) return std::nullopt;
  const std::vector<std::string_view>& words = ctx.reading.term_words;
  if (words.size() < 3 || words.size() > 6) return std::nullopt;
  for (std::size_t i = 1; i + 1 < words.size() && i <= 3; ++i) {
    if (equals_no_case(words[i], "for"))
      return make_reason("reason/stated", "Why use " + lower_first(split->term) + "?", ctx.point,
                         split->rest);
    // "Serializable is safest but costly: more aborts, lower throughput".
    if (equals_no_case(words[i], "is") || equals_no_case(words[i], "are")) {
      const std::string_view subject =
          trim(split->term.substr(0, words[i].data() - split->term.data()));
      const std::string_view predicate =
          split->term.substr(words[i].data() - split->term.data() + words[i].size());
      return make_reason(
          "reason/stated",
          "Why " + lower(words[i]) + " " + lower_first(subject) + std::string(predicate) + "?",
          ctx.point, split->rest);
    }
  }
  return std::nullopt;
}

// "X to reduce collisions": a purpose clause after a subject without a verb.
std::optional<Built> purpose_reason(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  const std::size_t at = point.find(" to ");
  if (at == std::string_view::npos || ctx.reading.colon) return std::nullopt;
  const std::string_view subject = trim(point.substr(0, at));
  // The subject's words: the point's before " to ".
  for (std::string_view w : ctx.reading.words) {
    if (static_cast<std::size_t>(w.data() - point.data()) >= at) break;
    if (is_claim_verb(w) || is_purpose_verb(w) || equals_no_case(w, "is") ||
        equals_no_case(w, "are"))
      return std::nullopt;
  }
  const std::vector<std::string_view> after = split_words(point.substr(at + 4));
  if (after.empty() || !(is_claim_verb(after[0]) || is_purpose_verb(after[0]))) return std::nullopt;
  return make_reason("reason/stated", "Why use " + lower_first(subject) + "?", point,
                     point.substr(at + 4));
}

// "T² scaling compensates 1/T² gradient reduction": subject, purpose verb.
std::optional<Built> remedy_reason(const PointContext& ctx) {
  const std::vector<std::string_view>& words = ctx.reading.words;
  for (std::size_t i = 1; i < words.size() && i <= 4; ++i) {
    if (!is_purpose_verb(words[i])) continue;
    const std::string_view subject = trim(ctx.point.substr(0, words[i].data() - ctx.point.data()));
    if (subject.find(':') != std::string_view::npos) return std::nullopt;
    const std::string_view rest = ctx.point.substr(words[i].data() - ctx.point.data());
    const std::string does = looks_plural(subject) ? "do " : "does ";
    return make_reason(
        "reason/stated",
        "What problem " + does + with_article(lower_first(subject)) + " address, and how?",
        ctx.point, trim(rest.substr(words[i].size())));
  }
  return std::nullopt;
}

// "More heads needed for complex sequences (more patterns to capture)".
std::optional<Built> needed_reason(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  const std::size_t at = point.find(" needed for ");
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  const std::string_view subject = point.substr(0, at);
  const std::string_view rest = point.substr(at + 12);
  const std::size_t paren = rest.find(" (");
  const std::string are = looks_plural(subject) ? "are " : "is ";
  if (paren == std::string_view::npos)
    return make_reason("reason/needed", "When " + are + lower_first(subject) + " needed?", point,
                       rest);
  return make_reason("reason/needed",
                     "Why " + are + lower_first(subject) + " needed for " +
                         std::string(rest.substr(0, paren)) + "?",
                     point, rest.substr(paren + 1));
}

// "Use AUC for flexible thresholds; Precision@k for fixed top-k".
std::optional<Built> when_to_use(const PointContext& ctx) {
  if (!starts_with_no_case(ctx.point, "use ")) return std::nullopt;
  const std::vector<std::string_view> clauses = split_top_level(ctx.point.substr(4), "; ");
  if (clauses.size() != 2) return std::nullopt;
  const std::size_t a = clauses[0].find(" for "), b = clauses[1].find(" for ");
  if (a == std::string_view::npos || b == std::string_view::npos) return std::nullopt;
  Built built = make_reason("reason/stated",
                            "When would you use " + std::string(clauses[0].substr(0, a)) +
                                ", and when " + std::string(clauses[1].substr(0, b)) + "?",
                            ctx.point, clauses[0].substr(a + 5));
  built.hidden.emplace_back(clauses[1].substr(b + 5));
  return built;
}

}  // namespace

std::optional<Built> build_reason(const PointContext& ctx) {
  if (auto b = when_to_use(ctx)) return b;
  if (auto b = preference_reason(ctx)) return b;
  if (auto b = use_for(ctx)) return b;
  if (auto b = needed_reason(ctx)) return b;
  if (auto b = purpose_reason(ctx)) return b;
  return remedy_reason(ctx);
}

}  // namespace recall::cardgen
