#include <filesystem>
#include <iostream>

#include "commands.h"
#include "recall/deck.h"
#include "recall/error.h"
#include "recall/files.h"
#include "recall/paths.h"

namespace recall::cli {

int run_deck(Context& context, const std::vector<std::string>& args) {
  po::options_description options("deck options");
  options.add_options()
      ("action", po::value<std::string>()->required(), "generate")
      ("tracker", po::value<std::string>()->required(), "the study tracker to read")
      ("output,o", po::value<std::string>(), "write the deck here (default: stdout); hand edits in an existing deck are kept")
      ("force", "replace the -o file even when it exists and is not a recall deck");
  po::positional_options_description positional;
  positional.add("action", 1).add("tracker", 1);
  po::variables_map values;
  if (!parse_args("deck", args, options, positional, values,
                  "deck generate TRACKER [-o decks/NAME.md [--force]]"))
    return 0;
  if (values["action"].as<std::string>() != "generate")
    throw Error::usage("deck: unknown action '" + values["action"].as<std::string>() + "' (expected: generate)");
  const std::string path = values["tracker"].as<std::string>();
  const std::string output = values.count("output") ? values["output"].as<std::string>() : "";
  if (!output.empty()) {
    ProtectedFiles protect = context.protected_files();
    protect.trackers.push_back(path);  // nor over the tracker it is made from
    refuse_protected_output("deck", output, protect);
  }
  const TrackerText text = prepare_text(read_file(path));
  if (text.repaired_mojibake)
    std::cerr << "recall: " << path << ": repaired mojibake (UTF-8 once decoded as Mac OS Roman)\n";
  const Tracker tracker = read_tracker(text, path);
  std::vector<CardDraft> cards = make_cards(tracker);
  const std::string title = std::filesystem::path(path).stem().string();
  if (output.empty()) {
    std::cout << write_deck(title, tracker, cards);
    return 0;
  }
  int kept = 0;
  std::error_code missing;
  if (std::filesystem::exists(output, missing)) {
    const TrackerText previous = prepare_text(read_file(output));
    if (is_deck(previous.text))
      kept = keep_deck_text(cards, read_deck(previous, output));
    else if (!values.count("force"))
      throw Error::data(output + ":1: exists and is not a recall deck; pass --force to replace it");
  }
  // Edits held by the database (`recall edit`, an imported deck) last.
  if (std::filesystem::exists(context.db_path(), missing))
    kept += keep_stored_edits(cards, context.store().card_contents());
  write_file_atomically(output, write_deck(title, tracker, cards));
  std::cout << "wrote " << cards.size() << " cards to " << output;
  if (kept) std::cout << " (" << kept << " kept their edited text)";
  std::cout << "\n";
  return 0;
}

}  // namespace recall::cli
