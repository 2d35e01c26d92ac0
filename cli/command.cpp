#include "command.h"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "recall/error.h"
#include "recall/study.h"

namespace recall::cli {

Store& Context::store() {
  if (!store_) store_ = std::make_unique<Store>(db_path_);
  return *store_;
}

ProtectedFiles Context::protected_files() {
  std::error_code missing;
  if (!store_ && !std::filesystem::exists(db_path_, missing)) return {db_path_, {}};
  return recall::protected_files(store());
}

Day Context::today() {
  if (today_override_) return *today_override_;
  return study_day(store(), std::chrono::system_clock::now());
}

namespace {
CommandInfo* describing = nullptr;  // describe(): parse_args records here

void record(CommandInfo& info, const po::options_description& options,
            const po::positional_options_description& positional, const char* synopsis) {
  info.synopsis = synopsis;
  const unsigned count = positional.max_total_count();
  for (unsigned i = 0; i < count; ++i) {
    const std::string& name = positional.name_for_position(i);
    if (!info.positionals.empty() && info.positionals.back() == name) {
      info.last_positional_repeats = true;
      break;
    }
    info.positionals.push_back(name);
  }
  info.options = describe_options(options);
  for (auto& option : info.options)
    for (const auto& name : info.positionals) option.positional |= name == option.name;
}
}  // namespace

std::vector<OptionInfo> describe_options(const po::options_description& options) {
  std::vector<OptionInfo> described;
  for (const auto& option : options.options()) {
    OptionInfo out;
    out.name = option->long_name();
    const std::string shown =
        option->canonical_display_name(po::command_line_style::allow_dash_for_short);
    if (shown.size() == 2 && shown[0] == '-') out.short_name = shown[1];
    out.takes_value = option->semantic()->max_tokens() > 0;
    out.description = option->description();
    described.push_back(std::move(out));
  }
  return described;
}

CommandInfo describe(const Command& command) {
  CommandInfo info;
  info.name = command.name;
  info.summary = command.summary;
  Context context("", std::nullopt);  // never opened: parse_args returns first
  describing = &info;
  struct Reset {
    ~Reset() { describing = nullptr; }
  } reset;
  command.run(context, {});
  return info;
}

const po::options_description& global_options() {
  static const po::options_description globals = [] {
    po::options_description options("global options");
    options.add_options()(
        "db", po::value<std::string>(),
        "database file (default: $RECALL_DB, else $XDG_DATA_HOME/recall/recall.db)")(
        "today", po::value<std::string>(), "act as if today were YYYY-MM-DD")(
        "help,h", "show this help")("version", "print the version and the commit");
    return options;
  }();
  return globals;
}

std::string default_db_path() {
  if (const char* env = std::getenv("RECALL_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/recall/recall.db";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/recall/recall.db";
}

std::string version_text() {
  return std::string("recall ") + RECALL_VERSION + " (commit " + kBuildCommit + ")";
}

bool parse_args(const std::string& command, const std::vector<std::string>& args,
                po::options_description& options,
                const po::positional_options_description& positional, po::variables_map& values,
                const char* synopsis) {
  options.add_options()("help,h", "show this help");
  if (describing) {
    record(*describing, options, positional, synopsis);
    return false;
  }
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
    // Help wins over missing required arguments.
    if (values.count("help")) {
      std::cout << "usage: recall [--db PATH] [--today DATE] " << synopsis << "\n\n" << options;
      return false;
    }
    po::notify(values);
  } catch (const po::error& e) {
    throw Error::usage(command + ": " + e.what() + " (see recall " + command + " --help)");
  }
  return true;
}

Day parse_day_argument(const std::string& name, const std::string& text) {
  auto day = parse_day(text);
  if (!day) throw Error::usage(name + ": '" + text + "' is not a valid date (YYYY-MM-DD)");
  return *day;
}

namespace {

bool parse_whole(const std::string& text, long long& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

}  // namespace

long long parse_card_id(const std::string& text) {
  long long id = 0;
  if (!parse_whole(text, id) || id <= 0)
    throw Error::usage("CARD_ID: '" + text + "' is not a card id (a positive whole number)");
  return id;
}

int parse_grade(const std::string& text) {
  long long grade = -1;
  if (!parse_whole(text, grade) || grade < 0 || grade > 5)
    throw Error::usage("GRADE: '" + text + "' is not a grade (a whole number 0 to 5)");
  return static_cast<int>(grade);
}

int parse_count(const std::string& name, const std::string& text) {
  long long count = -1;
  if (!parse_whole(text, count) || count < 0 || count > 1000000)
    throw Error::usage(name + ": '" + text + "' is not a count (0 to 1000000)");
  return static_cast<int>(count);
}

char parse_domain_letter(const std::string& text) {
  if (text.size() != 1 || !std::isalpha(static_cast<unsigned char>(text[0])))
    throw Error::usage("--domain: '" + text + "' is not a domain letter (A, B, ...)");
  return static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
}

}  // namespace recall::cli

namespace recall::cli {

void add_filter_options(po::options_description& options) {
  options.add_options()("topic", po::value<std::string>(),
                        "only cards of the topic with this label (A.8)")(
      "domain", po::value<std::string>(), "only cards of this domain (A..F)")(
      "gaps", "only cards linked to knowledge gaps or recurring mistakes");
}

CardFilter filter_from(const po::variables_map& values) {
  CardFilter filter;
  if (values.count("topic")) filter.topic_label = values["topic"].as<std::string>();
  if (values.count("domain"))
    filter.domain_letter = parse_domain_letter(values["domain"].as<std::string>());
  filter.gaps_only = values.count("gaps") > 0;
  return filter;
}

}  // namespace recall::cli
