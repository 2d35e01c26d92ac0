#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "recall/json_shapes.h"
#include "recall/stats.h"
#include "render.h"
#include "terminal.h"

namespace recall::cli {

int run_plan(Context& context, const std::vector<std::string>& args) {
  po::options_description options("plan options");
  options.add_options()("json", "print a JSON object (docs/interview-and-stats.md)")(
      "ascii", "draw bars with ASCII only");
  po::variables_map values;
  if (!parse_args("plan", args, options, {}, values, "plan [--json] [--ascii]")) return 0;
  const Plan plan = load_plan(context.store(), context.today());
  if (!values.count("json")) {
    std::cout << printable(render_plan_text(plan, locale_is_utf8() && !values.count("ascii")),
                           true);
    // The plan counts only the new cards the drill may introduce.
    if (const std::string text = waiting_text(context.store().review_counts()); !text.empty())
      std::cout << "Not in the plan: " << text << "\n";
    return 0;
  }
  std::cout << json_text(plan_json(plan)) << "\n";
  return 0;
}

}  // namespace recall::cli
