#include <chrono>
#include <iostream>

#include "commands.h"
#include "recall/anki.h"
#include "recall/error.h"
#include "recall/json_shapes.h"

namespace recall::cli {

// `recall export anki FILE.apkg`: the cards as an Anki package (anki.h).
int run_export(Context& context, const std::vector<std::string>& args) {
  const char* const kWhat = "export: say what to export: recall export anki FILE.apkg";
  if (!args.empty() && args[0] != "anki" && args[0] != "--help" && args[0] != "-h")
    throw Error::usage(kWhat);
  po::options_description options("export anki options");
  options.add_options()("file", po::value<std::string>()->required(),
                        "the package to write (.apkg)")("domain", po::value<std::string>(),
                                                        "only the cards of domain X (A, B, ...)")(
      "topic", po::value<std::string>(), "only the cards of topic LABEL (A.8)")(
      "with-schedule", "studied cards go out with their interval and due day")(
      "include-drafts", "cards flagged for review (quality \"review\") too")(
      "deck", po::value<std::string>()->default_value("recall"), "the parent deck's name")(
      "force", "replace FILE even when it exists and is not a package")("json",
                                                                        "print the report as JSON");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map values;
  const bool named = !args.empty() && args[0] == "anki";
  const std::vector<std::string> rest(args.begin() + (named ? 1 : 0), args.end());
  bool parsed = false;
  try {
    parsed = parse_args("export anki", rest, options, positional, values,
                        "export anki FILE.apkg [--domain X] [--topic LABEL] [--with-schedule] "
                        "[--include-drafts] [--deck NAME] [--force] [--json]");
  } catch (const Error&) {
    // `recall export` alone (FILE is required): say what to add.
    if (args.empty()) throw Error::usage(kWhat);
    throw;
  }
  if (!parsed) return 0;  // help, completion, the man page (describe())
  AnkiExportOptions chosen;
  if (values.count("domain"))
    chosen.domain_letter = parse_domain_letter(values["domain"].as<std::string>());
  if (values.count("topic")) chosen.topic_label = values["topic"].as<std::string>();
  chosen.with_schedule = values.count("with-schedule") > 0;
  chosen.include_drafts = values.count("include-drafts") > 0;
  chosen.parent_deck = values["deck"].as<std::string>();
  const std::string path = values["file"].as<std::string>();
  const AnkiExportReport report =
      export_anki(context.store(), path, chosen, context.today(), std::chrono::system_clock::now(),
                  values.count("force") > 0);
  if (values.count("json")) {
    std::cout << json_text(anki_export_json(path, report)) << "\n";
    return 0;
  }
  std::cout << "wrote " << path << ": " << report.notes << " cards in " << report.decks
            << (report.decks == 1 ? " deck" : " decks");
  if (chosen.with_schedule) std::cout << ", " << report.scheduled << " with their schedule";
  std::cout << "\n";
  if (report.drafts_left_out)
    std::cout << "left out " << report.drafts_left_out
              << " cards flagged for review (--include-drafts takes them)\n";
  if (report.suspended_left_out)
    std::cout << "left out " << report.suspended_left_out << " suspended cards\n";
  return 0;
}

}  // namespace recall::cli
