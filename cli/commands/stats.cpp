#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "recall/json_shapes.h"
#include "recall/memory.h"
#include "recall/stats.h"
#include "terminal.h"

namespace recall::cli {

namespace {

int print_calibration(Store& store, bool as_json) {
  const auto models = load_calibration(store);
  if (as_json) {
    std::cout << json_text(calibration_json(models)) << "\n";
    return 0;
  }
  std::cout << "Calibration on this log (reviews a day or more after the previous one, each\n"
               "predicted from the reviews before it; lower is better)\n\n"
            << "model             reviews  log loss  RMSE(bins)\n";
  for (const auto& m : models) {
    char row[128];
    if (m.result)
      std::snprintf(row, sizeof row, "%-16s %8zu  %8.4f  %10.4f\n", m.model.c_str(),
                    m.result->reviews, m.result->log_loss, m.result->rmse_bins);
    else
      std::snprintf(row, sizeof row, "%-16s %8s  %8s  %10s\n", m.model.c_str(), "0", "n/a", "n/a");
    std::cout << row;
  }
  if (!models[1].result)
    std::cout << "\nfsrs6-fitted: no fitted parameters stored (see `recall optimize`)\n";
  return 0;
}

}  // namespace

int run_stats(Context& context, const std::vector<std::string>& args) {
  po::options_description options("stats options");
  options.add_options()("json", "print a JSON object (docs/interview-and-stats.md)")(
      "ascii", "draw charts with ASCII only")(
      "calibration", "how well FSRS-6 and SM-2 predict this log (docs/memory-model.md)");
  po::variables_map values;
  if (!parse_args("stats", args, options, {}, values, "stats [--json] [--ascii] [--calibration]"))
    return 0;
  if (values.count("calibration"))
    return print_calibration(context.store(), values.count("json") > 0);
  const Stats stats = load_stats(context.store(), context.today());
  if (!values.count("json")) {
    std::cout << printable(render_stats_text(stats, locale_is_utf8() && !values.count("ascii")),
                           true);
    return 0;
  }
  std::cout << json_text(stats_json(stats)) << "\n";
  return 0;
}

}  // namespace recall::cli
