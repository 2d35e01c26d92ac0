// Text safety (issue 14, findings 5 and 10): mistake notes are checked where
// they enter, sync never writes a tracker it would refuse to read, and text
// from trackers, notes or the database never reaches a terminal raw (JSON
// keeps it escaped). Through the engine API and the real binary.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

#include "recall/error.h"
#include "recall/feedback.h"
#include "recall/text.h"
#include "recall/tracker.h"
#include "support.h"

using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::write_bytes;

namespace {

const std::string kDay1 = "2026-03-01", kDay2 = "2026-03-02";
// "Clear the screen": what a hostile note would send to the terminal.
const std::string kClear = "\x1b[2J";

long long review_count(const std::string& db) {
  SQLite::Database connection(db, SQLite::OPEN_READONLY);
  return connection.execAndGet("SELECT COUNT(*) FROM reviews").getInt64();
}

// What an older recall stored unchecked: the note of every logged answer.
void store_raw_notes(const std::string& db, const std::string& note) {
  SQLite::Database connection(db, SQLite::OPEN_READWRITE);
  SQLite::Statement update(connection, "UPDATE reviews SET note = ? WHERE note IS NOT NULL");
  update.bind(1, note);
  update.exec();
}

// A card of the fixture (AdamW) on a topic without an open gap: failed on
// two days with the same note, the note is a recurring pattern and sync adds
// a gap "AdamW — NOTE, 2× since DATE" to the tracker.
const std::string kNoteCard = "20";

std::string two_failures(const TempDir& dir, const std::string& tracker) {
  const std::string db = dir.file("r.db");
  REQUIRE(run_recall(db, {"--today", kDay1, "import", tracker}).exit_code == 0);
  for (const std::string& day : {kDay1, kDay2})
    REQUIRE(run_recall(db, {"--today", day, "answer", kNoteCard, "1", "--note", "swapped the axes"}).exit_code == 0);
  return db;
}

}  // namespace

TEST_CASE("note rules: one line of UTF-8, no controls, at most 500 characters", "[text]") {
  CHECK_FALSE(recall::note_error("swapped the axes", "--note"));
  CHECK_FALSE(recall::note_error("confondu précision et rappel — encore", "--note"));
  CHECK_FALSE(recall::note_error(std::string(500, 'x'), "--note"));
  for (const std::string& bad : {std::string("two\nlines"), std::string("a\rb"), std::string("tab\there"),
                                std::string("bad \xFF byte"), std::string("cut \xE2\x80"),
                                std::string("\xC0\xAF overlong"), kClear, std::string(501, 'x'),
                                std::string("c1 \xC2\x9B" "2J")}) {
    const auto error = recall::note_error(bad, "--note");
    REQUIRE(error);
    CHECK(error->rfind("--note: must be one line of UTF-8 text, at most 500 characters (", 0) == 0);
    CHECK(error->find('\n') == std::string::npos);
  }
  CHECK_THROWS_AS(recall::require_valid_note("a\nb", "note"), recall::Error);
  CHECK(recall::one_line("a\nb\x1b[2J\xFF") == "a b [2J\xEF\xBF\xBD");
}

TEST_CASE("answer --note refuses a bad note with exit 2 and writes nothing", "[text][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(run_recall(db, {"--today", kDay1, "import", recall::test::fixture_path()}).exit_code == 0);
  for (const std::string& note : {std::string("x\n## Injected\n| a | b |"), std::string("bad \xFF"),
                                 std::string(501, 'x'), "clear " + kClear}) {
    const auto result = run_recall(db, {"--today", kDay1, "answer", "1", "1", "--note", note});
    CHECK(result.exit_code == 2);
    CHECK(result.err.rfind("recall: --note: must be one line of UTF-8 text, at most 500 characters", 0) == 0);
    CHECK(result.out.empty());
  }
  CHECK(review_count(db) == 0);
  CHECK(run_recall(db, {"--today", kDay1, "answer", "1", "1", "--note", "fine"}).exit_code == 0);
  CHECK(review_count(db) == 1);
}

TEST_CASE("the piped drill refuses a bad note and records nothing for it", "[text][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(run_recall(db, {"--today", kDay1, "import", recall::test::fixture_path()}).exit_code == 0);
  const auto result = run_recall(db, {"--today", kDay1, "review"}, "show\n1 bad \xFF note\n");
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("note: must be one line of UTF-8 text") != std::string::npos);
  CHECK(review_count(db) == 0);
}

TEST_CASE("sync writes notes stored raw by an older database as one clean line", "[text][cli]") {
  TempDir dir;
  const std::string tracker = dir.file("t.md");
  write_bytes(tracker, read_bytes(recall::test::fixture_path()));
  const std::string db = two_failures(dir, tracker);
  store_raw_notes(db, "swapped\n## Injected\n### A. Fake\n| a | b |\n\xFF axes " + kClear);

  const auto sync = run_recall(db, {"--today", kDay2, "sync", tracker});
  INFO(sync.err);
  REQUIRE(sync.exit_code == 0);
  const std::string written = read_bytes(tracker);
  CHECK(written.find("\n## Injected") == std::string::npos);
  CHECK(written.find("\n### A. Fake") == std::string::npos);
  CHECK(written.find("\n- AdamW — swapped ## Injected ### A. Fake | a | b | \xEF\xBF\xBD axes  [2J, 2× since ") !=
        std::string::npos);
  CHECK(written.find('\xFF') == std::string::npos);
  // The tracker stays readable: import and sync again succeed.
  CHECK(run_recall(db, {"--today", kDay2, "import", tracker}).exit_code == 0);
  CHECK(run_recall(db, {"--today", kDay2, "answer", kNoteCard, "1"}).exit_code == 0);
  CHECK(run_recall(db, {"--today", kDay2, "sync", tracker}).exit_code == 0);
  // And card --json stays valid JSON over the raw notes.
  const auto card = run_recall(db, {"--today", kDay2, "card", kNoteCard, "--json"});
  REQUIRE(card.exit_code == 0);
  const auto parsed = nlohmann::json::parse(card.out);
  CHECK(parsed["history"][0]["note"].get<std::string>().find("\xEF\xBF\xBD axes \x1b[2J") != std::string::npos);
  CHECK(card.out.find('\x1b') == std::string::npos);
  CHECK(card.out.find("\\u001b[2J") != std::string::npos);
}

TEST_CASE("a resolved gap row is written as one cell the parser reads back", "[text]") {
  const std::string before =
      "# Tracker\n\n## Knowledge Gaps\n\n### Medium Priority\n- Old gap\n\n### Recently Resolved\n"
      "| Gap | Resolution Date | Notes |\n|-----|-----------------|-------|\n";
  const recall::TrackerText text = recall::prepare_text(before);
  const recall::Tracker tracker = recall::read_tracker(text, "t.md");
  recall::GapOutcome gap;
  gap.gap_id = 1;
  gap.text = gap.base = "Old gap";
  gap.tier = "medium";
  gap.new_tier = "resolved";
  gap.new_text = "#1 a | b<br>c\n## Injected\xFF";
  gap.resolution_note = "note <BR/> too";
  gap.change = recall::GapChange::kResolved;
  recall::TrackerUpdate update;
  update.gaps = {gap};
  const std::string after = recall::rewrite_tracker(text, tracker, update, 100);
  CHECK(after.find("\n## Injected") == std::string::npos);
  CHECK(after.find("<br>") == std::string::npos);
  CHECK(after.find("<BR/>") == std::string::npos);
  const recall::Tracker read_back = recall::read_tracker(recall::prepare_text(after), "t.md");
  REQUIRE(read_back.gaps.size() == 1);
  CHECK(read_back.gaps[0].tier == recall::GapTier::kResolved);
  CHECK(read_back.gaps[0].text == "\\#1 a | b&lt;br>c ## Injected\xEF\xBF\xBD");
  CHECK(read_back.gaps[0].notes == "note &lt;BR/> too");
}
