// The Anki round trip (issue 26; docs/anki.md) through the engine and the
// binary: the text rules, guids that survive edits and renumbering, phone
// answers merged into the log, and packages that must be refused. The
// export read back by a reader not written here, and the three layouts
// imported end to end, are tests/anki/roundtrip.mjs (ctest anki_roundtrip).
#include <SQLiteCpp/SQLiteCpp.h>
#include <zip.h>
#include <zstd.h>

#include <malloc.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "mcp/tools.h"
#include "recall/anki.h"
#include "recall/answering.h"
#include "recall/check.h"
#include "recall/day.h"
#include "recall/error.h"
#include "recall/fsrs.h"
#include "recall/memory.h"
#include "recall/store.h"
#include "recall/study.h"
#include "support.h"

using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::write_bytes;

namespace {

// A zip of `entries` (name, bytes) at `path`; deflated unless `stored`.
void write_zip(const std::string& path,
               const std::vector<std::pair<std::string, std::string>>& entries,
               bool stored = false) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(zip);
  for (const auto& [name, bytes] : entries) {
    zip_source_t* source = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    REQUIRE(source);
    const zip_int64_t index = zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_RAW);
    REQUIRE(index >= 0);
    if (stored) zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  REQUIRE(zip_close(zip) == 0);
}

// Entry `name` of the zip at `path`.
std::string zip_entry(const std::string& path, const std::string& name) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &error);
  REQUIRE(zip);
  zip_stat_t stat;
  REQUIRE(zip_stat(zip, name.c_str(), 0, &stat) == 0);
  std::string bytes(stat.size, '\0');
  zip_file_t* file = zip_fopen(zip, name.c_str(), 0);
  REQUIRE(file);
  REQUIRE(zip_fread(file, bytes.data(), bytes.size()) == static_cast<zip_int64_t>(bytes.size()));
  zip_fclose(file);
  zip_discard(zip);
  return bytes;
}

// The notes of an exported package: RecallKey -> (guid, fields).
std::map<std::string, std::pair<std::string, std::string>> notes_of(const std::string& apkg,
                                                                    const TempDir& dir) {
  const std::string collection = dir.file("read.anki2");
  write_bytes(collection, zip_entry(apkg, "collection.anki2"));
  SQLite::Database db(collection, SQLite::OPEN_READONLY);
  SQLite::Statement s(db, "SELECT guid, flds FROM notes");
  std::map<std::string, std::pair<std::string, std::string>> notes;
  while (s.executeStep()) {
    const std::string fields = s.getColumn(1).getString();
    const std::string key = fields.substr(fields.rfind('\x1f') + 1);
    notes[key] = {s.getColumn(0).getString(), fields};
  }
  return notes;
}

// A legacy collection (schema 11 tables, as the export writes them) with
// `revlog_rows` answers on notes that are not recall's, plus
// `recall_rows` on the note of `guid`.
void write_collection(const std::string& path, const std::string& guid, int recall_rows,
                      long long revlog_rows) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec(
      "CREATE TABLE col (id integer PRIMARY KEY, crt integer, mod integer, scm integer, ver "
      "integer, dty integer, usn integer, ls integer, conf text, models text, decks text, dconf "
      "text, tags text);"
      "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', '{}', '{}', '{}', '{}');"
      "CREATE TABLE notes (id integer PRIMARY KEY, guid text, mid integer, mod integer, usn "
      "integer, tags text, flds text, sfld integer, csum integer, flags integer, data text);"
      "CREATE TABLE cards (id integer PRIMARY KEY, nid integer, did integer, ord integer, mod "
      "integer, usn integer, type integer, queue integer, due integer, ivl integer, factor "
      "integer, reps integer, lapses integer, left integer, odue integer, odid integer, flags "
      "integer, data text);"
      "CREATE TABLE revlog (id integer PRIMARY KEY, cid integer, usn integer, ease integer, ivl "
      "integer, lastIvl integer, factor integer, time integer, type integer);");
  SQLite::Transaction transaction(db);
  SQLite::Statement note(db, "INSERT INTO notes VALUES (?, ?, 7, 0, -1, '', 'q', 'q', 0, 0, '')");
  SQLite::Statement card(
      db, "INSERT INTO cards VALUES (?, ?, 1, 0, 0, -1, 2, 2, 0, 1, 2500, 1, 0, 0, 0, 0, 0, '')");
  SQLite::Statement answer(db, "INSERT INTO revlog VALUES (?, ?, -1, ?, 1, 0, 2500, 5000, 1)");
  // 2026-11-01 noon UTC, a minute apart.
  const long long start = 1'793'534'400'000;
  note.bind(1, 1);
  note.bind(2, guid);
  note.exec();
  card.bind(1, 1);
  card.bind(2, 1);
  card.exec();
  for (int i = 0; i < recall_rows; ++i) {
    answer.reset();
    answer.bind(1, static_cast<int64_t>(start + i * 86'400'000LL));
    answer.bind(2, 1);
    answer.bind(3, 1 + i % 4);
    answer.exec();
  }
  const long long per_note = 10;
  for (long long i = 0; i < revlog_rows; ++i) {
    const long long id = 2 + i / per_note;
    if (i % per_note == 0) {
      note.reset();
      note.bind(1, static_cast<int64_t>(id));
      note.bind(2, "n" + std::to_string(id));
      note.exec();
      card.reset();
      card.bind(1, static_cast<int64_t>(id));
      card.bind(2, static_cast<int64_t>(id));
      card.exec();
    }
    answer.reset();
    answer.bind(1, static_cast<int64_t>(start + 100'000'000'000LL + i));
    answer.bind(2, static_cast<int64_t>(id));
    answer.bind(3, 3);
    answer.exec();
  }
  transaction.commit();
}

// Writes DIR/phone.apkg: the legacy collection at `collection` and a media
// map, as the phone exports them.
void phone_package(const TempDir& dir, const std::string& collection) {
  write_zip(dir.file("phone.apkg"),
            {{"collection.anki2", read_bytes(collection)}, {"media", "{}"}});
}

std::string zstd_of(const std::string& bytes) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const std::size_t size = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), 3);
  REQUIRE(!ZSTD_isError(size));
  out.resize(size);
  return out;
}

// The fixture imported into `db` on 2026-11-20; the card with `source`.
recall::Card fixture_card(recall::Store& store, const std::string& source) {
  recall::import_file(store, recall::test::fixture_path(), *recall::parse_day("2026-11-20"));
  for (const recall::Card& card : store.cards(std::nullopt, false))
    if (card.source == source) return card;
  FAIL("no card made from " << source);
  return {};
}

// A line of /proc/self/status ("VmHWM:", "VmRSS:") in KiB; 0 if absent.
long long status_kb(const std::string& key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(key, 0) == 0) return std::stoll(line.substr(key.size()));
  return 0;
}

bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return clear.good() && status_kb("VmHWM:") > 0;
}

}  // namespace

TEST_CASE("Anki's text rules: checksum, HTML, guid", "[anki]") {
  // rslib's own test vectors (notes/mod.rs test_field_checksum).
  CHECK(recall::anki_checksum("test") == 2840236005u);
  CHECK(recall::anki_checksum("今日") == 1464653051u);
  // The checksum is of the text without HTML (Python hashlib: 2982413688).
  CHECK(recall::anki_field_html("a < b & c") == "a &lt; b &amp; c");
  CHECK(recall::anki_checksum(recall::anki_field_html("a < b & c")) == 2982413688u);
  CHECK(recall::anki_strip_html("x<br>y<!-- c --><b>z</b>&nbsp;&amp;") == "xyz &");
  CHECK(recall::anki_field_html("one\ntwo") == "one<br>two");
  // base91 of SHA-256("recall:" + identity)[:8] (Python hashlib).
  CHECK(recall::anki_guid("point:0123456789abcdef") == "Na)v}E?nr|");
  CHECK(recall::anki_guid("point:0123456789abcdef") != recall::anki_guid("point:0123456789abcdee"));
}

TEST_CASE("export anki: an edited card and a renumbered topic keep every guid", "[anki][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("tracker.md");
  const std::string original = read_bytes(recall::test::fixture_path());
  write_bytes(tracker, original);
  REQUIRE(run_recall(db, {"--today", "2026-11-20", "import", tracker}).exit_code == 0);
  // Every card, flagged drafts too (most of the fixture's cards are flagged).
  REQUIRE(
      run_recall(db, {"export", "anki", dir.file("first.apkg"), "--include-drafts"}).exit_code ==
      0);
  const auto first = notes_of(dir.file("first.apkg"), dir);
  REQUIRE(first.size() > 50);

  // Card 2's front reworded by hand, topic A.8 renumbered A.9 in the tracker.
  REQUIRE(
      run_recall(db, {"edit", "2", "--front", "Fill in: AUC is the chance that ____"}).exit_code ==
      0);
  write_bytes(tracker, recall::test::replace_once(original, "**A.8 Evaluation Metrics - AUC-ROC**",
                                                  "**A.9 Evaluation Metrics - AUC-ROC**"));
  REQUIRE(run_recall(db, {"--today", "2026-11-21", "import", tracker}).exit_code == 0);
  REQUIRE(
      run_recall(db, {"export", "anki", dir.file("second.apkg"), "--include-drafts"}).exit_code ==
      0);
  const auto second = notes_of(dir.file("second.apkg"), dir);
  REQUIRE(second.size() == first.size());
  int changed_text = 0;
  for (const auto& [key, note] : first) {
    const auto found = second.find(key);
    REQUIRE(found != second.end());
    CHECK(found->second.first == note.first);  // the guid
    if (found->second.second != note.second) ++changed_text;
  }
  // The edited card and every card of the renumbered topic (its context
  // line and tag) carry new text under their old guids.
  CHECK(changed_text > 1);
  bool edited_seen = false;
  for (const auto& [key, note] : second)
    if (note.second.find("Fill in: AUC is the chance that ____") != std::string::npos)
      edited_seen = true;
  CHECK(edited_seen);
}

TEST_CASE("export anki: a front that is one bracketed line is the front, not a context line",
          "[anki]") {
  // A context line is a first line ending in a line break (text.h
  // context_line_size); a card's whole front in brackets is its question.
  TempDir dir;
  recall::Store store(dir.file("r.db"));
  const recall::Day day = *recall::parse_day("2026-11-20");
  store.add_card("[draw the ROC curve]", "x=FPR, y=TPR", std::nullopt, day);
  recall::export_anki(store, dir.file("cards.apkg"), {}, day, std::chrono::system_clock::now());
  const auto notes = notes_of(dir.file("cards.apkg"), dir);
  REQUIRE(notes.size() == 1);
  const std::string fields = notes.begin()->second.second;
  CHECK(fields.substr(0, fields.rfind('\x1f')) ==
        std::string("[draw the ROC curve]") + '\x1f' + "x=FPR, y=TPR" + '\x1f');
}

TEST_CASE("export anki refuses what it must not write", "[anki][cli]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, "2026-11-20");
  const auto named = run_recall(db, {"export", "anki", dir.file("collection.apkg")});
  CHECK(named.exit_code == 2);
  CHECK_THAT(named.err, Catch::Contains("whole collection"));
  CHECK(run_recall(db, {"export", "anki", dir.file("cards.txt")}).exit_code == 2);
  // Every card of a fresh import flagged as a draft (a trusted rule's cards
  // too): nothing to export, and the error says why.
  recall::test::flag_every_card(db);
  const auto drafts = run_recall(db, {"export", "anki", db + ".apkg"});
  CHECK(drafts.exit_code == 1);
  CHECK_THAT(drafts.err, Catch::Contains("131 flagged drafts are left out"));
  CHECK(run_recall(db, {"export", "anki", db + ".apkg", "--include-drafts"}).exit_code == 0);
  write_bytes(dir.file("notes.apkg"), "my notes");
  const auto other = run_recall(db, {"export", "anki", dir.file("notes.apkg")});
  CHECK(other.exit_code == 2);
  CHECK(read_bytes(dir.file("notes.apkg")) == "my notes");
}

TEST_CASE("phone answers join the log at their day, the replay and a second import agree",
          "[anki]") {
  TempDir dir;
  recall::Store store(dir.file("r.db"));
  const recall::Card card = fixture_card(store, "ROC axes: x=FPR, y=TPR");
  // The terminal answers on the 19th (a Good) and the 21st.
  recall::answer_card(
      store, {card.id, 4, *recall::parse_day("2026-11-19"), "2026-11-19T09:00:00", std::nullopt});
  recall::answer_card(
      store, {card.id, 4, *recall::parse_day("2026-11-21"), "2026-11-21T09:00:00", std::nullopt});
  // The phone's collection: answers on the 1st..4th, before both terminal
  // answers, which the merge therefore replays.
  const std::string collection = dir.file("collection.anki2");
  write_collection(collection, recall::anki_guid(card.identity), 4, 25);
  phone_package(dir, collection);

  const recall::Day today = *recall::parse_day("2026-11-21");
  const auto dry = recall::import_anki(store, dir.file("phone.apkg"), true, today);
  CHECK(dry.added == 4);
  CHECK(store.reviews_for_card(card.id).size() == 2);

  const auto report = recall::import_anki(store, dir.file("phone.apkg"), false, today);
  CHECK(report.layout == "anki2");
  CHECK(report.added == 4);
  CHECK(report.foreign_notes == 3);
  CHECK(report.foreign_answers == 25);
  CHECK(report.rows_replayed == 2);  // both terminal answers: after the first phone one
  const auto log = store.reviews_for_card(card.id);
  REQUIRE(log.size() == 6);
  std::vector<std::pair<std::string, std::string>> seen;
  for (const auto& row : log)
    seen.emplace_back(recall::format_day(row.day), std::string(recall::to_string(row.source)));
  CHECK(seen == std::vector<std::pair<std::string, std::string>>{{"2026-11-01", "phone"},
                                                                 {"2026-11-02", "phone"},
                                                                 {"2026-11-03", "phone"},
                                                                 {"2026-11-04", "phone"},
                                                                 {"2026-11-19", "drill"},
                                                                 {"2026-11-21", "drill"}});
  CHECK(log[0].button == 1);
  CHECK(log[0].grade == 2);
  CHECK(log[3].button == 4);
  CHECK(log[3].grade == 5);
  CHECK(store.check().ok());
  CHECK(store.card(card.id)->state == log.back().after);

  const auto again = recall::import_anki(store, dir.file("phone.apkg"), false, today);
  CHECK(again.added == 0);
  CHECK(again.duplicates == 4);
  CHECK(store.reviews_for_card(card.id).size() == 6);
  // The terminal answers were written again after the phone's (new ids):
  // `recall undo` no longer reaches them, and never takes a phone answer.
  CHECK_THROWS_WITH(recall::undo_last_answer(store),
                    Catch::Contains("merged with answers from the phone"));
  CHECK(store.reviews_for_card(card.id).size() == 6);
  // An answer given since is undone as ever.
  recall::answer_card(
      store, {card.id, 3, *recall::parse_day("2026-11-22"), "2026-11-22T09:00:00", std::nullopt});
  REQUIRE(recall::undo_last_answer(store));
  CHECK(store.reviews_for_card(card.id).size() == 6);
  CHECK(store.check().ok());
}

TEST_CASE("phone answers between and before terminal ones: one order, by id, everywhere",
          "[anki]") {
  using namespace std::chrono;
  TempDir dir;
  recall::Store store(dir.file("r.db"));
  const recall::Card card = fixture_card(store, "ROC axes: x=FPR, y=TPR");
  const int rollover = recall::kDefaultRolloverHour;
  // 2026-11-05 noon UTC; the answers' instants around it.
  const long long noon5 = 1'793'534'400'000 + 4 * 86'400'000LL;
  const long long hour = 3'600'000;
  const long long terminal5 = noon5 - 3 * hour, phone6 = noon5 + 24 * hour,
                  phone7 = noon5 + 46 * hour, terminal7 = noon5 + 51 * hour;
  auto at = [](long long ms) { return system_clock::time_point(milliseconds(ms)); };
  const recall::Day day5 = recall::local_day(at(terminal5), rollover);
  const recall::Day day7 = recall::local_day(at(terminal7), rollover);
  REQUIRE(recall::local_day(at(phone7), rollover) == day7);
  // The terminal: day 5 and day 7 (late in the day).
  const auto first =
      recall::answer_card(store, {card.id, 4, day5, recall::local_timestamp(at(terminal5)), {}});
  const auto last =
      recall::answer_card(store, {card.id, 4, day7, recall::local_timestamp(at(terminal7)), {}});
  // The phone: day 6 (Hard) and day 7 earlier than the terminal (Again).
  const std::string collection = dir.file("collection.anki2");
  write_collection(collection, recall::anki_guid(card.identity), 0, 0);
  {
    SQLite::Database db(collection, SQLite::OPEN_READWRITE);
    SQLite::Statement answer(db, "INSERT INTO revlog VALUES (?, 1, -1, ?, 1, 0, 2500, 5000, 1)");
    for (auto [id, button] : {std::pair{phone6, 2}, std::pair{phone7, 1}}) {
      answer.reset();
      answer.bind(1, static_cast<int64_t>(id));
      answer.bind(2, button);
      answer.exec();
    }
  }
  phone_package(dir, collection);

  const auto report = recall::import_anki(store, dir.file("phone.apkg"), false, day7 + 1);
  CHECK(report.added == 2);
  CHECK(report.rows_replayed == 1);  // the terminal's day-7 answer, after both phone answers
  const auto log = store.reviews_for_card(card.id);
  REQUIRE(log.size() == 4);
  // The merged (day, time) order is the id order.
  CHECK(log[0].id == first.id);  // before every phone answer: kept
  CHECK(log[0].source == recall::ReviewSource::kDrill);
  CHECK(log[1].source == recall::ReviewSource::kPhone);
  CHECK(log[1].day == day5 + 1);
  CHECK(log[1].button == 2);
  CHECK(log[2].source == recall::ReviewSource::kPhone);
  CHECK(log[2].day == day7);
  CHECK(log[2].grade == 2);
  CHECK(log[3].source == recall::ReviewSource::kDrill);
  CHECK(log[3].day == day7);
  CHECK(log[3].answered_at == last.answered_at);
  CHECK(log[3].id > log[2].id);
  CHECK(log[2].id > log[1].id);
  CHECK(log[1].id > log[0].id);
  CHECK(log[3].id > last.id);  // written again under a new id; ids never reused
  // The phone's Again on day 7 moves the schedule; the terminal's Good later
  // that day is that day's practice.
  CHECK(log[2].kind == recall::ReviewKind::kReview);
  CHECK(log[3].kind == recall::ReviewKind::kRedrill);
  for (std::size_t i = 1; i < log.size(); ++i) CHECK(log[i].before == log[i - 1].after);
  CHECK(store.card(card.id)->state == log[2].after);
  CHECK(store.memory_log(card.id) ==
        recall::fsrs::ReviewLog{{day5, 4}, {day5 + 1, 3}, {day7, 2}, {day7, 4}});
  // The memory kept with the card is the replay of the merged log.
  CHECK(store.card(card.id)->memory ==
        recall::replay_kept_memory(store.memory_log(card.id), recall::fsrs::kDefaultParameters));
  const auto checked = store.check();
  CHECK(checked.ok());
  for (const auto& problem : checked.problems)
    CHECK((problem.area != "order" && problem.area != "memory"));
  // `recall check` on the binary agrees.
  CHECK(run_recall(dir.file("r.db"), {"check"}).exit_code == 0);

  // A second import adds nothing and changes nothing.
  const auto again = recall::import_anki(store, dir.file("phone.apkg"), false, day7 + 1);
  CHECK(again.added == 0);
  CHECK(again.duplicates == 2);
  CHECK(again.rows_replayed == 0);
  CHECK(store.reviews_for_card(card.id) == log);
  // An answer given here still never goes back in day.
  CHECK_THROWS_WITH(recall::answer_card(store, {card.id, 4, day5 + 1, "t", {}}),
                    Catch::Contains("was last answered on"));
}

TEST_CASE("an anki21b package: zstd without a pledged size, a WAL header, the meta entry",
          "[anki]") {
  TempDir dir;
  recall::Store store(dir.file("r.db"));
  const recall::Card card = fixture_card(store, "ROC axes: x=FPR, y=TPR");
  const std::string collection = dir.file("collection.anki21b");
  write_collection(collection, recall::anki_guid(card.identity), 3, 0);
  {
    SQLite::Database db(collection, SQLite::OPEN_READWRITE);
    db.exec("UPDATE col SET ver = 18; PRAGMA journal_mode = WAL;");
    db.exec("CREATE TABLE tags (tag text NOT NULL PRIMARY KEY COLLATE NOCASE)");
  }
  std::string bytes = read_bytes(collection);
  REQUIRE(bytes[18] == 2);
  // A stream without its size in the frame header, as rslib's encoder writes.
  ZSTD_CCtx* context = ZSTD_createCCtx();
  std::string stream(ZSTD_compressBound(bytes.size()) + 64, '\0');
  ZSTD_inBuffer input{bytes.data(), bytes.size(), 0};
  ZSTD_outBuffer output{stream.data(), stream.size(), 0};
  // e_continue first: an encoder that sees the end in its first call pledges the size.
  while (input.pos < input.size)
    REQUIRE(!ZSTD_isError(ZSTD_compressStream2(context, &output, &input, ZSTD_e_continue)));
  ZSTD_inBuffer rest{nullptr, 0, 0};
  REQUIRE(ZSTD_compressStream2(context, &output, &rest, ZSTD_e_end) == 0);
  ZSTD_freeCCtx(context);
  stream.resize(output.pos);
  REQUIRE(ZSTD_getFrameContentSize(stream.data(), stream.size()) == ZSTD_CONTENTSIZE_UNKNOWN);
  const std::string placeholder = dir.file("placeholder.anki2");
  write_collection(placeholder, "someone", 0, 1);
  const std::string latest = dir.file("latest.apkg");
  write_zip(latest,
            {{"meta", std::string("\x08\x03", 2)},
             {"collection.anki2", read_bytes(placeholder)},
             {"collection.anki21b", stream},
             {"media", zstd_of("")}},
            true);
  const recall::Day today = *recall::parse_day("2026-11-21");
  const auto report = recall::import_anki(store, latest, false, today);
  CHECK(report.layout == "anki21b");
  CHECK(report.added == 3);
  CHECK(report.foreign_answers == 0);  // the placeholder was not read

  SECTION("a truncated stream changes nothing") {
    const std::string cut = dir.file("cut.apkg");
    write_zip(cut,
              {{"meta", std::string("\x08\x03", 2)},
               {"collection.anki21b", stream.substr(0, stream.size() / 2)}},
              true);
    recall::Store other(dir.file("other.db"));
    const recall::Card same = fixture_card(other, "ROC axes: x=FPR, y=TPR");
    CHECK_THROWS_WITH(recall::import_anki(other, cut, false, today),
                      Catch::Contains("cut.apkg") && Catch::Contains("truncated zstd"));
    CHECK(other.reviews_for_card(same.id).empty());
  }
}

TEST_CASE("hostile packages are refused with one line naming the file", "[anki][cli]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, "2026-11-20");
  const std::string before = run_recall(db, {"check", "--json"}).out;
  auto refused = [&](const std::string& file, const std::string& why) {
    const auto result = run_recall(db, {"--today", "2026-11-21", "import", "anki", file});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Catch::Contains(file) && Catch::Contains(why));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    CHECK(run_recall(db, {"check", "--json"}).out == before);
  };
  SECTION("not a zip") {
    write_bytes(dir.file("notes.apkg"), "just text, not a package\n");
    refused(dir.file("notes.apkg"), "not a zip");
  }
  SECTION("a zip bomb") {
    write_zip(dir.file("bomb.apkg"), {{"collection.anki2", std::string(64 << 20, '\0')}});
    refused(dir.file("bomb.apkg"), "zip bomb");
  }
  SECTION("a name that climbs out") {
    write_zip(dir.file("climb.apkg"), {{"../../etc/evil", "x"}, {"collection.anki2", "x"}});
    refused(dir.file("climb.apkg"), "outside the package");
  }
  SECTION("a version-0 meta: made by an Anki too new") {
    write_zip(dir.file("new.apkg"), {{"meta", std::string("\x08\x00", 2)}}, true);
    refused(dir.file("new.apkg"), "package version 0");
  }
  SECTION("a zip without a collection") {
    write_zip(dir.file("empty.apkg"), {{"media", "{}"}});
    refused(dir.file("empty.apkg"), "no collection.anki2");
  }
  SECTION("a collection that is not SQLite") {
    write_zip(dir.file("text.apkg"), {{"collection.anki2", std::string(4096, 'x')}});
    refused(dir.file("text.apkg"), "not an SQLite database");
  }
  SECTION("an SQLite file that is not an Anki collection") {
    const std::string other = dir.file("other.sqlite");
    {
      SQLite::Database sqlite(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      sqlite.exec("CREATE TABLE t (x)");
    }
    write_zip(dir.file("other.apkg"), {{"collection.anki2", read_bytes(other)}});
    refused(dir.file("other.apkg"), "not an Anki collection");
  }
}

TEST_CASE("a collection of 10^6 answers is read in bounded memory", "[anki][slow]") {
  TempDir dir;
  recall::Store store(dir.file("r.db"));
  const recall::Card card = fixture_card(store, "ROC axes: x=FPR, y=TPR");
  const std::string collection = dir.file("big.anki2");
  write_collection(collection, recall::anki_guid(card.identity), 2, 1'000'000);
  const auto size = std::filesystem::file_size(collection);
  {
    int error = 0;
    zip_t* zip = zip_open(dir.file("big.apkg").c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    REQUIRE(zip);
    zip_source_t* source = zip_source_file(zip, collection.c_str(), 0, -1);
    REQUIRE(zip_file_add(zip, "collection.anki2", source, 0) >= 0);
    REQUIRE(zip_close(zip) == 0);
  }
  std::filesystem::remove(collection);
  malloc_trim(0);
  // The peak is this process's own from here on (Linux: clear_refs 5
  // resets the high-water mark to the current size).
  if (!reset_peak_rss()) {
    WARN("cannot reset the peak memory (/proc/self/clear_refs): not measured");
    return;
  }
  const long long start_kb = status_kb("VmRSS:");
  const auto report =
      recall::import_anki(store, dir.file("big.apkg"), false, *recall::parse_day("2026-11-21"));
  CHECK(report.answers_read == 1'000'002);
  CHECK(report.added == 2);
  CHECK(report.foreign_notes == 100'000);
  // The collection is streamed to a file and sorted by SQLite, never held
  // whole, and the foreign notes are counted without a set of them: the
  // import grows memory by far less than the collection's size.
  const long long grown_kb = status_kb("VmHWM:") - start_kb;
  INFO("collection " << size / 1024 << " KiB, the import grew the peak by " << grown_kb << " KiB");
  CHECK(static_cast<unsigned long long>(grown_kb) * 1024 < size / 2);
}

TEST_CASE("mcp export_anki and import_anki: the tutor's round trip", "[anki][mcp]") {
  TempDir dir;
  recall::Store store(dir.file("r.db"));
  const recall::Card card = fixture_card(store, "ROC axes: x=FPR, y=TPR");
  recall::mcp::RecallTools tools{store, [] { return *recall::parse_day("2026-11-21"); },
                                 [] { return std::string("2026-11-21T09:00:00"); }};
  auto call = [&](const std::string& name, const recall::mcp::JsonValue& args) {
    const auto result = tools.call(name, args);
    REQUIRE(result);
    INFO(result->dump());
    REQUIRE_FALSE(result->value("isError", false));
    return (*result)["structuredContent"];
  };
  const auto exported = call(
      "export_anki", {{"path", dir.file("tutor.apkg")}, {"domain", "A"}, {"include_drafts", true}});
  CHECK(exported["notes"].get<int>() > 10);
  CHECK(exported["decks"] == 1);
  const auto notes = notes_of(dir.file("tutor.apkg"), dir);
  CHECK(notes.at(card.identity).first == recall::anki_guid(card.identity));

  write_collection(dir.file("phone.anki2"), recall::anki_guid(card.identity), 2, 0);
  write_zip(dir.file("phone.apkg"), {{"collection.anki2", read_bytes(dir.file("phone.anki2"))}});
  const auto dry = call("import_anki", {{"path", dir.file("phone.apkg")}, {"dry_run", true}});
  CHECK(dry["added"] == 2);
  CHECK(store.reviews_for_card(card.id).empty());
  const auto imported = call("import_anki", {{"path", dir.file("phone.apkg")}, {"dry_run", false}});
  CHECK(imported["added"] == 2);
  CHECK(imported["layout"] == "anki2");
  CHECK(store.reviews_for_card(card.id).size() == 2);
  // A bad package is a tool error naming the file, not a crash.
  write_bytes(dir.file("bad.apkg"), "not a zip");
  const auto failed =
      tools.call("import_anki", {{"path", dir.file("bad.apkg")}, {"dry_run", false}});
  REQUIRE(failed);
  CHECK(failed->value("isError", false));
}

TEST_CASE("a schema 7 database is upgraded to 8: each answer's source, phone answers then import",
          "[anki][store][migration]") {
  TempDir dir;
  const std::string db = dir.file("v7.db");
  long long card_id = 0;
  std::string guid;
  {
    recall::Store store(db);
    const recall::Card card = fixture_card(store, "ROC axes: x=FPR, y=TPR");
    card_id = card.id;
    guid = recall::anki_guid(card.identity);
    const recall::Day day = *recall::parse_day("2026-11-20");
    recall::answer_card(store, {card.id, 4, day, "2026-11-20T09:00:00", std::nullopt});
    recall::record_observed_answer(store, card.id, 3, day + 1, "2026-11-21T09:00:00", std::nullopt);
  }
  {
    // As schema 7 left it: no source, button or phone id, no reviews_phone
    // (and none of schema 9's review-pass columns or schema 10's kept memory).
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec(recall::test::kUndoSchema11);
    raw.exec(recall::test::kUndoSchema10);
    raw.exec(recall::test::kUndoSchema9);
    raw.exec("DROP INDEX reviews_phone");
    for (const char* column : {"source", "button", "phone_id"})
      raw.exec(std::string("ALTER TABLE reviews DROP COLUMN ") + column);
    raw.exec("PRAGMA user_version = 7");
  }
  recall::Store store(db);
  CHECK(store.schema_version() == recall::Store::kSchemaVersion);
  const auto log = store.reviews_for_card(card_id);
  REQUIRE(log.size() == 2);
  CHECK(log[0].source == recall::ReviewSource::kDrill);
  CHECK(log[1].source == recall::ReviewSource::kTutor);  // kind 'tutor': the tutor's
  CHECK(log[1].button == 0);
  CHECK(log[1].phone_id == 0);
  CHECK(store.check().ok());
  {
    SQLite::Database raw(db);
    CHECK(raw.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name = 'reviews_phone'")
              .getInt() == 1);
  }
  // Phone answers before both (the two logged ones are written again after
  // them); a second import adds nothing.
  const std::string collection = dir.file("collection.anki2");
  write_collection(collection, guid, 2, 0);  // 2026-11-01 and -02
  phone_package(dir, collection);
  const recall::Day today = *recall::parse_day("2026-11-22");
  CHECK(recall::import_anki(store, dir.file("phone.apkg"), false, today).added == 2);
  CHECK(recall::import_anki(store, dir.file("phone.apkg"), false, today).added == 0);
  CHECK(store.reviews_for_card(card_id).size() == 4);
  CHECK(store.check().ok());
}

TEST_CASE("check --repair keeps a phone answer's source, button and Anki id", "[anki][store]") {
  using namespace std::chrono;
  TempDir dir;
  const std::string db = dir.file("r.db");
  long long card_id = 0;
  std::string guid;
  const long long phone_ms = 1'793'534'400'000;  // 2026-11-01 noon UTC
  const recall::Day phone_day = recall::local_day(system_clock::time_point(milliseconds(phone_ms)),
                                                  recall::kDefaultRolloverHour);
  {
    recall::Store store(db);
    const recall::Card card = fixture_card(store, "ROC axes: x=FPR, y=TPR");
    card_id = card.id;
    guid = recall::anki_guid(card.identity);
    const auto terminal =
        recall::answer_card(store, {card.id, 4, phone_day + 1, "2026-11-02T09:00:00", {}});
    // A phone answer logged after it but dated the day before, as no import
    // writes it now (a log such as an older recall could leave).
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    SQLite::Statement plant(
        raw,
        "INSERT INTO reviews(card_id, day, answered_at, grade, kind, before_repetitions, "
        "before_easiness, before_interval, before_due, before_lapses, after_repetitions, "
        "after_easiness, after_interval, after_due, after_lapses, before_risk, after_risk, "
        "scheduler, source, button, phone_id) SELECT card_id, ?1, '2026-11-01T12:00:00', 4, "
        "'review', after_repetitions, after_easiness, after_interval, after_due, after_lapses, "
        "after_repetitions, after_easiness, after_interval, after_due, after_lapses, after_risk, "
        "after_risk, scheduler, 'phone', 3, ?2 FROM reviews WHERE id = ?3");
    plant.bind(1, phone_day);
    plant.bind(2, static_cast<int64_t>(phone_ms));
    plant.bind(3, static_cast<int64_t>(terminal.id));
    REQUIRE(plant.exec() == 1);
  }
  recall::Store store(db);
  bool order_found = false;
  for (const auto& problem : store.check().problems) order_found |= problem.area == "order";
  REQUIRE(order_found);
  const auto repaired = store.repair_log();
  CHECK(repaired.cards == 1);
  const auto log = store.reviews_for_card(card_id);
  REQUIRE(log.size() == 2);
  CHECK(log[1].source == recall::ReviewSource::kPhone);
  CHECK(log[1].button == 3);
  CHECK(log[1].phone_id == phone_ms);
  CHECK(store.check().ok());
  // Its Anki id still makes the same answer a duplicate.
  const std::string collection = dir.file("collection.anki2");
  write_collection(collection, guid, 1, 0);  // one answer at phone_ms, button 1
  phone_package(dir, collection);
  const auto again = recall::import_anki(store, dir.file("phone.apkg"), false, phone_day + 2);
  CHECK(again.added == 0);
  CHECK(again.duplicates == 1);
}
