#include <filesystem>
#include <iostream>

#include "commands.h"
#include "recall/anki.h"
#include "recall/deck.h"
#include "recall/files.h"
#include "recall/importer.h"
#include "recall/json_shapes.h"
#include "recall/study.h"
#include "recall/tracker.h"

namespace recall::cli {

namespace {

void print_report(bool as_json, const std::string& path, const char* kind, bool repaired,
                  const ImportReport& report) {
  if (as_json) {
    std::cout << json_text(import_json(path, kind, repaired, report)) << "\n";
    return;
  }
  std::cout << "read " << kind << " " << path << ": " << report.domains << " domains, "
            << report.topics << " topics, " << report.key_points
            << (std::string(kind) == "deck" ? " cards" : " key points") << ", " << report.gaps
            << " gaps\n"
            << "cards: " << report.added << " added, " << report.updated << " updated, "
            << report.retired << " retired, " << report.restored << " restored, ";
  if (report.reordered) std::cout << report.reordered << " moved in the tracker's order, ";
  std::cout << report.unchanged << " unchanged\n";
}

// `recall import anki FILE`: the answers given in Anki on the phone.
int run_import_anki(Context& context, const std::vector<std::string>& args) {
  po::options_description options("import anki options");
  options.add_options()("file", po::value<std::string>()->required(),
                        "an Anki package exported on the phone (.apkg or .colpkg)")(
      "dry-run", "say what would be added; change nothing")("json", "print the report as JSON");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map values;
  if (!parse_args("import anki", args, options, positional, values,
                  "import anki FILE [--dry-run] [--json]"))
    return 0;
  const std::string path = values["file"].as<std::string>();
  const AnkiImportReport report =
      import_anki(context.store(), path, values.count("dry-run") > 0, context.today());
  if (values.count("json")) {
    std::cout << json_text(anki_import_json(path, report)) << "\n";
    return 0;
  }
  std::cout << "read " << path << " (collection." << report.layout << "): " << report.answers_read
            << " answers\n"
            << (report.dry_run ? "would add " : "added ") << report.added << " answers to "
            << report.cards << " cards; " << report.duplicates << " already in the log";
  if (report.rows_replayed)
    std::cout << "; " << report.rows_replayed << " later answers rescheduled after them";
  std::cout << "\n";
  if (report.not_rated)
    std::cout << "left out " << report.not_rated
              << " rows without a rating (manual reschedules, cramming)\n";
  if (report.future) std::cout << "left out " << report.future << " answers dated after today\n";
  if (report.foreign_notes)
    std::cout << "left alone " << report.foreign_notes << " notes that are not recall's ("
              << report.foreign_answers << " answers)\n";
  return 0;
}

}  // namespace

int run_import(Context& context, const std::vector<std::string>& args) {
  // `import anki FILE`; a tracker file named "anki" is ./anki.
  if (!args.empty() && args[0] == "anki")
    return run_import_anki(context, std::vector<std::string>(args.begin() + 1, args.end()));
  po::options_description options("import options");
  options.add_options()("file", po::value<std::string>()->required(),
                        "a study tracker or a deck file (.md)")(
      "allow-mass-retire",
      "let a tracker retire most cards made from key points (refused without it)")(
      "json", "print the report as JSON");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map values;
  if (!parse_args("import", args, options, positional, values,
                  "import FILE [--allow-mass-retire] [--json]"))
    return 0;
  const std::string path = values["file"].as<std::string>();
  const FileImport imported = import_file(
      context.store(), path, context.today(),
      [&] {
        std::cerr << "recall: " << path
                  << ": repaired mojibake (UTF-8 once decoded as Mac OS Roman); read as the "
                     "repaired text\n";
      },
      values.count("allow-mass-retire") > 0);
  print_report(values.count("json") > 0, path, imported.deck ? "deck" : "tracker",
               imported.repaired_mojibake, imported.report);
  if (!imported.deck && imported.report.key_points == 0)
    std::cerr << "recall: " << path
              << ": no topic with key points was read: no card is made from key points "
                 "(README, \"Cards from the tracker\": the layouts recall reads)\n";
  return 0;
}

}  // namespace recall::cli
