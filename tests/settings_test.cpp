// Settings as stored: a value damaged behind recall's back (a hand edit of
// the database) is named with its key and value, exit 1, nothing written.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <map>

#include "recall/drill.h"
#include "recall/error.h"
#include "recall/interview.h"
#include "recall/scheduler.h"
#include "recall/settings.h"
#include "support.h"

using recall::test::run_recall;
using recall::test::TempDir;

namespace {

void corrupt_setting(const std::string& db, const std::string& key, const std::string& value) {
  SQLite::Database raw(db, SQLite::OPEN_READWRITE);
  SQLite::Statement s(raw,
                      "INSERT INTO settings(key, value) VALUES (?1, ?2) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  s.bind(1, key);
  s.bind(2, value);
  s.exec();
}

}  // namespace

TEST_CASE("a damaged number setting is named with its value, exit 1", "[settings]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(
      run_recall(db, {"--today", "2026-03-01", "import", recall::test::fixture_path()}).exit_code ==
      0);
  const std::string before = run_recall(db, {"cards", "--retired", "--json"}).out;
  struct Case {
    const char* key;
    const char* value;
    std::vector<std::string> args;
  };
  const std::vector<Case> cases = {
      // rollover-hour is read to find today when --today is not given.
      {"rollover-hour", "x", {"due"}},
      {"rollover-hour", "25", {"next"}},
      {"new-per-day", "abc", {"--today", "2026-03-01", "due"}},
      {"new-per-day", "5x", {"--today", "2026-03-01", "next", "--json"}},
      {"reviews-per-day", "-1", {"--today", "2026-03-01", "review"}},
  };
  for (const auto& c : cases) {
    INFO(c.key << " = " << c.value);
    corrupt_setting(db, c.key, c.value);
    const auto result = run_recall(db, c.args);
    CHECK(result.exit_code == 1);
    CHECK(result.err.rfind("recall: setting ", 0) == 0);
    CHECK(result.err.find(c.key) != std::string::npos);
    CHECK(result.err.find(std::string("'") + c.value + "'") != std::string::npos);
    CHECK(result.err.find('\n') == result.err.size() - 1);  // one line
    // `recall config` mends it.
    REQUIRE(run_recall(db, {"config", "unset", c.key}).exit_code == 0);
    CHECK(run_recall(db, c.args).exit_code == 0);
  }
  CHECK(run_recall(db, {"cards", "--retired", "--json"}).out == before);
}

TEST_CASE("stored number settings are read back in their range", "[settings]") {
  CHECK(recall::stored_number_setting("rollover-hour", "0") == 0);
  CHECK(recall::stored_number_setting("new-per-day", "100000") == 100000);
  CHECK_THROWS_AS(recall::stored_number_setting("rollover-hour", "24"), recall::Error);
  CHECK_THROWS_AS(recall::stored_number_setting("new-per-day", " 5"), recall::Error);
  CHECK_THROWS_AS(recall::stored_number_setting("new-per-day", ""), recall::Error);
}

TEST_CASE("the settings' listed defaults are the defaults the engine uses", "[settings]") {
  std::map<std::string, std::string> listed;
  for (const auto& info : recall::known_settings()) listed[info.key] = info.default_value;
  CHECK(listed.at("new-per-day") == std::to_string(recall::Limits{}.new_per_day));
  CHECK(listed.at("reviews-per-day") == std::to_string(recall::Limits{}.reviews_per_day));
  CHECK(listed.at("rollover-hour") == std::to_string(recall::kDefaultRolloverHour));
  CHECK(listed.at("scheduler") == recall::to_string(recall::SchedulerConfig{}.kind));
  CHECK(std::stod(listed.at("desired-retention")) == recall::kDefaultDesiredRetention);
  CHECK(std::stod(listed.at("interview-retention")) == recall::kDefaultInterviewRetention);
  CHECK(recall::SchedulerConfig{}.desired_retention == recall::kDefaultDesiredRetention);
}
