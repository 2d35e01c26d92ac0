// Backups of the user's files (files.h backup_user_file): kept in recall's
// state folder, never beside the file, never through a link; the first
// backup of a file and a few newest kept.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "recall/error.h"
#include "recall/files.h"
#include "support.h"

using namespace recall;
using namespace recall::test;
namespace fs = std::filesystem;

namespace {

// XDG_STATE_HOME pointed elsewhere for one test.
struct StateHome {
  std::string saved = std::getenv("XDG_STATE_HOME") ? std::getenv("XDG_STATE_HOME") : "";
  explicit StateHome(const std::string& path) { ::setenv("XDG_STATE_HOME", path.c_str(), 1); }
  ~StateHome() { ::setenv("XDG_STATE_HOME", saved.c_str(), 1); }
};

}  // namespace

TEST_CASE("backups live in XDG_STATE_HOME, else ~/.local/state", "[backup]") {
  const std::string saved = std::getenv("XDG_STATE_HOME");
  ::setenv("XDG_STATE_HOME", "/somewhere/state", 1);
  CHECK(backup_folder() == "/somewhere/state/recall/backups");
  ::setenv("XDG_STATE_HOME", "relative/ignored", 1);  // the XDG spec: absolute paths only
  const std::string home = std::getenv("HOME") ? std::getenv("HOME") : ".";
  CHECK(backup_folder() == home + "/.local/state/recall/backups");
  ::setenv("XDG_STATE_HOME", saved.c_str(), 1);
}

TEST_CASE("a file's first backup is kept, then its newest five", "[backup]") {
  TempDir dir;
  const std::string file = dir.file("settings.json");
  std::vector<std::string> made;
  for (int i = 0; i < 8; ++i) {
    write_bytes(file, "version " + std::to_string(i) + "\n");
    made.push_back(backup_user_file(file));
  }
  const auto kept = backups_of(file);
  REQUIRE(kept.size() == 1 + static_cast<std::size_t>(kBackupGenerations));
  CHECK(read_bytes(kept.front()) == "version 0\n");  // "restore the first run's backup" works
  for (int i = 1; i <= kBackupGenerations; ++i)
    CHECK(read_bytes(kept[static_cast<std::size_t>(i)]) ==
          "version " + std::to_string(i + 2) + "\n");
  CHECK(kept.back() == made.back());
  // Named by the file and the time; private; the folder says whose they are.
  const fs::path folder = fs::path(kept.front()).parent_path();
  CHECK_THAT(folder.filename().string(), Catch::StartsWith("settings.json-"));
  CHECK(read_bytes((folder / "path").string()) == file + "\n");
  CHECK(own_mode_of(kept.front()) == 0600);
  CHECK(own_mode_of(folder) == 0700);
  CHECK(own_mode_of(folder.parent_path()) == 0700);
  // Nothing beside the file.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("two files of the same name keep their backups apart", "[backup]") {
  TempDir dir;
  fs::create_directories(dir.path() / "a");
  fs::create_directories(dir.path() / "b");
  write_bytes(dir.file("a/.mcp.json"), "a\n");
  write_bytes(dir.file("b/.mcp.json"), "b\n");
  backup_user_file(dir.file("a/.mcp.json"));
  const std::string given = "given bytes\n";
  backup_user_file(dir.file("b/.mcp.json"), &given);
  REQUIRE(backups_of(dir.file("a/.mcp.json")).size() == 1);
  REQUIRE(backups_of(dir.file("b/.mcp.json")).size() == 1);
  CHECK(read_bytes(backups_of(dir.file("a/.mcp.json"))[0]) == "a\n");
  CHECK(read_bytes(backups_of(dir.file("b/.mcp.json"))[0]) == given);
}

TEST_CASE("recall's backup folders are never reached through a link", "[backup]") {
  TempDir dir;
  const std::string file = dir.file("t.md");
  write_bytes(file, "tracker\n");
  fs::create_directories(dir.path() / "state");
  fs::create_directories(dir.path() / "elsewhere");
  fs::create_directory_symlink(dir.path() / "elsewhere", dir.path() / "state" / "recall");
  StateHome home(dir.file("state"));
  try {
    backup_user_file(file);
    FAIL("a backup was written through a linked folder");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kIo);
    CHECK_THAT(e.what(), Catch::StartsWith(dir.file("state") + "/recall: is not a folder of "
                                                               "recall's own (a symlink?)"));
  }
  CHECK(fs::is_empty(dir.path() / "elsewhere"));
  CHECK(read_bytes(file) == "tracker\n");
}

TEST_CASE("a killed replacement's temporary files go, no other file does", "[backup]") {
  TempDir dir;
  const std::string target = dir.file("settings.json");
  write_bytes(target, "{}");
  for (const char* name : {"settings.json.recall-a1B2c3", "settings.json.recall-abc",
                           "settings.json.recall-abcdef.txt", "other.json.recall-a1B2c3"})
    write_bytes(dir.file(name), "x");
  fs::create_symlink(dir.file("other.json.recall-a1B2c3"), dir.file("settings.json.recall-link00"));
  CHECK(remove_stale_temp_files(target) ==
        std::vector<std::string>{dir.file("settings.json.recall-a1B2c3")});
  CHECK(fs::exists(dir.file("settings.json.recall-abc")));
  CHECK(fs::exists(dir.file("settings.json.recall-abcdef.txt")));
  CHECK(fs::exists(dir.file("other.json.recall-a1B2c3")));
  CHECK(fs::is_symlink(dir.file("settings.json.recall-link00")));
}

TEST_CASE("a staged replacement not committed leaves the target and no temporary file",
          "[backup]") {
  TempDir dir;
  const std::string target = dir.file("f.json");
  write_bytes(target, "old");
  {
    StagedReplace staged(target, "new");
    CHECK(read_bytes(target) == "old");
  }
  CHECK(read_bytes(target) == "old");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
  StagedReplace staged(target, "new");
  staged.commit();
  CHECK(read_bytes(target) == "new");
}
