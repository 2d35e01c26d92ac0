// A key point: a statement about the learner gives no card; any other point
// goes through the rules in order of specificity, and the first card whose
// front hides its answer wins.

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

Built build_point_card(const PointContext& ctx) {
  const auto usable = [&ctx](const std::optional<Built>& b) {
    return b && hides_answer(*b, ctx.context_line);
  };
  using Rule = std::optional<Built> (*)(const PointContext&);
  for (Rule rule : {build_formula, build_procedure, build_comparison, build_reason,
                    build_enumeration, build_caveat, build_definition, build_claim, build_bare_list}) {
    if (auto b = rule(ctx); usable(b)) return std::move(*b);
  }
  return build_fallback(ctx);
}

}  // namespace recall::cardgen
