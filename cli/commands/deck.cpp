#include <filesystem>
#include <iostream>

#include "commands.h"
#include "recall/error.h"
#include "recall/paths.h"
#include "recall/study.h"
#include "terminal.h"

namespace recall::cli {

int run_deck(Context& context, const std::vector<std::string>& args) {
  po::options_description options("deck options");
  options.add_options()("action", po::value<std::string>()->required(), "generate")(
      "tracker", po::value<std::string>()->required(), "the study tracker to read")(
      "output,o", po::value<std::string>(),
      "write the deck here (default: stdout); hand edits in an existing deck are kept")(
      "force", "replace the -o file even when it exists and is not a recall deck");
  po::positional_options_description positional;
  positional.add("action", 1).add("tracker", 1);
  po::variables_map values;
  if (!parse_args("deck", args, options, positional, values,
                  "deck generate TRACKER [-o decks/NAME.md [--force]]"))
    return 0;
  if (values["action"].as<std::string>() != "generate")
    throw Error::usage("deck: unknown action '" + values["action"].as<std::string>() +
                       "' (expected: generate)");
  const std::string path = values["tracker"].as<std::string>();
  const std::string output = values.count("output") ? values["output"].as<std::string>() : "";
  if (!output.empty()) {
    ProtectedFiles protect = context.protected_files();
    protect.trackers.push_back(path);  // nor over the tracker it is made from
    refuse_protected_output("deck", output, protect);
  }
  // The database's edits go into the deck on stdout as into a file; a
  // missing database is not created.
  std::error_code missing;
  Store* store = std::filesystem::exists(context.db_path(), missing) ? &context.store() : nullptr;
  const GeneratedDeck deck = generate_deck(path, output, values.count("force") > 0, store, [&] {
    std::cerr << "recall: " << path << ": repaired mojibake (UTF-8 once decoded as Mac OS Roman)\n";
  });
  if (output.empty()) {
    std::cout << deck.text;
    return 0;
  }
  for (const EditConflict& conflict : deck.conflicts)
    std::cerr << "recall: " << printable(output) << ": card " << conflict.identity
              << (conflict.database_won
                      ? ": edited in the deck and, later, in the database; the database's edit "
                        "replaced the deck's text" +
                            (deck.backup.empty()
                                 ? std::string()
                                 : " (the deck's is in " + printable(deck.backup) + ")")
                      : std::string(": edited in the database and, later, in the deck; the "
                                    "deck's text stays (importing the deck makes it the card's)"))
              << "\n";
  std::cout << "wrote " << deck.cards << " cards to " << output;
  if (deck.kept) std::cout << " (" << deck.kept << " kept their edited text)";
  std::cout << "\n";
  if (!deck.backup.empty()) std::cout << "the deck before is in " << deck.backup << "\n";
  return 0;
}

}  // namespace recall::cli
