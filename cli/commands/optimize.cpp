#include <cstdio>
#include <iostream>

#include "commands.h"
#include "recall/json_shapes.h"
#include "recall/memory.h"

namespace recall::cli {

namespace {

std::string loss_text(std::optional<double> value) {
  if (!value) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.5f", *value);
  return text;
}

}  // namespace

int run_optimize(Context& context, const std::vector<std::string>& args) {
  po::options_description options("optimize options");
  options.add_options()("dry-run", "fit and report, store nothing")("json", "print a JSON object");
  po::variables_map values;
  if (!parse_args("optimize", args, options, {}, values, "optimize [--dry-run] [--json]")) return 0;
  const OptimizeResult result = optimize_parameters(context.store(), values.count("dry-run") > 0);
  const fsrs::FitResult& fit = result.fit;
  if (values.count("json")) {
    std::cout << json_text(optimize_json(result)) << "\n";
    return 0;
  }
  std::cout << "FSRS-6 fit: " << fit.note << "\n"
            << "reviews learnt from: " << fit.train_reviews << ", held out: " << fit.test_reviews;
  if (fit.held_out_from) std::cout << " (from " << format_day(*fit.held_out_from) << ")";
  std::cout << "\nheld-out log loss: defaults " << loss_text(fit.log_loss_before) << ", fitted "
            << loss_text(fit.log_loss_after) << "\n";
  if (result.stored)
    std::cout << "stored the fitted parameters (setting " << kFsrsParametersSetting << ")\n";
  else if (values.count("dry-run"))
    std::cout << "dry run: nothing stored\n";
  else if (!fit.fitted)
    std::cout << "kept FSRS-6's default parameters\n";
  else
    std::cout << "the fit is no better than the defaults on the held-out reviews: nothing stored\n";
  return 0;
}

}  // namespace recall::cli
