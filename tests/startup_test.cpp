// What every recall process does before its command: the learner's day from
// the system's zone (not TZ: the tutor's processes and the learner's shell
// share one database), and no library loaded that only the Anki packages
// need (libzip, libcrypto; engine/src/anki/libraries.h).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "support.h"

using recall::test::run_raw;
using recall::test::TempDir;

TEST_CASE("the binary's today is the system zone's day whatever TZ says", "[day][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const auto today_in = [&](const std::string& env) {
    const auto run = run_raw({"--db", db, "due", "--json"}, "", env);
    REQUIRE(run.exit_code == 0);
    const auto at = run.out.find("\"day\":\"");
    REQUIRE(at != std::string::npos);
    return run.out.substr(at + 7, 10);
  };
  // Kiritimati and Pago Pago are 25 hours apart: were TZ read, their days
  // would differ at any instant. Tried again if the day turned meanwhile.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const std::string before = today_in("");
    const std::string east = today_in("TZ=Pacific/Kiritimati");
    const std::string west = today_in("TZ=Pacific/Pago_Pago");
    if (today_in("") != before) continue;
    CHECK(east == before);
    CHECK(west == before);
    return;
  }
  FAIL("the day kept turning");
}

TEST_CASE("a recall process loads neither libzip nor libcrypto at start (only for an Anki package)",
          "[startup][cli]") {
  // The dynamic loader lists what the binary loads at start, and exits.
  const auto listed = run_raw({"--version"}, "", "LD_TRACE_LOADED_OBJECTS=1");
  REQUIRE(listed.exit_code == 0);
  REQUIRE_THAT(listed.out, Catch::Contains("libc.so"));
  CHECK_THAT(listed.out, !Catch::Contains("libzip"));
  CHECK_THAT(listed.out, !Catch::Contains("libcrypto"));
}

TEST_CASE("an Anki package without a loadable libzip is refused in one line, nothing written",
          "[startup][anki][cli]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, "2026-03-01");
  // A libzip.so.4 the loader finds first and cannot load.
  std::filesystem::create_directory(dir.path() / "lib");
  { std::ofstream(dir.path() / "lib" / "libzip.so.4"); }
  const std::string env = "LD_LIBRARY_PATH=" + (dir.path() / "lib").string();
  const std::string package = dir.file("cards.apkg");
  const auto refused =
      run_raw({"--db", db, "--today", "2026-03-01", "export", "anki", package, "--include-drafts"},
              "", env);
  CHECK(refused.exit_code == 1);
  CHECK(recall::test::one_error_line(refused.err));
  CHECK_THAT(refused.err, Catch::Contains("libzip.so.4") && Catch::Contains("libzip4"));
  CHECK_FALSE(std::filesystem::exists(package));
  // The same command with the system's libzip writes the package.
  const auto written =
      run_raw({"--db", db, "--today", "2026-03-01", "export", "anki", package, "--include-drafts"});
  CHECK(written.exit_code == 0);
  CHECK(std::filesystem::exists(package));
}
