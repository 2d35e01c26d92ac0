// Reliability through the real binary: SIGKILL mid-drill, two processes at
// once, broken databases and disks, hostile input. Each case checks that
// nothing committed is lost and nothing half-written remains.
#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "recall/check.h"
#include "support.h"

namespace fs = std::filesystem;
using recall::test::integrity;
using recall::test::one_error_line;
using recall::test::read_bytes;
using recall::test::RecallProcess;
using recall::test::review_count;
using recall::test::run_raw;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::wait_for_reviews;
using recall::test::write_bytes;

namespace {

const std::string kToday = "2026-03-01";

std::vector<int> logged_grades(const std::string& db) {
  SQLite::Database connection(db, SQLite::OPEN_READONLY);
  SQLite::Statement s(connection, "SELECT grade FROM reviews ORDER BY id");
  std::vector<int> grades;
  while (s.executeStep()) grades.push_back(s.getColumn(0).getInt());
  return grades;
}

std::string everything(const std::string& db) {
  return run_recall(db, {"cards", "--retired", "--json"}).out +
         run_recall(db, {"--today", kToday, "due", "--json"}).out;
}

// A clean refusal: exit 1 or 2, one line on stderr, nothing changed.
void expect_refused(const std::string& db, const std::vector<std::string>& args,
                    const std::string& mentions = "") {
  const std::string before = everything(db);
  const auto result = run_recall(db, args);
  INFO("args: " << (args.empty() ? "" : args.back().substr(0, 80))
                << "\nstderr: " << result.err.substr(0, 300));
  CHECK((result.exit_code == 1 || result.exit_code == 2));
  CHECK(one_error_line(result.err));
  if (!mentions.empty()) CHECK(result.err.find(mentions) != std::string::npos);
  CHECK(everything(db) == before);
}

// The fixture with `extra` inserted after the first row of the first topic table.
std::string fixture_with_row_suffix(const std::string& extra) {
  std::string text = read_bytes(recall::test::fixture_path());
  const auto row = text.find("\n| **");
  REQUIRE(row != std::string::npos);
  const auto end = text.find('\n', row + 1);
  return text.substr(0, end + 1) + extra + text.substr(end + 1);
}

}  // namespace

TEST_CASE("SIGKILL after k piped answers loses none of them", "[reliability]") {
  const int k = GENERATE(1, 4, 12);
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  recall::test::drill_drafts(db);
  const std::vector<std::string> lines = {"5", "2 mixed up the axes", "4", "0", "3"};
  std::vector<int> sent;
  RecallProcess drill({"--db", db, "--today", kToday, "review"});
  std::string input;
  for (int i = 0; i < k; ++i) {
    input += lines[i % lines.size()] + "\n";
    sent.push_back(lines[i % lines.size()][0] - '0');
  }
  drill.write(input);
  wait_for_reviews(db, k);
  drill.kill_hard();
  CHECK(logged_grades(db) == sent);
  CHECK(integrity(db) == "ok");
  const auto check = run_recall(db, {"check"});
  INFO(check.out);
  CHECK(check.exit_code == 0);
}

TEST_CASE("SIGKILL while a drill is busy keeps a consistent prefix", "[reliability]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  recall::test::drill_drafts(db);
  RecallProcess drill({"--db", db, "--today", kToday, "review"});
  std::string input;
  std::vector<int> sent;
  for (int i = 0; i < 40; ++i) {
    input += std::to_string(i % 6) + "\n";
    sent.push_back(i % 6);
  }
  drill.write(input);
  wait_for_reviews(db, 3);
  const long long seen = review_count(db);
  drill.kill_hard();
  const auto grades = logged_grades(db);
  CHECK(static_cast<long long>(grades.size()) >= seen);
  REQUIRE(grades.size() <= sent.size());
  CHECK(std::equal(grades.begin(), grades.end(), sent.begin()));
  CHECK(integrity(db) == "ok");
  CHECK(run_recall(db, {"check"}).exit_code == 0);
}

TEST_CASE("two processes answering and importing at once: nothing locked, lost or doubled",
          "[reliability]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  recall::test::drill_drafts(db);
  REQUIRE(run_recall(db, {"--today", kToday, "add", "--front", "q", "--back", "a"}).exit_code == 0);
  const long long manual_id = [&] {
    const auto cards = run_recall(db, {"cards", "--retired"}).out;
    long long last = 0;
    std::istringstream in(cards);
    for (std::string line; std::getline(in, line);) last = std::max(last, std::stoll(line));
    return last;
  }();
  std::vector<recall::test::RunResult> results(3);
  std::string drill_input;
  for (int i = 0; i < 15; ++i) drill_input += "4\n";
  std::thread drill([&] {
    results[0] = run_recall(db, {"--today", kToday, "review", "--limit", "15"}, drill_input);
  });
  std::thread importer([&] {
    for (int i = 0; i < 3 && results[1].exit_code <= 0; ++i) {
      results[1] = run_recall(db, {"--today", kToday, "import", recall::test::fixture_path()});
      if (results[1].exit_code != 0) break;
    }
  });
  std::thread answers([&] {
    for (int i = 0; i < 8; ++i) {
      results[2] = run_recall(db, {"--today", kToday, "answer", std::to_string(manual_id), "5"});
      if (results[2].exit_code != 0) break;
    }
  });
  drill.join();
  importer.join();
  answers.join();
  for (const auto& r : results) {
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("locked") == std::string::npos);
  }
  CHECK(review_count(db) == 15 + 8);
  CHECK(run_recall(db, {"check"}).exit_code == 0);
}

TEST_CASE("two processes creating one new database at once both succeed", "[reliability]") {
  TempDir dir;
  const std::string db = dir.file("fresh.db");
  recall::test::RunResult a, b;
  std::thread first([&] {
    a = run_recall(db, {"--today", kToday, "import", recall::test::fixture_path()});
  });
  std::thread second([&] {
    b = run_recall(db, {"--today", kToday, "add", "--front", "q", "--back", "a"});
  });
  first.join();
  second.join();
  INFO(a.err << b.err);
  CHECK(a.exit_code == 0);
  CHECK(b.exit_code == 0);
  CHECK(run_recall(db, {"check"}).exit_code == 0);
}

TEST_CASE("a read-only database or folder gives a one-line error naming the path",
          "[reliability]") {
  if (::geteuid() == 0) {
    WARN("running as root: chmod cannot make a file read-only for root, read-only cases skipped");
    return;
  }
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  const std::string before = read_bytes(db);
  fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  auto result = run_recall(db, {"--today", kToday, "answer", "1", "5"});
  CHECK(result.exit_code == 1);
  CHECK(one_error_line(result.err));
  CHECK(result.err.find(db) != std::string::npos);
  CHECK(read_bytes(db) == before);
  fs::permissions(db, fs::perms::owner_all);
  fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
  result = run_recall(dir.file("new.db"), {"init"});
  CHECK(result.exit_code == 1);
  CHECK(one_error_line(result.err));
  CHECK(result.err.find("new.db") != std::string::npos);
  fs::permissions(dir.path(), fs::perms::owner_all);
}

TEST_CASE("a full disk fails the import in one line and leaves the database intact",
          "[reliability]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(run_recall(db, {"--today", kToday, "add", "--front", "q", "--back", "a"}).exit_code == 0);
  // A big tracker: every topic row repeated 20 times under new titles.
  const std::string fixture = read_bytes(recall::test::fixture_path());
  std::string big;
  std::istringstream in(fixture);
  for (std::string line; std::getline(in, line);) {
    big += line + "\n";
    if (line.rfind("| **", 0) == 0 && line.find("** |") != std::string::npos) {
      for (int copy = 1; copy <= 20; ++copy) {
        std::string variant = line;
        variant.replace(variant.find("** |"), 4, " copy " + std::to_string(copy) + "** |");
        big += variant + "\n";
      }
    }
  }
  write_bytes(dir.file("big.md"), big);
  const std::string before = everything(db);
  const auto result = run_raw({"--db", db, "--today", kToday, "import", dir.file("big.md")}, "",
                              "trap '' XFSZ; ulimit -f 200;");
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(one_error_line(result.err));
  CHECK(result.err.find(db) != std::string::npos);
  CHECK(everything(db) == before);
  CHECK(integrity(db) == "ok");
  CHECK(run_recall(db, {"check"}).exit_code == 0);
  // Without the limit the same import succeeds: it was the disk, not the file.
  CHECK(run_recall(db, {"--today", kToday, "import", dir.file("big.md")}).exit_code == 0);
}

TEST_CASE("database paths: a missing folder is created, anything else is one clear error",
          "[reliability]") {
  TempDir dir;
  CHECK(run_recall(dir.file("a/b/c/r.db"), {"init"}).exit_code == 0);
  CHECK(fs::exists(dir.file("a/b/c/r.db")));

  write_bytes(dir.file("plain"), "a regular file\n");
  auto under_file = run_recall(dir.file("plain/r.db"), {"init"});
  CHECK(under_file.exit_code == 1);
  CHECK(one_error_line(under_file.err));
  CHECK(under_file.err.find(dir.file("plain/r.db")) != std::string::npos);
  CHECK(read_bytes(dir.file("plain")) == "a regular file\n");

  std::string not_sqlite;
  for (int i = 0; i < 200; ++i) not_sqlite += "this is my study diary, not a database\n";
  write_bytes(dir.file("diary.db"), not_sqlite);
  for (const auto& args : std::vector<std::vector<std::string>>{{"due"}, {"check"}, {"init"}}) {
    auto result = run_recall(dir.file("diary.db"), args);
    CHECK(result.exit_code == 1);
    CHECK(one_error_line(result.err));
    CHECK(result.err.find(dir.file("diary.db")) != std::string::npos);
  }
  CHECK(read_bytes(dir.file("diary.db")) == not_sqlite);

  const std::string db = recall::test::imported_fixture(dir, kToday);
  REQUIRE(!fs::exists(db + "-wal"));  // the last connection checkpointed
  const std::string whole = read_bytes(db);
  const std::string truncated = whole.substr(0, whole.size() / 2);
  write_bytes(db, truncated);
  for (const auto& args : std::vector<std::vector<std::string>>{{"cards", "--json"}, {"check"}}) {
    auto result = run_recall(db, args);
    INFO(result.out.substr(0, 300) << result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find(db) != std::string::npos);
  }
  CHECK(read_bytes(db) == truncated);
}

TEST_CASE("hostile tracker files are refused cleanly and change nothing", "[reliability]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  const std::string file = dir.file("hostile.md");
  const std::string fixture = read_bytes(recall::test::fixture_path());
  std::string columns = "|";
  for (int i = 0; i < 100000; ++i) columns += " c |";
  std::string nested;
  for (int i = 0; i < 100000; ++i) nested += "> - [";
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"invalid UTF-8",
       fixture_with_row_suffix("| **Z.1 Bad \xff\xfe bytes** | 2026-01-01 | High | • a: b |\n")},
      {"NUL bytes", fixture.substr(0, 500) + std::string("\0\0\0", 3) + fixture.substr(500)},
      {"a 50 MB single line", std::string(50 << 20, 'x')},
      {"100,000 columns in a row", fixture_with_row_suffix(columns + "\n")},
      {"deeply nested markdown, no tracker", nested + "\n"},
      {"empty", ""},
  };
  for (const auto& [name, bytes] : cases) {
    INFO(name);
    write_bytes(file, bytes);
    expect_refused(db, {"--today", kToday, "import", file}, file);
    CHECK(read_bytes(file) == bytes);
  }
  expect_refused(db, {"import", dir.path().string()}, dir.path().string());
  fs::create_symlink(dir.file("loop-b"), dir.file("loop-a"));
  fs::create_symlink(dir.file("loop-a"), dir.file("loop-b"));
  expect_refused(db, {"import", dir.file("loop-a")}, "loop-a");
  expect_refused(db, {"import", dir.file("missing.md")}, "missing.md");
}

TEST_CASE("deep nesting inside a real tracker neither crashes nor corrupts", "[reliability]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  std::string nested;
  for (int i = 0; i < 20000; ++i)
    nested += std::string(static_cast<std::size_t>(i % 40), ' ') + "- > [" + "\n";
  write_bytes(dir.file("t.md"), read_bytes(recall::test::fixture_path()) + nested);
  const auto result = run_recall(db, {"--today", kToday, "import", dir.file("t.md")});
  CHECK((result.exit_code == 0 || (result.exit_code == 1 && one_error_line(result.err))));
  CHECK(run_recall(db, {"check"}).exit_code == 0);
}

TEST_CASE("bad dates, grades and card ids are refused and change nothing", "[reliability]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  recall::test::drill_drafts(db);
  for (const std::string day : {"0000-00-00", "2026-02-30", "2026-13-01", "yesterday"})
    expect_refused(db, {"--today", day, "answer", "1", "5"}, day);
  expect_refused(db, {"config", "set", "interview-date", "2026-02-30"}, "2026-02-30");
  for (const std::string grade : {"-1", "6", "4.5", "x", "", "5x"})
    expect_refused(db, {"--today", kToday, "answer", "1", grade});
  for (const std::string id : {"999999", "0", "-3", "99999999999999999999999", "1e3", "abc"}) {
    expect_refused(db, {"--today", kToday, "answer", id, "5"}, id);
    expect_refused(db, {"card", id}, id);
  }
  // A bad line in a piped drill stops it; answers before it stay.
  const auto drill = run_recall(db, {"--today", kToday, "review"}, "5\n4.5\n5\n");
  CHECK(drill.exit_code == 2);
  CHECK(review_count(db) == 1);
}

TEST_CASE("SQL fragments, quotes and a 1 MB text survive verbatim", "[reliability]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const std::string evil = "'); DROP TABLE cards;--";
  std::string tracker = read_bytes(recall::test::fixture_path());
  // Into a topic title, a key point, a confidence and a gap.
  const auto row = tracker.find("\n| **");
  tracker.insert(row + 1, "| **A.99 Title " + evil + "** | 2026-01-01 | High " + evil +
                              " | • Term " + evil + ": meaning " + evil + " |\n");
  const auto gaps = tracker.find("### 🔴");
  REQUIRE(gaps != std::string::npos);
  tracker.insert(tracker.find('\n', gaps) + 1, "- Gap " + evil + "\n");
  write_bytes(dir.file("t.md"), tracker);
  const auto imported = run_recall(db, {"--today", kToday, "import", dir.file("t.md")});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  const auto cards = run_recall(db, {"cards", "--json"}).out;
  CHECK(cards.find("Term " + evil) != std::string::npos);
  CHECK(run_recall(db, {"topics", "--json"}).out.find("Title " + evil) != std::string::npos);

  const auto added =
      run_recall(db, {"--today", kToday, "add", "--front", evil + " \"q\"", "--back", evil});
  REQUIRE(added.exit_code == 0);
  const std::string id = added.out.substr(std::string("added card ").size(),
                                          added.out.size() - std::string("added card ").size() - 1);
  CHECK(run_recall(db, {"card", id, "--json"}).out.find(evil + " \\\"q\\\"") != std::string::npos);
  CHECK(run_recall(db, {"--today", kToday, "answer", id, "1", "--note", evil}).exit_code == 0);
  CHECK(run_recall(db, {"card", id, "--json"}).out.find("\"note\":\"" + evil + "\"") !=
        std::string::npos);

  // 1 MB in one key point: more than one command-line argument may hold
  // (128 KiB on Linux), so it comes through a tracker.
  std::string huge;
  while (huge.size() < (1 << 20)) huge += "gradient descent step ";
  write_bytes(
      dir.file("huge.md"),
      fixture_with_row_suffix("| **A.98 Huge** | 2026-01-01 | High | • Huge: " + huge + " |\n"));
  const auto big = run_recall(db, {"--today", kToday, "import", dir.file("huge.md")});
  INFO(big.err);
  CHECK(big.exit_code == 0);
  huge.pop_back();  // the cell is trimmed
  CHECK(run_recall(db, {"cards", "--json"}).out.find("Huge: " + huge + "\"") != std::string::npos);
  CHECK(run_recall(db, {"check"}).exit_code == 0);
  CHECK(integrity(db) == "ok");
}

TEST_CASE("recall check finds a tampered card, a forged log row and an orphan", "[reliability]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  REQUIRE(run_recall(db, {"--today", kToday, "answer", "1", "4"}).exit_code == 0);
  REQUIRE(run_recall(db, {"--today", "2026-03-02", "answer", "1", "2"}).exit_code == 0);
  auto clean = run_recall(db, {"check", "--json"});
  CHECK(clean.exit_code == 0);
  CHECK_THAT(clean.out, Catch::StartsWith("{\"ok\":true,\"cards\":"));
  CHECK_THAT(clean.out, Catch::EndsWith(",\"reviews\":2,\"problems\":[]}\n"));
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE cards SET easiness = easiness + 100 WHERE id = 1");
  }
  auto tampered = run_recall(db, {"check", "--json"});
  CHECK(tampered.exit_code == 1);
  CHECK_THAT(tampered.out, Catch::Contains("{\"area\":\"replay\",\"card\":1,\"review\":null,"));
  CHECK(run_recall(db, {"check"}).exit_code == 1);
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE cards SET easiness = easiness - 100 WHERE id = 1");
    raw.exec("UPDATE reviews SET after_interval = 9 WHERE id = 1");
  }
  auto forged = run_recall(db, {"check", "--json"});
  CHECK(forged.exit_code == 1);
  CHECK_THAT(forged.out, Catch::Contains("{\"area\":\"replay\",\"card\":1,\"review\":1,"));
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE reviews SET after_interval = 1 WHERE id = 1");
    raw.exec(
        "INSERT INTO reviews(card_id, day, answered_at, grade, kind, before_repetitions, "
        "before_easiness, before_interval, before_lapses, after_repetitions, after_easiness, "
        "after_interval, after_lapses) VALUES (999999, 1, 'x', 5, 'review', 0, 2500, 0, 0, 1, "
        "2600, 1, 0)");
  }
  auto orphan = run_recall(db, {"check", "--json"});
  CHECK(orphan.exit_code == 1);
  CHECK_THAT(orphan.out, Catch::Contains("\"area\":\"foreign_key\""));
  CHECK(orphan.out.find("\"area\":\"replay\"") == std::string::npos);
}

TEST_CASE("replay_card accepts an earlier due day only when an interview is set", "[reliability]") {
  recall::CardHistory history;
  history.card_id = 7;
  recall::ReviewLog first;
  first.id = 1;
  first.card_id = 7;
  first.day = 100;
  first.grade = 5;
  first.after = recall::next_state(first.before, 5, 100);
  recall::ReviewLog second = first;
  second.id = 2;
  second.day = 101;
  second.before = first.after;
  second.after = recall::next_state(second.before, 5, 101);  // interval 6: due 107
  second.after.due_day = 104;                                // pulled earlier
  history.reviews = {first, second};
  history.current = second.after;
  CHECK(recall::replay_card(history, true).empty());
  CHECK(recall::replay_card(history, false).size() == 1);
  history.reviews[1].after.due_day = 101;  // not even a day later: never valid
  history.current = history.reviews[1].after;
  CHECK(recall::replay_card(history, true).size() == 1);
}

TEST_CASE("recall backup copies a database in use and refuses the live file", "[reliability]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  recall::test::drill_drafts(db);
  RecallProcess drill({"--db", db, "--today", kToday, "review"});
  drill.write("5\n4\n3\n");
  wait_for_reviews(db, 3);
  const auto backup = run_recall(db, {"backup", dir.file("copy.db")});
  INFO(backup.err);
  CHECK(backup.exit_code == 0);
  drill.write("5\n");
  wait_for_reviews(db, 4);
  CHECK(drill.wait_exit() == 0);
  CHECK(integrity(dir.file("copy.db")) == "ok");
  CHECK(review_count(dir.file("copy.db")) == 3);
  CHECK(run_recall(dir.file("copy.db"), {"check"}).exit_code == 0);
  for (const auto& entry : fs::directory_iterator(dir.path()))
    CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);

  expect_refused(db, {"backup", db}, db);
  expect_refused(db, {"backup", dir.file("./r.db")}, "r.db");
  expect_refused(db, {"backup", dir.file("no/such/folder/copy.db")}, "copy.db");
  expect_refused(db, {"backup", dir.path().string()}, dir.path().string());
}
