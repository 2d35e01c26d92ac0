// `recall sync` end to end on a copy of the fixture, with reviews scripted
// over several --today days, plus the safety rules of write-back.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "loop_support.h"
#include "recall/error.h"
#include "recall/feedback.h"
#include "recall/store.h"
#include "support.h"

using recall::test::answer;
using recall::test::backups_of;
using recall::test::line_with;
using recall::test::newest_backup_of;
using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::sync;
using recall::test::TempDir;
using recall::test::topic_cards;
using recall::test::write_bytes;

namespace {

// The text between a "### " heading containing `title` and the next heading.
std::string subsection(const std::string& text, const std::string& title) {
  const auto at = text.find(title);
  if (at == std::string::npos) return "";
  const auto end = text.find("\n#", at);
  return text.substr(at, end - at);
}

const char* kRocSource = "ROC axes: x=FPR, y=TPR";
const char* kRocGap =
    "ROC axes confusion (recurring — swapped axes again in Session 5, need drilling)";

}  // namespace

TEST_CASE("sync before any review writes nothing and says so", "[sync]") {
  const recall::test::ImportedTracker copy(recall::test::fixture_path(), "2026-11-19");
  const std::string &db = copy.db, &tracker = copy.tracker, &fixture = copy.original;
  // No argument: the tracker import remembered.
  CHECK(sync(db, "2026-11-19") ==
        "no review evidence since the last sync: " +
            std::filesystem::absolute(tracker).lexically_normal().string() + " left unchanged\n");
  CHECK(read_bytes(tracker) == fixture);
  CHECK(backups_of(tracker).empty());
  // First sync without a prior import: the same.
  TempDir other;
  const std::string db2 = other.file("r.db");
  CHECK_THAT(sync(db2, "2026-11-19", {tracker, "--json"}),
             Catch::Contains("\"evidence\":false,\"dry_run\":false,\"written\":false"));
  CHECK(read_bytes(tracker) == fixture);
  // No argument and nothing imported: a usage error.
  TempDir empty;
  const auto none = run_recall(empty.file("r.db"), {"sync"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("no TRACKER given"));
}

TEST_CASE(
    "reviews feed back: the tutor's ROC axes line gets the evidence and the note, one-step "
    "confidence",
    "[sync]") {
  const recall::test::ImportedTracker copy(recall::test::fixture_path(), "2026-11-19");
  const std::string &db = copy.db, &tracker = copy.tracker, &fixture = copy.original;
  // The other A.8 cards used here are linked to no gap (the AUC-PR gap links some).
  const std::string gaps_before = run_recall(db, {"--today", "2026-11-19", "gaps", "--json"}).out;
  const auto linked = [&](long long id) {
    const std::string n = std::to_string(id);
    for (const std::string& form : {"[" + n + "]", "[" + n + ",", "," + n + ",", "," + n + "]"})
      if (gaps_before.find(form) != std::string::npos) return true;
    return false;
  };
  std::vector<long long> roc, others;
  for (const auto& card : topic_cards(db, "A.8")) {
    if (card.source == kRocSource)
      roc.push_back(card.id);
    else if (!linked(card.id))
      others.push_back(card.id);
  }
  REQUIRE_FALSE(roc.empty());
  REQUIRE(others.size() >= 3);

  // Day 1: fail the ROC card(s) and two other A.8 cards.
  for (long long id : roc) answer(db, "2026-11-20", id, 1, "swapped the axes");
  answer(db, "2026-11-20", others[0], 2);
  answer(db, "2026-11-20", others[1], 1);
  // One day of failures: not yet a recurring mistake.
  CHECK_THAT(run_recall(db, {"--today", "2026-11-20", "gaps", "--json"}).out,
             Catch::Contains("\"recurring_cards\":[]"));
  sync(db, "2026-11-20");
  std::string text = read_bytes(tracker);
  CHECK(read_bytes(newest_backup_of(tracker)) == fixture);
  CHECK(line_with(text, "**Last Updated**") == "**Last Updated**: 2026-11-20");
  // One day of evidence is not enough to move confidence.
  CHECK_THAT(line_with(text, "**A.8 Evaluation Metrics"), Catch::Contains("| Medium-High |"));

  // Day 2: the same mistakes again.
  for (long long id : roc) answer(db, "2026-11-21", id, 1, "Swapped the axes!");
  answer(db, "2026-11-21", others[0], 1);
  answer(db, "2026-11-21", others[1], 2);
  const auto gaps = run_recall(db, {"--today", "2026-11-21", "gaps", "--json"});
  CHECK_THAT(gaps.out,
             Catch::Contains("{\"id\":" + std::to_string(roc[0]) +
                             ",\"topic\":\"A.8\",\"question\":\"Fill in the blanks: ROC axes: "
                             "x = ____, y = ____\","
                             "\"failures\":2,\"fail_days\":[\"2026-11-20\",\"2026-11-21\"]"));
  CHECK_THAT(gaps.out,
             Catch::Contains("{\"words\":\"swapped axes\",\"note\":\"Swapped the axes!\""));
  const auto human = run_recall(db, {"--today", "2026-11-21", "gaps"});
  CHECK_THAT(human.out,
             Catch::Contains("  card " + std::to_string(roc[0]) +
                             " [A.8] Fill in the blanks: ROC axes: x = ____, y = ____ — failed 2× "
                             "(2026-11-20, 2026-11-21)"));

  sync(db, "2026-11-21");
  text = read_bytes(tracker);
  const std::string high = subsection(text, "### 🔴 High Priority");
  const std::string roc_count = std::to_string(2 * roc.size());
  // The tutor's line gets recall's evidence, with the learner's note, and
  // stays in the tutor's tier: the tutor decides.
  CHECK_THAT(subsection(text, "### 🟡 Medium Priority"),
             Catch::Contains("- " + std::string(kRocGap) + " — missed " + roc_count +
                             "× since 2026-11-20, \"Swapped the axes!\"\n"));
  CHECK_THAT(high, Catch::Contains("None identified yet"));
  // Five answers over two days, mostly failed: one step down, not two.
  CHECK_THAT(line_with(text, "**A.8 Evaluation Metrics"), Catch::Contains("| Medium |"));
  CHECK(line_with(text, "**Last Updated**") == "**Last Updated**: 2026-11-21");
  CHECK(line_with(text, "**Overall Interview Readiness**") ==
        "**Overall Interview Readiness**: 54%");
  CHECK_THAT(line_with(text, "**Recall Readiness**"), Catch::StartsWith("**Recall Readiness**: "));
  const auto topics = run_recall(db, {"topics", "--json"});
  CHECK_THAT(topics.out,
             Catch::Contains(
                 "\"label\":\"A.8\",\"title\":\"Evaluation Metrics - AUC-ROC\","
                 "\"domain\":\"A\",\"confidence\":\"Medium\",\"derived_confidence\":\"Medium\""));

  // A second sync the same day has no new evidence: byte-identical.
  const std::string synced = text;
  CHECK_THAT(sync(db, "2026-11-21"), Catch::StartsWith("no review evidence since the last sync"));
  CHECK(read_bytes(tracker) == synced);

  // Day 3 and 4: the ROC card recalled, the others failed; one step more at day 4.
  for (long long id : roc) answer(db, "2026-11-22", id, 5);
  answer(db, "2026-11-22", others[0], 1);
  answer(db, "2026-11-22", others[1], 1);
  answer(db, "2026-11-22", others[2], 1);
  sync(db, "2026-11-22");
  CHECK_THAT(line_with(read_bytes(tracker), "**A.8 Evaluation Metrics"),
             Catch::Contains("| Medium |"));
  for (long long id : roc) answer(db, "2026-11-26", id, 4);
  answer(db, "2026-11-26", others[0], 1);
  answer(db, "2026-11-26", others[1], 2);
  sync(db, "2026-11-26");
  text = read_bytes(tracker);
  CHECK_THAT(line_with(text, "**A.8 Evaluation Metrics"), Catch::Contains("| Low |"));
  CHECK_THAT(subsection(text, "### 🟡 Medium Priority"), Catch::Contains("ROC axes confusion"));

  // Day 5: the third pass in a row, 8 days after the first: the evidence
  // says so on the tutor's line, which stays where the tutor put it.
  for (long long id : roc) answer(db, "2026-11-30", id, 5);
  sync(db, "2026-11-30");
  text = read_bytes(tracker);
  CHECK_THAT(subsection(text, "### 🔴 High Priority"), Catch::Contains("- None identified yet"));
  CHECK_THAT(
      subsection(text, "### 🟡 Medium Priority"),
      Catch::Contains("- " + std::string(kRocGap) + " — recalled 3× over 8 days in review\n"));
  CHECK_THAT(subsection(text, "### 🟢 Recently Resolved"), !Catch::Contains("ROC axes"));

  // Everything outside the synced parts is byte-for-byte the fixture's.
  const auto after_checklist = [](const std::string& t) {
    return t.substr(t.find("## Interview Readiness Checklist"));
  };
  CHECK(after_checklist(text) == after_checklist(fixture));
  const auto topics_section = [](const std::string& t) {
    const auto start = t.find("## Quick Stats");
    return t.substr(start, t.find("## Knowledge Gaps") - start);
  };
  std::string expected_topics = topics_section(fixture);
  const std::string a8_old = line_with(fixture, "**A.8 Evaluation Metrics");
  std::string a8_new = a8_old;
  a8_new.replace(a8_new.find("| Medium-High |"), 15, "| Low |");
  expected_topics.replace(expected_topics.find(a8_old), a8_old.size(), a8_new);
  CHECK(topics_section(text) == expected_topics);
}

TEST_CASE("sync keeps CRLF line endings and a BOM", "[sync]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("tracker.md");
  std::string crlf = "\xEF\xBB\xBF";
  for (char c : read_bytes(recall::test::fixture_path()))
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  write_bytes(tracker, crlf);
  REQUIRE(run_recall(db, {"--today", "2026-11-19", "import", tracker}).exit_code == 0);
  answer(db, "2026-11-20", topic_cards(db, "A.8").front().id, 1);
  sync(db, "2026-11-20", {tracker});
  const std::string text = read_bytes(tracker);
  CHECK(text != crlf);
  CHECK(text.rfind("\xEF\xBB\xBF# ML Interview Study Tracker\r\n", 0) == 0);
  std::size_t bare = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) ++bare;
  CHECK(bare == 0);
  CHECK_THAT(text, Catch::Contains("**Last Updated**: 2026-11-20\r\n"));
  CHECK(read_bytes(newest_backup_of(tracker)) == crlf);
}

TEST_CASE("sync --dry-run prints a diff and leaves the file untouched, with no backup", "[sync]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("tracker.md");
  const std::string fixture = read_bytes(recall::test::fixture_path());
  write_bytes(tracker, fixture);
  write_bytes(tracker + ".bak", "an older backup\n");
  REQUIRE(run_recall(db, {"--today", "2026-11-19", "import", tracker}).exit_code == 0);
  answer(db, "2026-11-20", topic_cards(db, "A.8").front().id, 1);
  const std::string diff = sync(db, "2026-11-20", {tracker, "--dry-run"});
  CHECK_THAT(diff, Catch::StartsWith("--- " + tracker + "\n+++ " + tracker + "\n@@ -1,"));
  CHECK_THAT(diff,
             Catch::Contains("\n-**Last Updated**: 2026-02-17\n+**Last Updated**: 2026-11-20\n"));
  CHECK(read_bytes(tracker) == fixture);
  CHECK(read_bytes(tracker + ".bak") == "an older backup\n");
  CHECK(backups_of(tracker).empty());
  // The dry run recorded nothing: the real sync still has evidence to write.
  CHECK_THAT(sync(db, "2026-11-20", {tracker}), Catch::StartsWith("synced "));
  CHECK(read_bytes(newest_backup_of(tracker)) == fixture);
  CHECK(read_bytes(tracker + ".bak") == "an older backup\n");  // the user's, never recall's
}

TEST_CASE("sync --dry-run leaves the database as it was, and shows what the real sync writes",
          "[sync]") {
  // A dry run imports the tracker (a new key point) and derives
  // the evidence from what it imported, as the real sync does, then undoes
  // every write: the database is byte for byte as before, and its diff is
  // the one a sync after a real import shows.
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("tracker.md");
  const std::string fixture = read_bytes(recall::test::fixture_path());
  write_bytes(tracker, fixture);
  REQUIRE(run_recall(db, {"--today", "2026-11-19", "import", tracker}).exit_code == 0);
  for (const auto& card : topic_cards(db, "A.8")) answer(db, "2026-11-20", card.id, 1);
  std::string edited = fixture;
  const std::string roc = std::string("\xE2\x80\xA2 ") + kRocSource;  // "• ROC axes: ..."
  const auto at = edited.find(roc);
  REQUIRE(at != std::string::npos);
  edited.insert(at + roc.size(), "<br>\xE2\x80\xA2 PR curve axes: x=recall, y=precision");
  write_bytes(tracker, edited);
  const auto dump = [&] {
    SQLite::Database raw(db, SQLite::OPEN_READONLY);
    std::string rows;
    for (const char* table : {"cards", "reviews", "gaps", "gap_cards", "topics", "settings"}) {
      SQLite::Statement s(raw, std::string("SELECT * FROM ") + table + " ORDER BY 1");
      while (s.executeStep()) {
        for (int i = 0; i < s.getColumnCount(); ++i) rows += s.getColumn(i).getString() + "|";
        rows += "\n";
      }
    }
    return rows;
  };
  const std::string before = dump();
  const std::string cards_before = run_recall(db, {"cards", "--retired", "--json"}).out;
  const std::string dry = sync(db, "2026-11-21", {tracker, "--dry-run"});
  CHECK_THAT(dry, Catch::Contains("+**Last Updated**: 2026-11-21\n"));
  CHECK(dump() == before);
  CHECK(run_recall(db, {"cards", "--retired", "--json"}).out == cards_before);
  CHECK(read_bytes(tracker) == edited);
  // What the dry run showed is what a sync shows once the edit is imported.
  REQUIRE(run_recall(db, {"--today", "2026-11-21", "import", tracker}).exit_code == 0);
  CHECK(dump() != before);
  CHECK(sync(db, "2026-11-21", {tracker, "--dry-run"}) == dry);
}

TEST_CASE("sync --dry-run of a tracker the database already holds takes no write lock", "[sync]") {
  // Only a dry run that would write (an import that changes something, an
  // interrupted sync's record) rehearses under the write lock; an unchanged
  // tracker is read while another process holds it.
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("tracker.md");
  write_bytes(tracker, read_bytes(recall::test::fixture_path()));
  REQUIRE(run_recall(db, {"--today", "2026-11-19", "import", tracker}).exit_code == 0);
  REQUIRE(run_recall(db, {"--today", "2026-11-19", "import", tracker}).exit_code == 0);  // recorded
  answer(db, "2026-11-20", topic_cards(db, "A.8").front().id, 1);
  SQLite::Database writer(db, SQLite::OPEN_READWRITE);
  writer.exec("BEGIN IMMEDIATE");
  const auto dry = run_recall(db, {"--today", "2026-11-20", "sync", tracker, "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.out, Catch::Contains("+**Last Updated**: 2026-11-20"));
  // An edited tracker needs the rehearsal: it waits for the lock, then says so.
  write_bytes(tracker, read_bytes(tracker) + "\nA line the tutor added.\n");
  writer.exec("COMMIT");
  CHECK(run_recall(db, {"--today", "2026-11-20", "sync", tracker, "--dry-run"}).exit_code == 0);
}

TEST_CASE("a tracker edited during sync is not overwritten", "[sync]") {
  const recall::test::ImportedTracker copy(recall::test::fixture_path(), "2026-11-19");
  const std::string &db = copy.db, &tracker = copy.tracker, &fixture = copy.original;
  answer(db, "2026-11-20", topic_cards(db, "A.8").front().id, 1);
  const std::string edited = fixture + "\nA note the tutor added.\n";
  {
    recall::Store store(db);
    recall::SyncOptions options;
    options.before_write = [&] { write_bytes(tracker, edited); };
    try {
      recall::sync_tracker(store, tracker, *recall::parse_day("2026-11-20"), options);
      FAIL("sync overwrote a file edited meanwhile");
    } catch (const recall::Error& e) {
      CHECK(e.kind() == recall::ErrorKind::kIo);
      CHECK_THAT(e.what(), Catch::Contains("changed on disk since sync read it"));
    }
  }
  CHECK(read_bytes(tracker) == edited);
  CHECK(backups_of(tracker).empty());
  // Nothing was recorded either: the next sync writes the evidence.
  CHECK_THAT(sync(db, "2026-11-20", {tracker}), Catch::StartsWith("synced "));
  CHECK_THAT(read_bytes(tracker), Catch::EndsWith("\nA note the tutor added.\n"));
}

TEST_CASE("a mojibake tracker is written back repaired and the user is told", "[sync]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("tracker.md");
  write_bytes(tracker,
              read_bytes(recall::test::source_path("tests/data/ml-study-tracker.mojibake.md")));
  REQUIRE(run_recall(db, {"--today", "2026-11-19", "import", tracker}).exit_code == 0);
  answer(db, "2026-11-20", topic_cards(db, "A.8").front().id, 1);
  const auto result = run_recall(db, {"--today", "2026-11-20", "sync", tracker});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("repaired mojibake"));
  const std::string text = read_bytes(tracker);
  CHECK_THAT(text, !Catch::Contains("\xE2\x80\x9A\xC3\x84\xC2\xA2"));  // "‚Ä¢"
  std::string fixture = read_bytes(recall::test::fixture_path());
  CHECK(text.substr(text.find("## Interview Readiness Checklist")) ==
        fixture.substr(fixture.find("## Interview Readiness Checklist")));
}

// A sync imports the tracker first. When nothing changed since the last
// import or sync (the text sync wrote, the cards as they were), that import
// is answered from the no-op record, as `recall import` is (importer.h):
// what the days' syncs write is the same as with a full comparison each day.
TEST_CASE("sync answers an unchanged tracker's import from the record, as a full import would",
          "[sync]") {
  const recall::test::ImportedTracker fast(recall::test::fixture_path(), "2026-11-19");
  const recall::test::ImportedTracker full(recall::test::fixture_path(), "2026-11-19");
  const auto forget = [](const std::string& db) {
    recall::Store(db).unset_setting(recall::kImportRecordSetting);
  };
  std::vector<long long> ids;
  for (const auto& card : topic_cards(fast.db, "A.8")) ids.push_back(card.id);
  REQUIRE(ids.size() >= 4);
  const char* days[] = {"2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"};
  for (int d = 0; d < 4; ++d) {
    for (const auto* copy : {&fast, &full}) {
      recall::test::drill_drafts(copy->db);
      answer(copy->db, days[d], ids[0], 1, "swapped the axes");
      answer(copy->db, days[d], ids[1 + d % 3], d % 2 ? 4 : 2);
    }
    forget(full.db);
    sync(fast.db, days[d]);
    sync(full.db, days[d]);
    // The fast copy's sync recorded the text it wrote.
    CHECK(recall::Store(fast.db).setting(recall::kImportRecordSetting).has_value());
    CHECK(read_bytes(fast.tracker) == read_bytes(full.tracker));
    CHECK(run_recall(fast.db, {"--today", days[d], "cards", "--json"}).out ==
          run_recall(full.db, {"--today", days[d], "cards", "--json"}).out);
  }
  // The record answers: a card changed behind recall's back (no store call
  // clears the record) is left as it is by the next sync's import, and the
  // full comparison restores it.
  for (const auto* copy : {&fast, &full}) {
    SQLite::Database raw(copy->db, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE cards SET back = 'changed outside recall' WHERE id = " +
             std::to_string(ids[3]));
  }
  forget(full.db);
  sync(fast.db, "2026-11-24");
  sync(full.db, "2026-11-24");
  CHECK(recall::Store(fast.db).card(ids[3])->back == "changed outside recall");
  CHECK(recall::Store(full.db).card(ids[3])->back != "changed outside recall");
}

TEST_CASE("sync on another tutor's layout: headings for topics, the tutor's counts kept",
          "[sync]") {
  // Topics as headings with bullets and a confidence on its own line; the
  // domains in a table whose counts are the tutor's (written for this test).
  const std::string text =
      "# Notes\n\n**Last Updated**: 2026-11-18\n\n## Overview\n\n"
      "| Area (weight) | Units done | Units planned | Status |\n|---|---|---|---|\n"
      "| K. Kernels (100%) | 4 | 4 | ok |\n\n"
      "## Topic Notes\n\n### K1. GP Regression\n\n"
      "Taught S1 · **Confidence: Medium** · tutor's remark kept\n\n"
      "- Exact GP inference costs O(n³) time because it factorises the n×n kernel matrix\n"
      "- The RBF kernel k(x, x') = exp(−‖x − x'‖² / 2ℓ²)\n"
      "- A shorter lengthscale ℓ gives wigglier posterior samples\n"
      "- Sparse GPs with m inducing points cost O(nm²)\n\n"
      "## Knowledge Gaps\n\n### 🔴 High: fix first\n- None identified yet\n\n"
      "### 🟡 Medium: drill\n- GP regression costs\n";
  TempDir dir;
  const std::string source = dir.file("notes.md");
  write_bytes(source, text);
  const recall::test::ImportedTracker copy(source, "2026-11-19");
  const auto cards = topic_cards(copy.db, "K1");
  REQUIRE(cards.size() >= 3);
  for (const std::string day : {"2026-11-20", "2026-11-21"}) {
    for (const auto& card : cards) copy.answer(day, card.id, 1);
    copy.sync(day);
  }
  const std::string out = read_bytes(copy.tracker);
  // The confidence moved one step where the tutor wrote it; the rest of the
  // line, the points and the tutor's counts are as they were.
  CHECK(line_with(out, "Taught S1") == "Taught S1 · **Confidence: Low** · tutor's remark kept");
  CHECK(line_with(out, "| K. Kernels") == "| K. Kernels (100%) | 4 | 4 | ok |");
  for (const char* point : {"- Exact GP inference", "- The RBF kernel", "- A shorter",
                            "- Sparse GPs"})
    CHECK(text.find(line_with(out, point)) != std::string::npos);
  CHECK(line_with(out, "**Last Updated**") == "**Last Updated**: 2026-11-21");
  // Read again, nothing is lost: the same topic, the same points, no card retired.
  const auto again = run_recall(copy.db, {"--today", "2026-11-21", "import", copy.tracker});
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains("0 retired"));
  CHECK(topic_cards(copy.db, "K1").size() == cards.size());
}

TEST_CASE("a retired card drills no gap: gaps and brief leave it out", "[sync][gaps]") {
  const recall::test::ImportedTracker copy(recall::test::fixture_path(), "2026-11-19");
  const auto gaps_json = [&] {
    return nlohmann::json::parse(
        run_recall(copy.db, {"--today", "2026-11-19", "gaps", "--json"}).out)["gaps"];
  };
  // A point card the rules linked to a gap (not the gap's own card).
  long long gap = 0, id = 0;
  for (const auto& g : gaps_json()) {
    for (const auto& c : g["cards"]) {
      const auto card = nlohmann::json::parse(
          run_recall(copy.db, {"card", std::to_string(c.get<long long>()), "--json"}).out);
      if (card["card"]["kind"] != "gap" && card["card"]["kind"] != "discrimination") {
        gap = g["id"].get<long long>();
        id = c.get<long long>();
        break;
      }
    }
    if (id) break;
  }
  REQUIRE(id != 0);
  REQUIRE(run_recall(copy.db, {"--today", "2026-11-19", "retire", std::to_string(id), "--reason",
                               "linked to the wrong gap"})
              .exit_code == 0);
  for (const auto& g : gaps_json()) {
    CAPTURE(g["id"]);
    for (const auto& c : g["cards"]) CHECK(c.get<long long>() != id);
    if (g["id"] == gap) CHECK(!g["cards"].empty());
  }
  const auto brief = nlohmann::json::parse(
      run_recall(copy.db, {"--today", "2026-11-19", "brief", "--json"}).out);
  for (const auto& g : brief["gaps"])
    for (const auto& c : g["cards"]) CHECK(c.get<long long>() != id);
}
