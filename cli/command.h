// Shared setup for every command: the opened store, today's day, and the
// two-stage option parsing (global options, then the command's own).
#pragma once

#include <boost/program_options.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "recall/day.h"
#include "recall/paths.h"
#include "recall/store.h"

namespace recall::cli {

namespace po = boost::program_options;

class Context {
 public:
  Context(std::string db_path, std::optional<Day> today_override, std::string invoked_as = "")
      : db_path_(std::move(db_path)),
        today_override_(today_override),
        invoked_as_(std::move(invoked_as)) {}

  // Opens the database on first use (creating it and its folder).
  Store& store();
  // --today, else the learner's local day with the rollover hour setting.
  Day today();
  const std::string& db_path() const { return db_path_; }
  // The program name as invoked (argv[0]): `integrate` pins this path, not
  // the file a symlink resolves to.
  const std::string& invoked_as() const { return invoked_as_; }
  // The files an output must not replace (recall/paths.h). Opens the
  // database only when it exists: `deck generate` must not create one.
  ProtectedFiles protected_files();

 private:
  std::string db_path_;
  std::optional<Day> today_override_;
  std::string invoked_as_;
  std::unique_ptr<Store> store_;
};

struct Command {
  const char* name;
  const char* summary;  // one line, for `recall --help`
  int (*run)(Context& context, const std::vector<std::string>& args);
};

// Parses a command's arguments. Returns false when --help was asked (the
// help has been printed). Throws Error(kUsage) on bad options.
bool parse_args(const std::string& command, const std::vector<std::string>& args,
                po::options_description& options,
                const po::positional_options_description& positional, po::variables_map& values,
                const char* synopsis);

// Conversions shared by commands; each throws Error(kUsage) naming the argument.
Day parse_day_argument(const std::string& name, const std::string& text);
long long parse_card_id(const std::string& text);
int parse_grade(const std::string& text);
int parse_count(const std::string& name, const std::string& text);
char parse_domain_letter(const std::string& text);

// The command table, in the order `recall --help` lists it.
const std::vector<Command>& commands();

}  // namespace recall::cli

namespace recall::cli {
// The options every command accepts before its name (--db, --today, --help,
// --version): the parser's, the completion scripts' and the man page's.
const po::options_description& global_options();
// $RECALL_DB, else $XDG_DATA_HOME/recall/recall.db, else
// $HOME/.local/share/recall/recall.db.
std::string default_db_path();
// The commit recall was built from ("unknown" without git), generated at
// build time into one file (scripts/version.cmake).
extern const char* const kBuildCommit;
// "recall 0.1.0 (commit 6b0f7c6a1b2c)".
std::string version_text();

// A command's options and positional arguments as its parser declares them,
// read by running the command in a describing mode where parse_args records
// its tables and returns before anything else happens (completion, man page).
struct OptionInfo {
  std::string name;     // long name: "topic"
  char short_name = 0;  // 'o' for -o, else 0
  bool takes_value = false;
  std::string description;
  bool positional = false;  // filled from the command line's positions
};
struct CommandInfo {
  std::string name, summary, synopsis;
  std::vector<OptionInfo> options;       // in declaration order, --help last
  std::vector<std::string> positionals;  // option names by position; the last may repeat
  bool last_positional_repeats = false;
};
CommandInfo describe(const Command& command);
// The options of `options` as OptionInfo (positional left false): what
// describe() records for a command, and the global options for completion
// and the man page.
std::vector<OptionInfo> describe_options(const po::options_description& options);
}  // namespace recall::cli

namespace recall::cli {
// --topic, --domain, --gaps: the filters shared by review, next and due.
void add_filter_options(po::options_description& options);
CardFilter filter_from(const po::variables_map& values);
}  // namespace recall::cli
