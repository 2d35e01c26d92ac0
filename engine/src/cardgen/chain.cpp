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
  // A cited chain keeps the source on the front ("TRADES (Zhang et al.
  // 2019): CE + β·KL → ____"): "According to X, what does <cause> lead to?"
  // read GOOD 1 time of 11 in round 7, mostly ungrammatical. A chain of
  // three steps or more without a name ("Stale statistics → bad row
  // estimates → wrong join order → slow query") is a chain of effects, not
  // a procedure to walk through (0 of 6 GOOD): its last effect is the blank.
  if (steps.size() == 2 || term.empty()) {
    std::string_view effect = trim(steps.back());
    std::string_view after;
    if (const std::vector<std::size_t> at = find_top_level(effect, "; "); !at.empty()) {
      after = effect.substr(at.front());
      effect = trim(effect.substr(0, at.front()));
    }
    for (std::string_view step : steps)
      if (trim(step).empty()) return std::nullopt;
    if (effect.empty()) return std::nullopt;
    const auto from = static_cast<std::size_t>(effect.data() - point.data());
    built.kind = CardKind::kMechanism;
    built.rule = steps.size() > 2 ? "mechanism/chain-last"
                 : cited          ? "mechanism/cited-blank"
                                  : "mechanism/chain-blank";
    built.question = "Fill in the blank: " + std::string(point.substr(0, from)) +
                     std::string(kBlank) + std::string(after);
    built.hidden.emplace_back(effect);
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
