// recall check: integrity, foreign keys, and every card replayed from its
// review log. Exit 1 when anything differs.
#include <iostream>

#include "commands.h"
#include "recall/check.h"
#include "recall/json_shapes.h"

namespace recall::cli {

// --json: check_json (json_shapes.h); "area" is "integrity", "foreign_key",
// "replay", "derived" or "import".
int run_check(Context& context, const std::vector<std::string>& args) {
  po::options_description options("check options");
  options.add_options()("json", "print the report as JSON");
  po::variables_map values;
  if (!parse_args("check", args, options, {}, values, "check [--json]")) return 0;
  const CheckReport report = context.store().check();
  if (values.count("json")) {
    std::cout << json_text(check_json(report)) << "\n";
    return report.ok() ? 0 : 1;
  }
  for (const auto& p : report.problems) {
    std::cout << p.area << ": ";
    if (p.card_id) std::cout << "card " << p.card_id << ": ";
    std::cout << p.message << "\n";
  }
  std::cout << context.db_path() << ": " << (report.ok() ? "ok" : "DIFFERENCES FOUND") << " ("
            << report.cards_checked << " cards, " << report.reviews_checked << " reviews, "
            << report.problems.size() << " problems)\n";
  return report.ok() ? 0 : 1;
}

}  // namespace recall::cli
