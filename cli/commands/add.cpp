#include <iostream>

#include "commands.h"
#include "recall/error.h"
#include "recall/study.h"

namespace recall::cli {

int run_add(Context& context, const std::vector<std::string>& args) {
  po::options_description options("add options");
  options.add_options()("front", po::value<std::string>()->required(), "the question")(
      "back", po::value<std::string>()->required(), "the answer")(
      "topic", po::value<std::string>(),
      "attach to the topic with this label (A.8), or its label and title where topics share a "
      "label");
  po::variables_map values;
  if (!parse_args("add", args, options, {}, values, "add --front TEXT --back TEXT [--topic LABEL]"))
    return 0;
  const auto front = values["front"].as<std::string>();
  const auto back = values["back"].as<std::string>();
  if (front.empty() || back.empty())
    throw Error::usage("add: --front and --back must not be empty");
  std::optional<std::string> topic;
  if (values.count("topic")) topic = values["topic"].as<std::string>();
  const long long id = add_card_by_hand(context.store(), front, back, topic, context.today());
  std::cout << "added card " << id << "\n";
  return 0;
}

}  // namespace recall::cli
