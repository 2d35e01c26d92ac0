// recall backup FILE: a consistent copy of the database, safe while a drill
// runs in another process.
#include <iostream>

#include "commands.h"

namespace recall::cli {

int run_backup(Context& context, const std::vector<std::string>& args) {
  po::options_description options("backup options");
  options.add_options()("file", po::value<std::string>()->required(), "where to write the copy");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map values;
  if (!parse_args("backup", args, options, positional, values, "backup FILE")) return 0;
  const std::string file = values["file"].as<std::string>();
  context.store().backup(file);
  std::cout << "backed up " << context.db_path() << " to " << file << "\n";
  return 0;
}

}  // namespace recall::cli
