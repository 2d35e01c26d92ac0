// `recall integrate claude-code [DIR]`: installs the MCP server, the
// SessionStart brief hook and the two skills into a tutor's repository.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>

#include "commands.h"
#include "recall/error.h"
#include "recall/integrate.h"
#include "recall/pinning.h"
#include "terminal.h"

namespace recall::cli {

namespace {

namespace fs = std::filesystem;

// The binary the tutor will run is this one, by the path that lasts
// (pinning.h): it may not be on the PATH a hook or an MCP client sees.
PinnedBinary binary_to_pin(const Context& context) {
  std::error_code error;
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (error)
    throw Error::io("/proc/self/exe: cannot find the running recall binary: " + error.message());
  const char* path = std::getenv("PATH");
  return choose_pinned_binary(binary.string(), context.invoked_as(), path ? path : "");
}

// `--check`: each pinned path, whether it exists; 1 when one does not.
int print_check(const std::string& dir) {
  const auto pins = check_claude_code(dir);
  if (pins.empty()) {
    std::cout << "recall is not integrated in " << printable(dir)
              << ": no recall server in .mcp.json, no recall brief hook in "
                 ".claude/settings.json\n";
    return 1;
  }
  int problems = 0;
  for (const auto& pin : pins) {
    std::cout << pin.purpose << " (" << pin.file << "):\n  binary   "
              << (pin.binary.empty() ? "(none)" : printable(pin.binary)) << ": "
              << (pin.binary_ok ? (pin.in_build_folder ? "ok, but in a build folder (it breaks if "
                                                         "that folder is rebuilt or removed)"
                                                       : "ok")
                                : "MISSING")
              << "\n  database " << (pin.database.empty() ? "(none)" : printable(pin.database))
              << ": " << (pin.database_ok ? "ok" : "MISSING") << "\n";
    problems += !pin.binary_ok + !pin.database_ok;
  }
  if (problems == 0) {
    std::cout << "every pinned path exists\n";
    return 0;
  }
  std::cout << problems << (problems == 1 ? " pinned path is" : " pinned paths are")
            << " missing: `recall integrate claude-code " << printable(dir)
            << "` pins this recall and its database again\n";
  return 1;
}

void print_plan(const IntegrationPlan& plan, bool dry_run,
                const std::map<std::string, std::string>& backups) {
  for (const auto& file : plan.files) {
    switch (file.change) {
      case FileChange::kNone:
        break;
      case FileChange::kCreate:
        std::cout << (dry_run ? "would create " : "created ") << file.path << ": " << file.purpose
                  << "\n";
        break;
      case FileChange::kUpdate:
        std::cout << (dry_run ? "would update " : "updated ") << file.path << ": " << file.purpose
                  << (dry_run ? " (the old file would be backed up)\n"
                              : " (the old file is kept in " + backups.at(file.path) + ")\n");
        break;
      case FileChange::kKept:
        std::cout << "kept " << file.path << " (" << file.purpose
                  << "): it differs from recall's template; --force replaces it, keeping a "
                     "backup\n";
        break;
    }
  }
}

}  // namespace

int run_integrate(Context& context, const std::vector<std::string>& args) {
  po::options_description options("integrate options");
  options.add_options()("target", po::value<std::string>()->required(), "claude-code")(
      "dir", po::value<std::string>()->default_value("."),
      "the tutor's repository (default: here)")(
      "dry-run", "print the diff of every file it would change; write nothing")(
      "force", "replace skill files that differ from recall's templates (a backup is kept)")(
      "check", "report whether the binary and database the files pin still exist (exit 1 if not)");
  po::positional_options_description positional;
  positional.add("target", 1).add("dir", 1);
  po::variables_map values;
  if (!parse_args("integrate", args, options, positional, values,
                  "integrate claude-code [DIR] [--dry-run] [--force] | integrate claude-code [DIR] "
                  "--check"))
    return 0;
  const std::string target = values["target"].as<std::string>();
  if (target != "claude-code")
    throw Error::usage("integrate: unknown target '" + target + "' (known: claude-code)");
  const std::string dir = values["dir"].as<std::string>();
  if (values.count("check")) return print_check(dir);
  const bool dry_run = values.count("dry-run") > 0;
  ClaudeCodeSetup setup;
  const PinnedBinary binary = binary_to_pin(context);
  setup.recall_binary = binary.path;
  setup.database = fs::absolute(context.db_path()).lexically_normal().string();
  setup.force = values.count("force") > 0;

  const IntegrationPlan plan = plan_claude_code(dir, setup);
  std::map<std::string, std::string> backups;
  if (dry_run)
    std::cout << plan_diff(plan);
  else
    backups = apply_integration(plan);
  print_plan(plan, dry_run, backups);
  if (!plan.changes())
    std::cout << "nothing to change in " << dir << ": recall is integrated already\n";
  else if (dry_run)
    std::cout << "dry run: nothing written\n";
  if (binary.in_build_folder)
    std::cerr << "recall: warning: pinning " << printable(binary.path)
              << ", a binary in a build folder: this path breaks if you rebuild elsewhere or "
                 "remove that folder; run `make install` first, then this command again\n";
  return 0;
}

}  // namespace recall::cli
