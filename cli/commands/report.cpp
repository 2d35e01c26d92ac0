#include <fstream>
#include <iostream>

#include "commands.h"
#include "recall/error.h"
#include "recall/stats.h"

namespace recall::cli {

int run_report(Context& context, const std::vector<std::string>& args) {
  po::options_description options("report options");
  options.add_options()("output,o", po::value<std::string>()->required(), "the HTML file to write");
  po::variables_map values;
  if (!parse_args("report", args, options, {}, values, "report -o FILE.html")) return 0;
  const std::string path = values["output"].as<std::string>();
  const std::string html = load_report_html(context.store(), context.today());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(html.data(), static_cast<std::streamsize>(html.size())) || !out.flush())
    throw Error::io(path + ": cannot write the report");
  std::cout << "wrote " << path << "\n";
  return 0;
}

}  // namespace recall::cli
