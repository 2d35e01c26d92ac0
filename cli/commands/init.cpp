#include <iostream>

#include "commands.h"

namespace recall::cli {

int run_init(Context& context, const std::vector<std::string>& args) {
  po::options_description options("init options");
  po::variables_map values;
  if (!parse_args("init", args, options, {}, values, "init")) return 0;
  const int version = context.store().schema_version();
  std::cout << "database ready: " << context.db_path() << " (schema version " << version << ")\n";
  return 0;
}

}  // namespace recall::cli
