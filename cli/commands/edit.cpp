#include <iostream>

#include "commands.h"
#include "recall/error.h"
#include "recall/json_shapes.h"
#include "recall/review.h"
#include "recall/study.h"
#include "render.h"
#include "terminal.h"

namespace recall::cli {

int run_edit(Context& context, const std::vector<std::string>& args) {
  po::options_description options("edit options");
  options.add_options()("card-id", po::value<std::string>()->required(), "the card")(
      "front", po::value<std::string>(), "the new question (the context line is kept)")(
      "back", po::value<std::string>(), "the new answer (the context line is kept)")(
      "topic", po::value<std::string>(), "file the card under the topic LABEL (see topics)")(
      "gap", po::value<long long>(), "link the card to the knowledge gap GAP_ID (see gaps)")(
      "unlink-gap", po::value<long long>(),
      "take the card away from the knowledge gap GAP_ID it does not drill")(
      "json", "print the edited card as JSON");
  po::positional_options_description positional;
  positional.add("card-id", 1);
  po::variables_map values;
  if (!parse_args("edit", args, options, positional, values,
                  "edit CARD_ID [--front TEXT] [--back TEXT] [--topic LABEL] [--gap GAP_ID] "
                  "[--unlink-gap GAP_ID] [--json]"))
    return 0;
  const long long id = parse_card_id(values["card-id"].as<std::string>());
  std::optional<std::string> front, back;
  if (values.count("front")) front = values["front"].as<std::string>();
  if (values.count("back")) back = values["back"].as<std::string>();
  std::optional<long long> gap, unlink;
  if (values.count("gap")) gap = values["gap"].as<long long>();
  if (values.count("unlink-gap")) unlink = values["unlink-gap"].as<long long>();
  for (const auto& [option, value] : {std::pair{"--gap", gap}, std::pair{"--unlink-gap", unlink}})
    if (value && *value < 1) throw Error::usage(std::string(option) + ": must be a gap id (see gaps)");
  std::optional<std::string> topic;
  if (values.count("topic")) topic = values["topic"].as<std::string>();
  if (topic && topic->empty()) throw Error::usage("--topic: give a topic's label (see topics)");
  if (!front && !back && !gap && !unlink && !topic)
    throw Error::usage(
        "edit: give --front TEXT, --back TEXT, --topic LABEL, --gap GAP_ID or --unlink-gap GAP_ID");
  // The topic before, to say whether --topic moved the card.
  const auto before = topic ? context.store().card(id) : std::nullopt;
  const Card card = [&] {
    try {
      if (gap || unlink || topic) {
        // A link or a topic changes with the text in one transaction (the
        // review pass's edit, as the learner's).
        Store::CardEdit edit{id, front, back, gap, unlink, topic};
        try {
          return edit_cards(context.store(), {edit}, Reviewer::kLearner, context.today()).front();
        } catch (const Error& e) {
          // The batch names its item; here there is one card.
          const std::string what = e.what();
          const std::string item = "edits[0] (card " + std::to_string(id) + "): ";
          if (what.rfind(item, 0) != 0) throw;
          std::string rest = what.substr(item.size());
          if (rest == "gap and unlink_gap name the same gap")
            rest = "--gap and --unlink-gap name the same gap";
          throw Error(e.kind(), rest.rfind("front: ", 0) == 0 || rest.rfind("back: ", 0) == 0
                                    ? rest
                                    : "card " + std::to_string(id) + ": " + rest);
        }
      }
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
  if (front || back)
    std::cout << "edited card " << card.id << " (" << to_string(card.kind)
              << "): kept its schedule and history; imports and decks keep this text\n";
  if (topic && before && before->topic_id == card.topic_id)
    std::cout << "card " << card.id << " is already under " << card.topic_label << " "
              << card.topic_title << "\n";
  else if (topic)
    std::cout << "filed card " << card.id << " under " << card.topic_label << " "
              << card.topic_title << ": imports keep it there\n";
  if (gap)
    std::cout << "linked card " << card.id << " to gap " << *gap
              << ": it drills that gap, through every import\n";
  if (unlink)
    std::cout << "took card " << card.id << " away from gap " << *unlink
              << ": no import links it again, and its answers are not that gap's evidence\n";
  return 0;
}

}  // namespace recall::cli
