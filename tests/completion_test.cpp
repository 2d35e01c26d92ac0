// `recall completion`: the scripts offer every command and every option
// `recall COMMAND --help` lists (they are written from the same tables), and
// `--list` reads a database without creating or changing one.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "support.h"

using namespace recall::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> command_names() {
  const RunResult help = run_raw({"--help"});
  std::vector<std::string> names;
  std::istringstream lines(help.out);
  bool in_commands = false;
  for (std::string line; std::getline(lines, line);) {
    if (line == "commands:") in_commands = true;
    std::smatch match;
    if (in_commands && std::regex_match(line, match, std::regex("  ([a-z]+) .*")))
      names.push_back(match[1]);
  }
  return names;
}

std::set<std::string> help_options(const std::string& command) {
  const RunResult help = run_raw({command, "--help"});
  std::set<std::string> options;
  const std::regex option("\\s(--[a-z][a-z-]*)");
  for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), option);
       it != std::sregex_iterator(); ++it)
    options.insert((*it)[1]);
  return options;
}

// The bash script's line for `command`: its options and positional kinds.
std::string bash_arm(const std::string& script, const std::string& command) {
  const auto at = script.find("\n    " + command + ")\n");
  REQUIRE(at != std::string::npos);
  const auto start = script.find('\n', at + 1) + 1;
  return script.substr(start, script.find('\n', start) - start);
}

}  // namespace

TEST_CASE("completion: every command and every option of its --help is offered") {
  const RunResult bash = run_raw({"completion", "bash"});
  const RunResult zsh = run_raw({"completion", "zsh"});
  REQUIRE(bash.exit_code == 0);
  REQUIRE(zsh.exit_code == 0);
  const auto names = command_names();
  REQUIRE(names.size() > 20);
  for (const auto& name : names) {
    INFO(name);
    CHECK(zsh.out.find("\n    '" + name + ":") != std::string::npos);
    CHECK(zsh.out.find("\n        " + name + ")\n") != std::string::npos);
    const std::string arm = bash_arm(bash.out, name);
    const auto options = help_options(name);
    CHECK(options.count("--help") == 1);
    for (const auto& option : options) {
      INFO(option);
      // An option named by its place (`answer CARD_ID GRADE`) is completed
      // there, as a positional word; every other one is offered after a dash.
      const bool offered = (" " + arm).find(" " + option + " ") != std::string::npos ||
                           arm.find("'" + option + " ") != std::string::npos ||
                           arm.find(" " + option + "'") != std::string::npos;
      const bool positional = zsh.out.find(":" + option.substr(2) + ":") != std::string::npos;
      CHECK((offered || positional));
    }
  }
}

TEST_CASE("completion --list reads ids and topics, and never creates a database") {
  TempDir temp;
  const std::string missing = temp.file("none/recall.db");
  const RunResult nothing = run_recall(missing, {"completion", "--list", "card-ids"});
  CHECK(nothing.exit_code == 0);
  CHECK(nothing.out.empty());
  CHECK_FALSE(fs::exists(temp.file("none")));

  const std::string db = temp.file("recall.db");
  REQUIRE(run_recall(db, {"import", fixture_path()}).exit_code == 0);
  const RunResult ids = run_recall(db, {"completion", "--list", "card-ids"});
  REQUIRE(ids.exit_code == 0);
  CHECK(ids.out.rfind("1\n", 0) == 0);
  const RunResult card = run_recall(db, {"card", "1"});
  CHECK(card.exit_code == 0);
  const RunResult topics = run_recall(db, {"completion", "--list", "topics"});
  CHECK(topics.out.find("A.8\n") != std::string::npos);
  const RunResult domains = run_recall(db, {"completion", "--list", "domains"});
  CHECK(domains.out.rfind("A\n", 0) == 0);

  CHECK(run_recall(db, {"completion", "fish"}).exit_code == 2);
  CHECK(run_recall(db, {"completion", "--list", "cards"}).exit_code == 2);
  CHECK(run_recall(db, {"completion"}).exit_code == 2);
}

TEST_CASE("version: recall --version names the version and the commit") {
  const RunResult version = run_raw({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(std::regex_match(version.out, std::regex("recall [0-9]+\\.[0-9]+\\.[0-9]+ \\(commit "
                                                 "([0-9a-f]{7,}(-dirty)?|unknown)\\)\n")));
}
