#include <iostream>

#include "commands.h"
#include "recall/error.h"
#include "recall/feedback.h"
#include "recall/files.h"
#include "recall/json_shapes.h"
#include "recall/study.h"
#include "terminal.h"

namespace recall::cli {

namespace {

// What the user should know about how the tracker was replaced (stderr).
void warn_about(const std::string& path, const SyncResult& result, bool dry_run) {
  if (result.repaired_mojibake && result.written)
    std::cerr
        << "recall: " << path
        << ": repaired mojibake (UTF-8 once decoded as Mac OS Roman); written back repaired\n";
  // A dry run completes nothing: it says what the sync will do.
  if (result.recovered == SyncRecovery::kFinished)
    std::cerr << "recall: " << path
              << ": the last sync was interrupted after writing the file; its record "
              << (dry_run ? "will be completed by the next sync" : "is now complete") << "\n";
  if (result.recovered == SyncRecovery::kUnclear)
    std::cerr << "recall: " << path
              << ": the last sync was interrupted and the file changed since; if that sync had "
                 "written it, "
                 "its changes "
              << (dry_run ? "will be applied again by the next sync" : "are applied again")
              << " (compare with its backup in " << backup_folder() << ")\n";
  if (result.other_links == 1)
    std::cerr << "recall: " << path
              << ": had 1 other hard link; it still holds the previous text "
                 "(sync replaces the file, giving it a new inode)\n";
  else if (result.other_links > 1)
    std::cerr << "recall: " << path << ": had " << result.other_links
              << " other hard links; they still hold the previous text (sync replaces the file, "
                 "giving it a "
                 "new inode)\n";
}

}  // namespace

int run_sync(Context& context, const std::vector<std::string>& args) {
  po::options_description options("sync options");
  options.add_options()("file", po::value<std::string>(),
                        "the tracker (default: the one last imported)")(
      "dry-run", "print the diff of what would change; write nothing")(
      "allow-mass-retire",
      "let the import retire most cards made from key points (refused without it)")(
      "json", "print the report as JSON");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map values;
  if (!parse_args("sync", args, options, positional, values,
                  "sync [TRACKER] [--dry-run] [--allow-mass-retire] [--json]"))
    return 0;
  Store& store = context.store();
  const std::string path = tracker_to_sync(
      store, values.count("file") ? std::optional(values["file"].as<std::string>()) : std::nullopt);
  SyncOptions sync_options;
  sync_options.dry_run = values.count("dry-run") > 0;
  sync_options.allow_mass_retire = values.count("allow-mass-retire") > 0;
  sync_options.on_wait = [&] {
    std::cerr << "recall: " << path
              << ": another recall is writing in its folder; waiting for it\n";
  };
  const SyncResult result = sync_tracker(store, path, context.today(), sync_options);
  warn_about(path, result, sync_options.dry_run);
  if (values.count("json")) {
    std::cout << json_text(sync_json(path, sync_options.dry_run, result)) << "\n";
    return 0;
  }
  if (!result.evidence) {
    std::cout << "no review evidence since the last sync: " << path << " left unchanged\n";
    return 0;
  }
  if (sync_options.dry_run) {
    std::cout << (result.diff.empty() ? "no changes\n" : printable(result.diff, true));
    return 0;
  }
  if (!result.written) {
    std::cout << "synced " << path << ": nothing to change\n";
    return 0;
  }
  std::cout << "synced " << path << ": " << result.confidences_changed
            << " confidence changes; gaps " << result.gaps_added << " added, " << result.gaps_raised
            << " raised, ";
  if (result.gaps_lowered > 0) std::cout << result.gaps_lowered << " lowered, ";
  std::cout << result.gaps_resolved << " resolved, " << result.gaps_updated << " updated";
  if (result.readiness_after)
    std::cout << "; recall readiness " << *result.readiness_after << "%"
              << (result.readiness_before
                      ? " (was " + std::to_string(*result.readiness_before) + "%)"
                      : "");
  std::cout << "\nprevious version kept in " << result.backup << "\n";
  return 0;
}

}  // namespace recall::cli
