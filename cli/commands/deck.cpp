#include <filesystem>
#include <iostream>

#include "commands.h"
#include "recall/deck.h"
#include "recall/error.h"
#include "recall/files.h"

namespace recall::cli {

int run_deck(Context&, const std::vector<std::string>& args) {
  po::options_description options("deck options");
  options.add_options()
      ("action", po::value<std::string>()->required(), "generate")
      ("tracker", po::value<std::string>()->required(), "the study tracker to read")
      ("output,o", po::value<std::string>(), "write the deck here (default: stdout); hand edits in an existing deck are kept");
  po::positional_options_description positional;
  positional.add("action", 1).add("tracker", 1);
  po::variables_map values;
  if (!parse_args("deck", args, options, positional, values, "deck generate TRACKER [-o decks/NAME.md]"))
    return 0;
  if (values["action"].as<std::string>() != "generate")
    throw Error::usage("deck: unknown action '" + values["action"].as<std::string>() + "' (expected: generate)");
  const std::string path = values["tracker"].as<std::string>();
  const TrackerText text = prepare_text(read_file(path));
  if (text.repaired_mojibake)
    std::cerr << "recall: " << path << ": repaired mojibake (UTF-8 once decoded as Mac OS Roman)\n";
  const Tracker tracker = read_tracker(text, path);
  std::vector<CardDraft> cards = make_cards(tracker);
  const std::string title = std::filesystem::path(path).stem().string();
  if (!values.count("output")) {
    std::cout << write_deck(title, tracker, cards);
    return 0;
  }
  const std::string output = values["output"].as<std::string>();
  int kept = 0;
  if (std::filesystem::exists(output)) {
    const TrackerText previous = prepare_text(read_file(output));
    if (!is_deck(previous.text))
      throw Error::data(output + ":1: exists and is not a recall deck; not overwriting it");
    kept = keep_deck_text(cards, read_deck(previous, output));
  }
  write_file_atomically(output, write_deck(title, tracker, cards));
  std::cout << "wrote " << cards.size() << " cards to " << output;
  if (kept) std::cout << " (" << kept << " kept their edited text)";
  std::cout << "\n";
  return 0;
}

}  // namespace recall::cli
