// What `recall integrate` pins (pinning.h): the PATH's recall when it is the
// running one, else the path as invoked, never a symlink's versioned target;
// a build folder is noticed; `--check` and `brief` notice what went missing.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>

#include "recall/pinning.h"
#include "support.h"

using namespace recall;
using namespace recall::test;
namespace fs = std::filesystem;

namespace {

void make_executable(const std::string& path) {
  write_bytes(path, "#!/bin/sh\n");
  ::chmod(path.c_str(), 0755);
}

}  // namespace

TEST_CASE("pinning: the PATH's recall when it is the running binary") {
  TempDir temp;
  fs::create_directories(temp.file("usr/bin"));
  fs::create_directories(temp.file("opt/recall-0.1.0"));
  make_executable(temp.file("opt/recall-0.1.0/recall"));
  // /usr/bin/recall -> /opt/recall-0.1.0/recall, a versioned target.
  fs::create_symlink(temp.file("opt/recall-0.1.0/recall"), temp.file("usr/bin/recall"));
  const std::string running = temp.file("opt/recall-0.1.0/recall");
  const std::string path = temp.file("nothing") + ":" + temp.file("usr/bin");

  const PinnedBinary pinned = choose_pinned_binary(running, "recall", path);
  CHECK(pinned.path == temp.file("usr/bin/recall"));
  CHECK_FALSE(pinned.in_build_folder);
}

TEST_CASE("pinning: a different recall first on the PATH is not pinned, the invoked path is") {
  TempDir temp;
  fs::create_directories(temp.file("bin"));
  fs::create_directories(temp.file("home/bin"));
  make_executable(temp.file("bin/recall"));  // another recall, first on the PATH
  make_executable(temp.file("home/recall-2"));
  fs::create_symlink(temp.file("home/recall-2"), temp.file("home/bin/recall"));
  const std::string running = temp.file("home/recall-2");

  // Invoked by the symlink's path: that path is pinned, not its target.
  const PinnedBinary by_link =
      choose_pinned_binary(running, temp.file("home/bin/../bin/recall"), temp.file("bin"));
  CHECK(by_link.path == temp.file("home/bin/recall"));
  // Invoked by a name that is not the running binary: the running binary.
  CHECK(choose_pinned_binary(running, "recall", temp.file("bin")).path == running);
}

TEST_CASE("pinning: a binary beside CMakeCache.txt is in a build folder") {
  TempDir temp;
  fs::create_directories(temp.file("src/build/bin"));
  write_bytes(temp.file("src/build/CMakeCache.txt"), "");
  make_executable(temp.file("src/build/recall"));
  make_executable(temp.file("src/build/bin/recall"));
  fs::create_directories(temp.file("home"));
  fs::create_symlink(temp.file("src/build/recall"), temp.file("home/recall"));
  make_executable(temp.file("elsewhere"));

  CHECK(in_build_folder(temp.file("src/build/recall")));
  CHECK(in_build_folder(temp.file("src/build/bin/recall")));
  CHECK(in_build_folder(temp.file("home/recall")));  // a link into a build folder
  CHECK_FALSE(in_build_folder(temp.file("elsewhere")));
  CHECK(choose_pinned_binary(temp.file("src/build/recall"), temp.file("src/build/recall"), "")
            .in_build_folder);
}

TEST_CASE("integrate --check: the pinned binary and database, then either gone") {
  TempDir temp;
  const std::string repo = temp.file("tutor");
  const std::string db = temp.file("recall.db");
  fs::create_directories(repo);
  REQUIRE(run_recall(db, {"init"}).exit_code == 0);

  const RunResult none = run_recall(db, {"integrate", "claude-code", repo, "--check"});
  CHECK(none.exit_code == 1);
  CHECK(none.out.find("recall is not integrated in") != std::string::npos);

  // Pin a copy of the binary, so it can go away.
  const std::string copy = temp.file("bin/recall");
  fs::create_directories(temp.file("bin"));
  fs::copy_file(fs::canonical(RECALL_BINARY), copy);
  // run_raw runs the build binary: the copy runs through the shell.
  const std::string command =
      "'" + copy + "' --db '" + db + "' integrate claude-code '" + repo + "' > /dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  REQUIRE(read_bytes(repo + "/.mcp.json").find(copy) != std::string::npos);

  const auto fine = check_claude_code(repo);
  REQUIRE(fine.size() == 2);
  for (const auto& pin : fine) {
    CHECK(pin.binary == copy);
    CHECK(pin.database == db);
    CHECK(pin.ok());
    CHECK_FALSE(pin.in_build_folder);
  }
  const RunResult ok = run_recall(db, {"integrate", "claude-code", repo, "--check"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("every pinned path exists") != std::string::npos);
  CHECK_FALSE(stale_session_hook(repo));

  fs::remove(copy);
  const RunResult gone = run_recall(db, {"integrate", "claude-code", repo, "--check"});
  CHECK(gone.exit_code == 1);
  CHECK(gone.out.find("binary   " + copy + ": MISSING") != std::string::npos);
  CHECK(gone.out.find("2 pinned paths are missing") != std::string::npos);
  REQUIRE(stale_session_hook(repo));
  CHECK_FALSE(stale_session_hook(repo)->binary_ok);

  // brief, run where the hook lives, says the hook's binary is gone.
  const RunResult brief =
      run_raw({"--db", db, "brief"}, "", "cd '" + repo + "' && CLAUDE_PROJECT_DIR= ");
  CHECK(brief.exit_code == 0);
  CHECK(brief.out.find("Note: the SessionStart hook (.claude/settings.json) runs " + copy +
                       ", which no longer exists") != std::string::npos);
  // ... and CLAUDE_PROJECT_DIR is where Claude Code says the project is.
  const RunResult from_env =
      run_raw({"--db", db, "brief"}, "", "CLAUDE_PROJECT_DIR='" + repo + "'");
  CHECK(from_env.out.find("which no longer exists") != std::string::npos);

  fs::remove(db);
  const RunResult no_db = run_recall(db, {"integrate", "claude-code", repo, "--check"});
  CHECK(no_db.out.find("database " + db + ": MISSING") != std::string::npos);
}

TEST_CASE("integrate pins the build binary with a warning, brief notes a build-folder hook") {
  TempDir temp;
  const std::string repo = temp.file("tutor");
  const std::string db = temp.file("recall.db");
  fs::create_directories(repo);
  REQUIRE(run_recall(db, {"init"}).exit_code == 0);
  const RunResult result = run_recall(db, {"integrate", "claude-code", repo});
  REQUIRE(result.exit_code == 0);
  if (!in_build_folder(RECALL_BINARY)) return;  // a test binary outside a CMake build
  CHECK(result.err.find("recall: warning: pinning " + fs::canonical(RECALL_BINARY).string() +
                        ", a binary in a build folder") != std::string::npos);
  const RunResult brief = run_raw({"--db", db, "brief"}, "", "CLAUDE_PROJECT_DIR='" + repo + "'");
  CHECK(brief.out.find("a build-folder binary") != std::string::npos);
  // Elsewhere (no hook there) brief says nothing of it.
  const RunResult elsewhere =
      run_raw({"--db", db, "brief"}, "", "CLAUDE_PROJECT_DIR='" + temp.file("") + "'");
  CHECK(elsewhere.out.find("SessionStart hook") == std::string::npos);
}
