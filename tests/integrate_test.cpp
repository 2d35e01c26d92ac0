// `recall integrate claude-code`: the tutor's repository (tests/data/tutor-repo)
// gets the MCP server, the SessionStart brief hook and the skills, merged
// into its own settings, through the real binary.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "recall/error.h"
#include "recall/integrate.h"
#include "support.h"

using namespace recall;
using namespace recall::test;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

// A copy of the tutor's repository and a database path (never created here).
struct TutorRepo {
  TempDir temp;
  std::string repo = temp.file("tutor");
  std::string db = temp.file("data/recall.db");
  TutorRepo() { fs::copy(source_path("tests/data/tutor-repo"), repo, fs::copy_options::recursive); }
  std::string path(const std::string& relative) const { return repo + "/" + relative; }
  std::string read(const std::string& relative) const { return read_bytes(path(relative)); }
  RunResult integrate(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"integrate", "claude-code", repo};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_recall(db, args);
  }
  // Every file of the repository and its bytes.
  std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(repo))
      if (entry.is_regular_file())
        files[fs::relative(entry.path(), repo).string()] = read_bytes(entry.path().string());
    return files;
  }
};

std::string binary() { return fs::canonical(RECALL_BINARY).string(); }

std::string run_shell(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    out.append(buffer, got);
  ::pclose(pipe);
  return out;
}

}  // namespace

TEST_CASE("integrate appends the brief hook to the tutor's hooks and creates the server and skills",
          "[integrate]") {
  TutorRepo tutor;
  const std::string old_settings = tutor.read(".claude/settings.json");
  fs::permissions(tutor.path(".claude/settings.json"), fs::perms(0640));
  const auto result = tutor.integrate();
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("created .mcp.json") != std::string::npos);
  CHECK(result.out.find("updated .claude/settings.json") != std::string::npos);

  const Json before = Json::parse(old_settings);
  const Json after = Json::parse(tutor.read(".claude/settings.json"));
  std::vector<std::string> keys;
  for (const auto& [key, value] : after.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"permissions", "hooks", "env", "includeCoAuthoredBy"});
  CHECK(after["permissions"] == before["permissions"]);
  CHECK(after["hooks"]["Stop"] == before["hooks"]["Stop"]);
  REQUIRE(after["hooks"]["SessionStart"].size() == 2);
  CHECK(after["hooks"]["SessionStart"][0] ==
        before["hooks"]["SessionStart"][0]);  // the tutor's hook first
  const Json& ours = after["hooks"]["SessionStart"][1];
  CHECK(ours["matcher"] == "startup|resume|clear|compact");
  const std::string command = ours["hooks"][0]["command"];
  CHECK(command == binary() + " --db " + tutor.db + " brief");
  // The hook works as written, and finds no database yet without making one.
  CHECK(run_shell(command).find("no database at " + tutor.db) != std::string::npos);
  CHECK_FALSE(fs::exists(tutor.db));

  CHECK(Json::parse(tutor.read(".mcp.json")) ==
        Json::parse(R"({"mcpServers":{"recall":{"type":"stdio","command":")" + binary() +
                    R"(","args":["--db",")" + tutor.db + R"(","mcp"]}}})"));
  for (const std::string skill : {"recall-drill", "recall-cards"}) {
    const std::string text = tutor.read(".claude/skills/" + skill + "/SKILL.md");
    CHECK(text ==
          read_bytes(source_path("integrations/claude-code/skills/" + skill + "/SKILL.md")));
    CHECK(text.rfind("---\nname: " + skill + "\ndescription: ", 0) == 0);
    CHECK(text.find("\nallowed-tools: mcp__recall__") != std::string::npos);
  }
  // The old settings are kept in recall's backups, private, and named.
  const auto backups = backups_of(tutor.path(".claude/settings.json"));
  REQUIRE(backups.size() == 1);
  CHECK(read_bytes(backups[0]) == old_settings);
  CHECK(result.out.find("(the old file is kept in " + backups[0] + ")") != std::string::npos);
  CHECK(mode_of(tutor.path(".claude/settings.json")) == 0640);
  CHECK(mode_of(backups[0]) == 0600);
  CHECK_FALSE(fs::exists(tutor.path(".claude/settings.json.bak")));  // nothing in the repository
  CHECK(backups_of(tutor.path(".mcp.json")).empty());                // there was no old file
  CHECK(tutor.read("CLAUDE.md") == read_bytes(source_path("tests/data/tutor-repo/CLAUDE.md")));
}

TEST_CASE("a second integrate changes nothing and says so", "[integrate]") {
  TutorRepo tutor;
  REQUIRE(tutor.integrate().exit_code == 0);
  const auto files = tutor.snapshot();
  const auto again = tutor.integrate();
  CHECK(again.exit_code == 0);
  CHECK(again.out == "nothing to change in " + tutor.repo + ": recall is integrated already\n");
  CHECK(tutor.snapshot() == files);
}

TEST_CASE("integrate merges recall into an .mcp.json with another server", "[integrate]") {
  TutorRepo tutor;
  const std::string old_mcp =
      "{\n    \"mcpServers\": {\n        \"github\": {\"type\": \"http\", \"url\": "
      "\"https://api.githubcopilot.com/mcp/\"}\n"
      "    },\n    \"note\": \"team servers\"\n}\n";
  write_bytes(tutor.path(".mcp.json"), old_mcp);
  REQUIRE(tutor.integrate().exit_code == 0);
  const std::string text = tutor.read(".mcp.json");
  const Json mcp = Json::parse(text);
  CHECK(mcp["mcpServers"]["github"] == Json::parse(old_mcp)["mcpServers"]["github"]);
  CHECK(mcp["mcpServers"].begin().key() == "github");
  CHECK(mcp["mcpServers"]["recall"]["args"].back() == "mcp");
  CHECK(mcp["note"] == "team servers");
  CHECK(text.find("\n    \"mcpServers\"") != std::string::npos);  // its four-space indent kept
  CHECK(read_bytes(newest_backup_of(tutor.path(".mcp.json"))) == old_mcp);
}

TEST_CASE("a malformed settings file is refused with its line and column, and nothing changes",
          "[integrate]") {
  TutorRepo tutor;
  // The comma after "deny"'s array is missing.
  std::string settings = tutor.read(".claude/settings.json");
  const auto at = settings.find("    ]\n  },\n  \"hooks\"");
  REQUIRE(at != std::string::npos);
  settings.replace(at, 11, "    ]\n  }\n");
  write_bytes(tutor.path(".claude/settings.json"), settings);
  const auto files = tutor.snapshot();
  const auto result = tutor.integrate();
  CHECK(result.exit_code == 1);
  CHECK(
      result.err ==
      "recall: " + tutor.path(".claude/settings.json") +
          ": 13:9: syntax error while parsing object - unexpected string literal; expected '}'\n");
  CHECK(result.out.empty());
  CHECK(tutor.snapshot() == files);  // no .mcp.json, no skills
  CHECK(backups_of(tutor.path(".claude/settings.json")).empty());
}

TEST_CASE("integrate --dry-run prints the diff of each file and writes nothing", "[integrate]") {
  TutorRepo tutor;
  const auto files = tutor.snapshot();
  const auto result = tutor.integrate({"--dry-run"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("--- a/.claude/settings.json\n+++ b/.claude/settings.json\n@@ ") !=
        std::string::npos);
  CHECK(result.out.find("+        \"matcher\": \"startup|resume|clear|compact\",\n") !=
        std::string::npos);
  CHECK(result.out.find("--- /dev/null\n+++ b/.mcp.json\n") != std::string::npos);
  CHECK(result.out.find("--- /dev/null\n+++ b/.claude/skills/recall-drill/SKILL.md\n") !=
        std::string::npos);
  CHECK(result.out.find("would update .claude/settings.json") != std::string::npos);
  CHECK(result.out.find("dry run: nothing written\n") != std::string::npos);
  CHECK(tutor.snapshot() == files);
}

TEST_CASE("an edited skill is kept unless --force, which keeps a backup", "[integrate]") {
  TutorRepo tutor;
  REQUIRE(tutor.integrate().exit_code == 0);
  const std::string skill = ".claude/skills/recall-drill/SKILL.md";
  const std::string edited = tutor.read(skill) + "\nAlways drill in French.\n";
  write_bytes(tutor.path(skill), edited);
  const auto kept = tutor.integrate();
  CHECK(kept.exit_code == 0);
  CHECK(kept.out.find("kept " + skill +
                      " (the recall-drill skill): it differs from recall's template") !=
        std::string::npos);
  CHECK(kept.out.find("nothing to change") != std::string::npos);
  CHECK(tutor.read(skill) == edited);
  const auto forced = tutor.integrate({"--force"});
  CHECK(forced.exit_code == 0);
  CHECK(forced.out.find("updated " + skill) != std::string::npos);
  CHECK(tutor.read(skill) ==
        read_bytes(source_path("integrations/claude-code/skills/recall-drill/SKILL.md")));
  CHECK(read_bytes(newest_backup_of(tutor.path(skill))) == edited);
  CHECK_FALSE(fs::exists(tutor.path(skill + ".bak")));
}

TEST_CASE("a recall brief hook already there is updated in place, not added twice", "[integrate]") {
  TutorRepo tutor;
  write_bytes(
      tutor.path(".claude/settings.json"),
      R"({"hooks":{"SessionStart":[{"hooks":[{"type":"command","command":"'/old place/recall' brief"}]}]}})");
  REQUIRE(tutor.integrate().exit_code == 0);
  const Json after = Json::parse(tutor.read(".claude/settings.json"));
  REQUIRE(after["hooks"]["SessionStart"].size() == 1);
  CHECK(after["hooks"]["SessionStart"][0]["hooks"][0]["command"] ==
        binary() + " --db " + tutor.db + " brief");
}

// Issue 23.7: a session resumed the next day started with yesterday's brief.
TEST_CASE("the brief hook also runs on resume, and an older install's matcher gains it",
          "[integrate]") {
  TutorRepo tutor;
  write_bytes(tutor.path(".claude/settings.json"),
              R"({"hooks":{"SessionStart":[{"matcher":"startup|clear|compact","hooks":)"
              R"([{"type":"command","command":"'/old place/recall' brief"}]}]}})");
  REQUIRE(tutor.integrate().exit_code == 0);
  const Json after = Json::parse(tutor.read(".claude/settings.json"));
  REQUIRE(after["hooks"]["SessionStart"].size() == 1);
  CHECK(after["hooks"]["SessionStart"][0]["matcher"] == "startup|resume|clear|compact");
  const Json shipped =
      Json::parse(read_bytes(source_path("integrations/claude-code/settings.json")));
  CHECK(shipped["hooks"]["SessionStart"][0]["matcher"] == "startup|resume|clear|compact");
}

TEST_CASE("integrate refuses an unknown target and a missing folder", "[integrate]") {
  TutorRepo tutor;
  const auto target = run_recall(tutor.db, {"integrate", "vscode", tutor.repo});
  CHECK(target.exit_code == 2);
  CHECK(target.err.find("unknown target 'vscode'") != std::string::npos);
  const auto folder = run_recall(tutor.db, {"integrate", "claude-code", tutor.path("missing")});
  CHECK(folder.exit_code == 1);
  CHECK(folder.err == "recall: " + tutor.path("missing") + ": is not a folder\n");
}

TEST_CASE("recall brief hook commands are recognised by their first and last words",
          "[integrate]") {
  CHECK(is_recall_brief_command("recall brief"));
  CHECK(is_recall_brief_command("/usr/local/bin/recall --db /x/recall.db brief"));
  CHECK(is_recall_brief_command("'/home/me/my tools/recall' --db '/home/me/it'\\''s.db' brief"));
  CHECK(is_recall_brief_command("\"/opt/recall\" brief"));
  CHECK_FALSE(is_recall_brief_command("recall"));
  CHECK_FALSE(is_recall_brief_command("recall stats"));
  CHECK_FALSE(is_recall_brief_command("/usr/bin/recall-notes brief"));
  CHECK_FALSE(is_recall_brief_command("echo recall brief | tee log"));
}

TEST_CASE("merges read a missing file as empty and refuse JSON that is not an object",
          "[integrate]") {
  const ClaudeCodeSetup setup{"/opt/recall/bin/recall", "/home/me/my data/recall.db", false};
  const Json hook = Json::parse(merge_session_hook("", "s.json", setup));
  CHECK(hook["hooks"]["SessionStart"][0]["hooks"][0]["command"] ==
        "/opt/recall/bin/recall --db '/home/me/my data/recall.db' brief");
  CHECK(Json::parse(merge_mcp_config(" \n", "m.json", setup))["mcpServers"]["recall"]["args"][1] ==
        "/home/me/my data/recall.db");
  // Already there: the text comes back as it is, in the user's layout.
  const std::string compact =
      R"({"mcpServers":{"recall":{"type":"stdio","command":"/opt/recall/bin/recall",)"
      R"("args":["--db","/home/me/my data/recall.db","mcp"]}}})";
  CHECK(merge_mcp_config(compact, "m.json", setup) == compact);
  auto message = [&](const std::string& text) {
    try {
      merge_session_hook(text, "s.json", setup);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("\n  [1]") == "s.json: 2:3: expected a JSON object");
  CHECK(message("{\n  \"a\": tru\n}") ==
        "s.json: 2:11: syntax error while parsing value - invalid literal");
  CHECK(message("{\"hooks\": []}") == "s.json: \"hooks\" must be an object (it is array)");
  CHECK(message("{\"hooks\": {\"SessionStart\": {}}}") ==
        "s.json: \"hooks.SessionStart\" must be an array (it is object)");
}
