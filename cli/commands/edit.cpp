#include <iostream>

#include "commands.h"
#include "recall/error.h"
#include "recall/json_shapes.h"
#include "recall/study.h"
#include "render.h"
#include "terminal.h"

namespace recall::cli {

int run_edit(Context& context, const std::vector<std::string>& args) {
  po::options_description options("edit options");
  options.add_options()("card-id", po::value<std::string>()->required(), "the card")(
      "front", po::value<std::string>(), "the new question (the context line is kept)")(
      "back", po::value<std::string>(), "the new answer (the context line is kept)")(
      "json", "print the edited card as JSON");
  po::positional_options_description positional;
  positional.add("card-id", 1);
  po::variables_map values;
  if (!parse_args("edit", args, options, positional, values,
                  "edit CARD_ID [--front TEXT] [--back TEXT] [--json]"))
    return 0;
  const long long id = parse_card_id(values["card-id"].as<std::string>());
  std::optional<std::string> front, back;
  if (values.count("front")) front = values["front"].as<std::string>();
  if (values.count("back")) back = values["back"].as<std::string>();
  if (!front && !back) throw Error::usage("edit: give --front TEXT, --back TEXT or both");
  const Card card = [&] {
    try {
      return edit_card_text(context.store(), id, front, back, "learner", context.today());
    } catch (const Error& e) {
      // The engine names the field (as MCP's edit_card does); here it is an option.
      const std::string what = e.what();
      if (e.kind() == ErrorKind::kUsage &&
          (what.rfind("front: ", 0) == 0 || what.rfind("back: ", 0) == 0))
        throw Error::usage("--" + what);
      throw;
    }
  }();
  if (values.count("json")) {
    std::cout << json_text(card_json(card)) << "\n";
    return 0;
  }
  std::cout << "edited card " << card.id << " (" << to_string(card.kind) << "): kept its schedule "
            << "and history; imports and decks keep this text\n";
  return 0;
}

}  // namespace recall::cli
