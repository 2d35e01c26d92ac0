// `recall integrate claude-code` against a hostile or unusual repository
// (issue 22): planted links, deep JSON, a user's compound hook, a
// settings.json whose bytes recall must keep, a killed run's temporary
// files, and two runs at once. Through the engine and the real binary.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "recall/error.h"
#include "recall/files.h"
#include "recall/integrate.h"
#include "recall/json_edit.h"
#include "support.h"

using namespace recall;
using namespace recall::test;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

struct Repo {
  TempDir temp;
  std::string repo = temp.file("tutor");
  std::string db = temp.file("data/recall.db");
  Repo() { fs::copy(source_path("tests/data/tutor-repo"), repo, fs::copy_options::recursive); }
  std::string path(const std::string& relative) const { return repo + "/" + relative; }
  std::string read(const std::string& relative) const { return read_bytes(path(relative)); }
  RunResult integrate(std::vector<std::string> extra = {}, const std::string& env = "") const {
    std::vector<std::string> args = {"--db", db, "integrate", "claude-code", repo};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_raw(args, "", env);
  }
  std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(repo)) {
      const std::string name = fs::relative(entry.path(), repo).string();
      if (entry.is_symlink())
        files[name] = "-> " + fs::read_symlink(entry.path()).string();
      else if (entry.is_regular_file())
        files[name] = read_bytes(entry.path().string());
      else
        files[name] = "(folder)";
    }
    return files;
  }
};

std::string deep(std::size_t levels) {
  return "{\"a\": " + std::string(levels, '[') + std::string(levels, ']') + "}\n";
}

// A recall process started in the background, its pid known.
struct Background {
  pid_t pid = -1;
  explicit Background(const std::vector<std::string>& args) {
    pid = ::fork();
    if (pid == 0) {
      std::vector<std::string> storage = {RECALL_BINARY};
      storage.insert(storage.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& arg : storage) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::freopen("/dev/null", "w", stdout);
      ::execv(RECALL_BINARY, argv.data());
      ::_exit(127);
    }
  }
  bool exited(int& code) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) != pid) return false;
    code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    pid = -1;
    return true;
  }
  int wait() {
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  ~Background() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

const ClaudeCodeSetup kSetup{"/opt/recall/bin/recall", "/home/me/recall.db", false};

}  // namespace

TEST_CASE("integrate never writes through a planted .mcp.json.bak or settings.json.bak link",
          "[integrate][safety]") {
  Repo r;
  const std::string victim = r.temp.file("bashrc");
  write_bytes(victim, "export PATH=/usr/bin\n");
  ::chmod(victim.c_str(), 0644);
  const std::string old_mcp = "{\"mcpServers\": {}}\n";
  write_bytes(r.path(".mcp.json"), old_mcp);
  fs::create_symlink(victim, r.path(".mcp.json.bak"));
  fs::create_symlink(victim, r.path(".claude/settings.json.bak"));
  const auto result = r.integrate();
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(read_bytes(victim) == "export PATH=/usr/bin\n");
  CHECK(own_mode_of(victim) == 0644);
  CHECK(fs::read_symlink(r.path(".mcp.json.bak")) == victim);
  CHECK(read_bytes(newest_backup_of(r.path(".mcp.json"))) == old_mcp);
  CHECK(Json::parse(r.read(".mcp.json"))["mcpServers"]["recall"]["args"].back() == "mcp");
}

TEST_CASE("integrate refuses to write a skill through a linked skill folder",
          "[integrate][safety]") {
  Repo r;
  const std::string elsewhere = r.temp.file("elsewhere");
  fs::create_directories(elsewhere);
  fs::create_directories(r.path(".claude/skills"));
  fs::create_directory_symlink(elsewhere, r.path(".claude/skills/recall-drill"));
  const auto before = r.snapshot();
  const auto result = r.integrate();
  CHECK(result.exit_code == 1);
  CHECK(result.err == "recall: " + r.path(".claude/skills/recall-drill") +
                          ": is a symlink; recall writes the recall-drill skill only inside the "
                          "repository, never through a link (remove the link, or copy the skill "
                          "from recall's templates yourself); nothing written\n");
  CHECK(fs::is_empty(elsewhere));
  CHECK(r.snapshot() == before);  // no .mcp.json, no settings change: nothing written
  // A linked SKILL.md is refused the same way; the user's own files are not.
  fs::remove(r.path(".claude/skills/recall-drill"));
  fs::create_directories(r.path(".claude/skills/recall-cards"));
  fs::create_symlink(r.temp.file("skill.md"), r.path(".claude/skills/recall-cards/SKILL.md"));
  CHECK_THAT(r.integrate().err, Catch::Contains("recall-cards/SKILL.md: is a symlink"));
  CHECK_FALSE(fs::exists(r.temp.file("skill.md")));
}

TEST_CASE("integrate refuses deeply nested or oversized JSON with its line and column",
          "[integrate][safety]") {
  SECTION("through the engine, at the bound and past it") {
    CHECK_NOTHROW(merge_session_hook(deep(kMaxJsonDepth - 1), "s.json", kSetup));
    try {
      merge_session_hook(deep(200000), "s.json", kSetup);
      FAIL("a 200,000-level file was read");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kData);
      CHECK(std::string(e.what()) ==
            "s.json: 1:70: nested deeper than 64 levels; recall reads no deeper or larger JSON");
    }
    std::string wide = "{\"permissions\": {\"allow\": [";
    for (std::size_t i = 0; i <= kMaxJsonMembers; ++i) wide += (i ? ",\"x\"" : "\"x\"");
    wide += "]}}";
    CHECK_THROWS_WITH(merge_mcp_config(wide, "m.json", kSetup),
                      Catch::Contains("m.json: 1:") &&
                          Catch::Contains("more than 10000 members in one object or array"));
  }
  SECTION("through the binary, with and without --dry-run") {
    Repo r;
    write_bytes(r.path(".claude/settings.json"), deep(200000));
    const auto files = r.snapshot();
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{}, std::vector<std::string>{"--dry-run"}}) {
      const auto result = r.integrate(extra);
      CHECK(result.exit_code == 1);
      CHECK(result.err == "recall: " + r.path(".claude/settings.json") +
                              ": 1:70: nested deeper than 64 levels; recall reads no deeper or "
                              "larger JSON\n");
      CHECK(result.out.empty());
      CHECK(r.snapshot() == files);
    }
  }
}

TEST_CASE("a compound hook the user wrote is left alone and recall's is added beside it",
          "[integrate][safety]") {
  for (const std::string command :
       {"recall brief; ./scripts/load-my-notes.sh", "recall brief && ./notes.sh brief",
        "./notes.sh | recall brief", "recall $(cat args) brief", "recall brief > /tmp/log brief"}) {
    INFO(command);
    CHECK_FALSE(is_recall_brief_command(command));
    Repo r;
    const Json mine = {{"type", "command"}, {"command", command}};
    write_bytes(r.path(".claude/settings.json"),
                Json{{"hooks", {{"SessionStart", {{{"hooks", {mine}}}}}}}}.dump(2) + "\n");
    REQUIRE(r.integrate().exit_code == 0);
    const Json after = Json::parse(r.read(".claude/settings.json"));
    REQUIRE(after["hooks"]["SessionStart"].size() == 2);
    CHECK(after["hooks"]["SessionStart"][0]["hooks"][0] == mine);
    CHECK_THAT(after["hooks"]["SessionStart"][1]["hooks"][0]["command"].get<std::string>(),
               Catch::EndsWith(" brief"));
  }
}

TEST_CASE("integrate keeps every byte of settings.json outside what it adds",
          "[integrate][safety]") {
  Repo r;
  // A BOM, CRLF, a 30-digit number, -0, a duplicate key, tabs, an escaped key.
  const std::string head =
      "\xEF\xBB\xBF{\r\n\t\"big\": 123456789012345678901234567890,\r\n\t\"zero\": -0,\r\n"
      "\t\"dup\": 1,\r\n\t\"dup\": 2,\r\n\t\"\\u0068ooks\": {\r\n\t\t\"Stop\": []";
  const std::string tail = "\r\n\t}\r\n}\r\n";
  write_bytes(r.path(".claude/settings.json"), head + tail);
  const auto result = r.integrate();
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const std::string after = r.read(".claude/settings.json");
  CHECK(after.substr(0, head.size()) == head);
  CHECK(after.substr(after.size() - tail.size()) == tail);
  std::size_t bare = 0;
  for (std::size_t i = 0; i < after.size(); ++i)
    if (after[i] == '\n' && after[i - 1] != '\r') ++bare;
  CHECK(bare == 0);
  const std::string added = after.substr(head.size(), after.size() - head.size() - tail.size());
  CHECK(added.rfind(",\r\n\t\t\"SessionStart\": [\r\n\t\t\t{\r\n\t\t\t\t\"matcher\": "
                    "\"startup|resume|clear|compact\",\r\n",
                    0) == 0);
  const Json parsed = Json::parse(after);
  CHECK(parsed["hooks"]["SessionStart"][0]["matcher"] == "startup|resume|clear|compact");
  // A second run finds it installed and leaves the file alone.
  CHECK_THAT(r.integrate().out, Catch::Contains("recall is integrated already"));
  CHECK(r.read(".claude/settings.json") == after);
}

TEST_CASE("a moved database changes only the hook's command and the server's args",
          "[integrate][safety]") {
  const std::string compact =
      R"({"x":-0,"mcpServers":{"recall":{"type":"stdio","command":"/opt/recall/bin/recall","args":["--db","/old.db","mcp"],"env":{"A":"1"}}}})";
  const std::string merged = merge_mcp_config(compact, "m.json", kSetup);
  CHECK(
      merged ==
      R"({"x":-0,"mcpServers":{"recall":{"type":"stdio","command":"/opt/recall/bin/recall","args":["--db","/home/me/recall.db","mcp"],"env":{"A":"1"}}}})");
}

TEST_CASE("a killed integrate's temporary files are removed by the next run, no others",
          "[integrate][safety]") {
  Repo r;
  write_bytes(r.path(".mcp.json.recall-Ab12Cd"), "half written");
  write_bytes(r.path(".mcp.json.recall-notes"), "the user's");
  write_bytes(r.path(".claude/settings.json.recall-zz99ZZ"), "half written");
  REQUIRE(r.integrate().exit_code == 0);
  CHECK_FALSE(fs::exists(r.path(".mcp.json.recall-Ab12Cd")));
  CHECK_FALSE(fs::exists(r.path(".claude/settings.json.recall-zz99ZZ")));
  CHECK(r.read(".mcp.json.recall-notes") == "the user's");
}

TEST_CASE("an integrate that fails before its renames leaves no half install",
          "[integrate][safety]") {
  Repo r;
  write_bytes(r.path(".mcp.json"), "{}\n");
  const auto before = r.snapshot();
  // The backup of .mcp.json cannot be made (the state folder is a file):
  // no file is replaced, no skill folder is left, no temporary file stays.
  const std::string blocked = r.temp.file("state");
  write_bytes(blocked, "not a folder");
  const auto result = r.integrate({}, "XDG_STATE_HOME=" + blocked);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains(blocked));
  CHECK(r.snapshot() == before);
}

TEST_CASE("two integrates at once: the second waits for the first", "[integrate][safety]") {
  Repo r;
  std::unique_ptr<Background> second;
  int code = -1;
  bool done = false;
  {
    const IntegrationPlan plan =
        plan_claude_code(r.repo, {"/opt/recall/bin/recall", r.temp.file("first.db"), false});
    second = std::make_unique<Background>(std::vector<std::string>{
        "--db", r.temp.file("second.db"), "integrate", "claude-code", r.repo});
    for (int i = 0; i < 1000 && !done && !waits_for_lock(second->pid); ++i) {
      done = second->exited(code);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK_FALSE(done);  // it did not run while the first held the repository
    apply_integration(plan);
  }
  if (!done) code = second->wait();
  CHECK(code == 0);
  // Both files name the same database: the second run's, made after the first.
  const Json mcp = Json::parse(r.read(".mcp.json"));
  CHECK(mcp["mcpServers"]["recall"]["args"][1] == r.temp.file("second.db"));
  CHECK_THAT(r.read(".claude/settings.json"), Catch::Contains(r.temp.file("second.db")));
  CHECK_THAT(r.read(".claude/settings.json"), !Catch::Contains(r.temp.file("first.db")));
}
