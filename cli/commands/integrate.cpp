// `recall integrate claude-code [DIR]`: installs the MCP server, the
// SessionStart brief hook and the two skills into a tutor's repository.
#include <filesystem>
#include <iostream>
#include <map>

#include "commands.h"
#include "recall/error.h"
#include "recall/integrate.h"

namespace recall::cli {

namespace {

namespace fs = std::filesystem;

// The binary the tutor will run is this one: it may not be on the PATH a
// hook or an MCP client sees.
std::string running_binary() {
  std::error_code error;
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (error)
    throw Error::io("/proc/self/exe: cannot find the running recall binary: " + error.message());
  return binary.string();
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
      "force", "replace skill files that differ from recall's templates (a backup is kept)");
  po::positional_options_description positional;
  positional.add("target", 1).add("dir", 1);
  po::variables_map values;
  if (!parse_args("integrate", args, options, positional, values,
                  "integrate claude-code [DIR] [--dry-run] [--force]"))
    return 0;
  const std::string target = values["target"].as<std::string>();
  if (target != "claude-code")
    throw Error::usage("integrate: unknown target '" + target + "' (known: claude-code)");
  const std::string dir = values["dir"].as<std::string>();
  const bool dry_run = values.count("dry-run") > 0;
  ClaudeCodeSetup setup;
  setup.recall_binary = running_binary();
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
  return 0;
}

}  // namespace recall::cli
