#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "recall/json_shapes.h"
#include "recall/stats.h"
#include "terminal.h"

namespace recall::cli {

int run_stats(Context& context, const std::vector<std::string>& args) {
  po::options_description options("stats options");
  options.add_options()("json", "print a JSON object (docs/interview-and-stats.md)")
      ("ascii", "draw charts with ASCII only");
  po::variables_map values;
  if (!parse_args("stats", args, options, {}, values, "stats [--json] [--ascii]")) return 0;
  const Stats stats = load_stats(context.store(), context.today());
  if (!values.count("json")) {
    std::cout << printable(render_stats_text(stats, locale_is_utf8() && !values.count("ascii")), true);
    return 0;
  }
  std::cout << json_text(stats_json(stats)) << "\n";
  return 0;
}

}  // namespace recall::cli
