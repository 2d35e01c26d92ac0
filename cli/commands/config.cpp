#include <chrono>
#include <iostream>

#include "commands.h"
#include "recall/error.h"
#include "recall/study.h"

namespace recall::cli {

int run_config(Context& context, const std::vector<std::string>& args) {
  po::options_description options("config options");
  options.add_options()("action", po::value<std::string>()->required(), "get, set or unset")(
      "words", po::value<std::vector<std::string>>()->multitoken(), "KEY [VALUE]");
  po::positional_options_description positional;
  positional.add("action", 1).add("words", -1);
  po::variables_map values;
  if (!parse_args("config", args, options, positional, values,
                  "config get [KEY] | config set KEY VALUE | config unset KEY"))
    return 0;
  const std::string action = values["action"].as<std::string>();
  std::vector<std::string> words;
  if (values.count("words")) words = values["words"].as<std::vector<std::string>>();
  Store& store = context.store();
  if (action == "get" && words.size() <= 1) {
    const auto key = words.empty() ? std::nullopt : std::optional(words[0]);
    for (const SettingValue& setting : config_values(store, key))
      std::cout << setting.key << " = " << (setting.value.empty() ? "(unset)" : setting.value)
                << (setting.is_default ? " (default)" : "") << "\n";
    return 0;
  }
  if (action == "set" && words.size() == 2) {
    // Stored first: a refused value prints nothing on stdout.
    const std::string stored =
        set_config(store, words[0], words[1], std::chrono::system_clock::now());
    std::cout << words[0] << " = " << stored << "\n";
    return 0;
  }
  if (action == "unset" && words.size() == 1) {
    unset_config(store, words[0], std::chrono::system_clock::now());
    std::cout << words[0] << " unset\n";
    return 0;
  }
  throw Error::usage("config: expected `get [KEY]`, `set KEY VALUE` or `unset KEY`");
}

}  // namespace recall::cli
