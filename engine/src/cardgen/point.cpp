// A key point: a statement about the learner gives no card; any other point
// goes through the rules in order of specificity, and the first card whose
// front hides its answer wins.

#include <array>

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {

bool is_learner_statement(std::string_view point) {
  const std::vector<std::string_view> words = split_words(point);
  return !words.empty() && is_learner_word(words.front());
}

bool hides_answer(const Built& built, std::string_view context) {
  for (const std::string& h : built.hidden) {
    if (contains_term(context, h) || contains_term(built.question, h)) return false;
  }
  return true;
}

bool opens_with_back_reference(std::string_view point) {
  // "All four share gradient: ...", "Both converge ...", "It needs ...": the
  // subject is in an earlier point, so no question made from this one alone
  // can say what it asks about.
  const std::vector<std::string_view> words = split_words(point);
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

Built checked(Built built, const PointContext& ctx) {
  if (built.quality_reason.empty() && opens_with_back_reference(ctx.point))
    built.quality_reason = "no subject: the point refers to an earlier one";
  return built;
}

}  // namespace

Built build_point_card(const PointContext& ctx) {
  const auto usable = [&ctx](const std::optional<Built>& b) {
    return b && hides_answer(*b, ctx.context_line);
  };
  using Rule = std::optional<Built> (*)(const PointContext&);
  for (Rule rule :
       {build_formula, build_procedure, build_comparison, build_reason, build_enumeration,
        build_caveat, build_definition, build_claim, build_bare_list}) {
    if (auto b = rule(ctx); usable(b)) return checked(std::move(*b), ctx);
  }
  return checked(build_fallback(ctx), ctx);
}

}  // namespace recall::cardgen
