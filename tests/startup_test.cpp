// What every recall process does before its command: the learner's day from
// the C library's zone (TZ honoured), and no library loaded that only the
// Anki packages need (libzip, libcrypto) or, in a static-runtime build, the
// C++ runtime (engine/src/anki/libraries.h, CMakeLists.txt).
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "recall/day.h"
#include "support.h"

using recall::test::run_raw;
using recall::test::TempDir;

namespace {

// TZ set to `zone` for the scope (and the C library told so), then put back.
class ZoneScope {
 public:
  explicit ZoneScope(const char* zone) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    ::setenv("TZ", zone, 1);
    ::tzset();
  }
  ~ZoneScope() {
    if (old_)
      ::setenv("TZ", old_->c_str(), 1);
    else
      ::unsetenv("TZ");
    ::tzset();
  }
  ZoneScope(const ZoneScope&) = delete;
  ZoneScope& operator=(const ZoneScope&) = delete;

 private:
  std::optional<std::string> old_;
};

std::chrono::system_clock::time_point utc(const char* day, int hour, int minute) {
  return std::chrono::system_clock::time_point{std::chrono::hours{24} * *recall::parse_day(day) +
                                               std::chrono::hours{hour} +
                                               std::chrono::minutes{minute}};
}

std::string day_of(std::chrono::system_clock::time_point at, int rollover) {
  return recall::format_day(recall::local_day(at, rollover));
}

}  // namespace

TEST_CASE("the learner's day and an answer's time follow the zone TZ names, daylight time too",
          "[day]") {
  const auto night = utc("2026-03-01", 3, 30);  // 03:30 UTC
  {
    const ZoneScope zone("America/New_York");  // UTC-5 in March, before its change
    CHECK(recall::local_timestamp(night) == "2026-02-28T22:30:00");
    CHECK(day_of(night, 0) == "2026-02-28");
    CHECK(day_of(night, 4) == "2026-02-28");
    // Daylight time in July: UTC-4.
    CHECK(recall::local_timestamp(utc("2026-07-01", 3, 30)) == "2026-06-30T23:30:00");
  }
  {
    const ZoneScope zone("Asia/Tokyo");  // UTC+9: 12:30 on the 1st
    CHECK(recall::local_timestamp(night) == "2026-03-01T12:30:00");
    CHECK(day_of(night, 4) == "2026-03-01");
    // A rollover past the local hour: still the day before.
    CHECK(day_of(night, 13) == "2026-02-28");
  }
  {
    const ZoneScope zone("UTC");
    CHECK(recall::local_timestamp(night) == "2026-03-01T03:30:00");
    CHECK(day_of(night, 4) == "2026-02-28");  // 03:30 is before the 04:00 rollover
    CHECK(day_of(night, 3) == "2026-03-01");
  }
}

TEST_CASE("the binary's today is the day in the zone TZ names", "[day][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const auto today_in = [&](const std::string& zone) {
    const auto run = run_raw({"--db", db, "due", "--json"}, "", "TZ=" + zone);
    REQUIRE(run.exit_code == 0);
    const auto at = run.out.find("\"day\":\"");
    REQUIRE(at != std::string::npos);
    return run.out.substr(at + 7, 10);
  };
  // 25 hours apart: at any instant Kiritimati's day is after Pago Pago's.
  CHECK(today_in("Pacific/Kiritimati") > today_in("Pacific/Pago_Pago"));
}

TEST_CASE("a recall process loads neither libzip nor libcrypto at start (only for an Anki package)",
          "[startup][cli]") {
  // The dynamic loader lists what the binary loads at start, and exits.
  const auto listed = run_raw({"--version"}, "", "LD_TRACE_LOADED_OBJECTS=1");
  REQUIRE(listed.exit_code == 0);
  REQUIRE_THAT(listed.out, Catch::Contains("libc.so"));
  CHECK_THAT(listed.out, !Catch::Contains("libzip"));
  CHECK_THAT(listed.out, !Catch::Contains("libcrypto"));
#ifdef RECALL_STATIC_RUNTIME
  CHECK_THAT(listed.out, !Catch::Contains("libstdc++"));
#endif
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
