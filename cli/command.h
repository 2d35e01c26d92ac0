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
  Context(std::string db_path, std::optional<Day> today_override)
      : db_path_(std::move(db_path)), today_override_(today_override) {}

  // Opens the database on first use (creating it and its folder).
  Store& store();
  // --today, else the learner's local day with the rollover hour setting.
  Day today();
  const std::string& db_path() const { return db_path_; }
  // The files an output must not replace (recall/paths.h). Opens the
  // database only when it exists: `deck generate` must not create one.
  ProtectedFiles protected_files();

 private:
  std::string db_path_;
  std::optional<Day> today_override_;
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
// --topic, --domain, --gaps: the filters shared by review, next and due.
void add_filter_options(po::options_description& options);
CardFilter filter_from(const po::variables_map& values);
}  // namespace recall::cli
