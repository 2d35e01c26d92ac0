// Chains of arrows: "Pipeline: Requirements → Data → ... → Evaluation" is a
// procedure (name the steps in order); "Vanishing gradients: small weights
// multiply → tiny gradients" is a mechanism (cause → effect); "One-hot vector
// sums to 1 → enables simplification" asks what the first part leads to.
// The old rule showed every step but the last; an interviewer asks for them all.

#include "cardgen/cardgen.h"
#include "recall/text.h"

namespace recall::cardgen {

std::optional<Built> build_procedure(const PointContext& ctx) {
  const std::string_view point = ctx.point;
  if (point.find(kArrow) == std::string_view::npos) return std::nullopt;
  std::string_view term, body = point;
  if (const auto& split = ctx.reading.colon) term = split->term, body = split->rest;
  const std::vector<std::string_view> steps = split_top_level(body, kArrow);
  if (steps.size() < 2 || find_top_level(body, kArrow).size() + 1 != steps.size())
    return std::nullopt;
  Built built;
  built.back = std::string(point);
  if (term.empty() && steps.size() == 2) {
    built.kind = CardKind::kMechanism;
    built.rule = "mechanism/leads-to";
    built.question = upper_first(steps[0]) + ": what does this lead to" +
                     (gives_reason(steps[1]) ? ", and why?" : "?");
    built.hidden.emplace_back(steps[1]);
    return built;
  }
  if (term.empty()) {
    built.kind = CardKind::kProcedure;
    built.rule = "procedure/from-start";
    built.question = "Starting from \"" + std::string(steps[0]) + "\", walk through the " +
                     std::to_string(steps.size() - 1) + " steps that follow, in order.";
    for (std::size_t i = 1; i < steps.size(); ++i) built.hidden.emplace_back(steps[i]);
    return built;
  }
  // "Kaplan (2020): more parameters → lower loss": a source, not a name
  // for the mechanism; the card asks what the source says.
  const bool cited = term.find("et al") != std::string_view::npos ||
                     (term.ends_with(")") && term.size() >= 6 && is_digit(term[term.size() - 2]) &&
                      is_digit(term[term.size() - 5]));
  if (steps.size() == 2 && cited) {
    built.kind = CardKind::kMechanism;
    built.rule = "mechanism/cited";
    built.question =
        "According to " + std::string(term) + ", what does " + lower_first(steps[0]) + " lead to?";
    built.hidden.emplace_back(steps[1]);
    return built;
  }
  if (steps.size() == 2) {
    built.kind = CardKind::kMechanism;
    built.rule = "mechanism/named-chain";
    built.question = "What is the mechanism behind " + lower_first(term) + " (cause → effect)?";
  } else {
    built.kind = CardKind::kProcedure;
    built.rule = "procedure/named-chain";
    built.question = "Walk through " + with_article(term) + " in " + ctx.subject + ": the " +
                     std::to_string(steps.size()) + " steps, in order.";
  }
  built.hidden.emplace_back(body);
  for (std::string_view step : steps) built.hidden.emplace_back(step);
  return built;
}

}  // namespace recall::cardgen
