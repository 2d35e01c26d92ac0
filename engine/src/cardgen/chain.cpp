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
  // "Kaplan (2020): more parameters → lower loss": a source, not a name
  // for the mechanism; the card asks what the source says.
  const bool cited = term.find("et al") != std::string_view::npos ||
                     (term.ends_with(")") && term.size() >= 6 && is_digit(term[term.size() - 2]) &&
                      is_digit(term[term.size() - 5]));
  // Cause → effect: the effect is the blank, the cause (and the name) stay
  // on the front. Read strictly, "What is the mechanism behind <name>?"
  // (a label, no cause) and "<cause>: what does this lead to?" (several
  // valid answers, or a cause cut mid-clause) were GOOD 2 times of 34 in
  // round 6. The effect ends at a "; ": what follows is another clause and
  // stays on the front ("Non-IID → ____; FedProx adds (μ/2)‖w − w_t‖²").
  if (steps.size() == 2 && !cited) {
    std::string_view effect = trim(steps[1]);
    std::string_view after;
    if (const std::vector<std::size_t> at = find_top_level(effect, "; "); !at.empty()) {
      after = effect.substr(at.front());
      effect = trim(effect.substr(0, at.front()));
    }
    if (effect.empty() || trim(steps[0]).empty()) return std::nullopt;
    const auto from = static_cast<std::size_t>(effect.data() - point.data());
    built.kind = CardKind::kMechanism;
    built.rule = "mechanism/chain-blank";
    built.question = "Fill in the blank: " + std::string(point.substr(0, from)) +
                     std::string(kBlank) + std::string(after);
    built.hidden.emplace_back(effect);
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
  if (steps.size() == 2) {  // cited
    built.kind = CardKind::kMechanism;
    built.rule = "mechanism/cited";
    built.question =
        "According to " + std::string(term) + ", what does " + lower_first(steps[0]) + " lead to?";
    built.hidden.emplace_back(steps[1]);
    return built;
  }
  built.kind = CardKind::kProcedure;
  built.rule = "procedure/named-chain";
  built.question = "Walk through " + with_article(term) + " in " + ctx.subject + ": the " +
                   std::to_string(steps.size()) + " steps, in order.";
  built.hidden.emplace_back(body);
  for (std::string_view step : steps) built.hidden.emplace_back(step);
  return built;
}

}  // namespace recall::cardgen
