#include <iostream>

#include "commands.h"
#include "recall/stats.h"

namespace recall::cli {

int run_report(Context& context, const std::vector<std::string>& args) {
  po::options_description options("report options");
  options.add_options()("output,o", po::value<std::string>()->required(), "the HTML file to write")(
      "force", "replace FILE even when it exists and is not an earlier recall report");
  po::variables_map values;
  if (!parse_args("report", args, options, {}, values, "report -o FILE.html [--force]")) return 0;
  const std::string path = values["output"].as<std::string>();
  write_report_file(context.store(), context.today(), path, values.count("force") > 0);
  std::cout << "wrote " << path << "\n";
  return 0;
}

}  // namespace recall::cli
