// Text safety (issue 14, findings 5 and 10): mistake notes are checked where
// they enter, sync never writes a tracker it would refuse to read, and text
// from trackers, notes or the database never reaches a terminal raw (JSON
// keeps it escaped). Through the engine API and the real binary.
#include <SQLiteCpp/SQLiteCpp.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <string>

#include "recall/error.h"
#include "recall/feedback.h"
#include "recall/text.h"
#include "recall/tracker.h"
#include "support.h"

using recall::test::read_bytes;
using recall::test::review_count;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::write_bytes;

namespace {

const std::string kDay1 = "2026-03-01", kDay2 = "2026-03-02";
// OSC 52 (write the clipboard) and "clear the screen": what a hostile
// tracker or note would send to the learner's terminal.
const std::string kOsc52 = "\x1b]52;c;aGFjaw==\x07";
const std::string kClear = "\x1b[2J";

// What an older recall stored unchecked: the note of every logged answer.
void store_raw_notes(const std::string& db, const std::string& note) {
  SQLite::Database connection(db, SQLite::OPEN_READWRITE);
  SQLite::Statement update(connection, "UPDATE reviews SET note = ? WHERE note IS NOT NULL");
  update.bind(1, note);
  update.exec();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// Any control character but the line breaks and tabs the commands print
// themselves; any invalid UTF-8.
bool has_control(const std::string& text) {
  for (std::size_t at = 0; at < text.size();) {
    const auto step = recall::utf8_step(text, at);
    if (!step.valid) return true;
    const char32_t c = step.code_point;
    if (recall::is_control(c) && c != '\n' && c != '\t') return true;
    at += step.length;
  }
  return false;
}

// A card of the fixture (AdamW) on a topic without an open gap: failed on
// two days with the same note, the note is a recurring pattern and sync adds
// a gap "AdamW — NOTE, 2× since DATE" to the tracker.
const std::string kNoteCard = "16";  // the AdamW card (ids follow the rules v7 cards)

std::string two_failures(const TempDir& dir, const std::string& tracker) {
  const std::string db = dir.file("r.db");
  REQUIRE(run_recall(db, {"--today", kDay1, "import", tracker}).exit_code == 0);
  for (const std::string& day : {kDay1, kDay2})
    REQUIRE(run_recall(db, {"--today", day, "answer", kNoteCard, "1", "--note", "swapped the axes"})
                .exit_code == 0);
  return db;
}

}  // namespace

TEST_CASE("note rules: one line of UTF-8, no controls, at most 500 characters", "[text]") {
  CHECK_FALSE(recall::note_error("swapped the axes", "--note"));
  CHECK_FALSE(recall::note_error("confondu précision et rappel — encore", "--note"));
  CHECK_FALSE(recall::note_error(std::string(500, 'x'), "--note"));
  for (const std::string& bad :
       {std::string("two\nlines"), std::string("a\rb"), std::string("tab\there"),
        std::string("bad \xFF byte"), std::string("cut \xE2\x80"), std::string("\xC0\xAF overlong"),
        kClear, std::string(501, 'x'),
        std::string("c1 \xC2\x9B"
                    "2J")}) {
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
  REQUIRE(run_recall(db, {"--today", kDay1, "import", recall::test::fixture_path()}).exit_code ==
          0);
  for (const std::string& note : {std::string("x\n## Injected\n| a | b |"), std::string("bad \xFF"),
                                  std::string(501, 'x'), "clear " + kClear}) {
    const auto result = run_recall(db, {"--today", kDay1, "answer", "1", "1", "--note", note});
    CHECK(result.exit_code == 2);
    CHECK(result.err.rfind("recall: --note: must be one line of UTF-8 text, at most 500 characters",
                           0) == 0);
    CHECK(result.out.empty());
  }
  CHECK(review_count(db) == 0);
  CHECK(run_recall(db, {"--today", kDay1, "answer", "1", "1", "--note", "fine"}).exit_code == 0);
  CHECK(review_count(db) == 1);
}

TEST_CASE("the piped drill refuses a bad note and records nothing for it", "[text][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(run_recall(db, {"--today", kDay1, "import", recall::test::fixture_path()}).exit_code ==
          0);
  recall::test::drill_drafts(db);
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
  CHECK(written.find(
            ": AdamW: decouples weight decay from adaptive scaling (uniform regularization) — "
            "missed 2× since " +
            std::string(kDay1) +
            ", \"swapped ## Injected ### A. Fake | a | b | \xEF\xBF\xBD axes  [2J\"\n") !=
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
  CHECK(parsed["history"][0]["note"].get<std::string>().find("\xEF\xBF\xBD axes \x1b[2J") !=
        std::string::npos);
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

TEST_CASE("text output shows control characters from trackers and notes, JSON escapes them",
          "[text][cli]") {
  TempDir dir;
  std::string text = read_bytes(recall::test::fixture_path());
  text = replaced(text, "**A.8 Evaluation Metrics - AUC-ROC**",
                  "**A.8 Evaluation Metrics - AUC-ROC" + kOsc52 + "**");
  text = replaced(text, "• Measures ranking ability", "• Measures " + kClear + "ranking ability");
  text = replaced(text, "- BatchNorm placement details",
                  "- BatchNorm " + kOsc52 + "placement details");
  text =
      replaced(text, "| A. ML Fundamentals (20%) |", "| A. ML " + kClear + "Fundamentals (20%) |");
  const std::string tracker = dir.file("t.md");
  write_bytes(tracker, text);
  const std::string db = two_failures(dir, tracker);
  recall::test::drill_drafts(db);
  store_raw_notes(db, "swapped " + kOsc52 + kClear +
                          " \xC2\x9B"
                          "2J axes");
  // The card whose topic and key point carry the escapes.
  const auto cards = run_recall(db, {"--today", kDay2, "cards", "--json"});
  REQUIRE(cards.exit_code == 0);
  std::string hostile;
  for (const auto& card : nlohmann::json::parse(cards.out))
    if (card["back"].get<std::string>().find(kClear) != std::string::npos)
      hostile = std::to_string(card["id"].get<long long>());
  REQUIRE(!hostile.empty());
  REQUIRE(run_recall(db, {"config", "set", "interview-date", "2026-04-01"}).exit_code == 0);

  const std::vector<std::vector<std::string>> text_commands = {{"topics"},
                                                               {"cards"},
                                                               {"card", hostile},
                                                               {"card", kNoteCard},
                                                               {"next", "--topic", "A.8"},
                                                               {"gaps"},
                                                               {"stats"},
                                                               {"plan"},
                                                               {"sync", tracker, "--dry-run"}};
  for (const auto& command : text_commands) {
    std::vector<std::string> args = {"--today", kDay2};
    args.insert(args.end(), command.begin(), command.end());
    const auto result = run_recall(db, args);
    INFO(command[0] << " " << result.err);
    CHECK(result.exit_code == 0);
    CHECK_FALSE(has_control(result.out));
    CHECK_FALSE(has_control(result.err));
  }
  // The shown form, so the learner sees that something is there.
  const auto card = run_recall(db, {"--today", kDay2, "card", kNoteCard});
  CHECK(card.out.find("note: swapped \\x1b]52;c;aGFjaw==\\x07\\x1b[2J \\u009b2J axes") !=
        std::string::npos);
  const auto topics = run_recall(db, {"--today", kDay2, "topics"});
  CHECK(topics.out.find("AUC-ROC\\x1b]52;c;aGFjaw==\\x07") != std::string::npos);

  // The piped drill over the hostile card.
  const auto drill = run_recall(db, {"--today", kDay2, "review", "--topic", "A.8"}, "show\n4\nq\n");
  CHECK(drill.exit_code == 0);
  CHECK_FALSE(has_control(drill.out));
  CHECK(drill.out.find("\\x1b[2J") != std::string::npos);

  // JSON keeps every character, escaped.
  for (const auto& command :
       std::vector<std::vector<std::string>>{{"topics", "--json"},
                                             {"card", hostile, "--json"},
                                             {"card", kNoteCard, "--json"},
                                             {"gaps", "--json"},
                                             {"next", "--topic", "A.8", "--json"},
                                             {"stats", "--json"}}) {
    std::vector<std::string> args = {"--today", kDay2};
    args.insert(args.end(), command.begin(), command.end());
    const auto result = run_recall(db, args);
    INFO(command[0]);
    CHECK(result.exit_code == 0);
    CHECK_FALSE(has_control(result.out));
    CHECK_NOTHROW(nlohmann::json::parse(result.out));
  }
  const auto json = run_recall(db, {"--today", kDay2, "card", kNoteCard, "--json"});
  CHECK(json.out.find("swapped \\u001b]52;c;aGFjaw==\\u0007\\u001b[2J \\u009b2J axes") !=
        std::string::npos);
  CHECK(nlohmann::json::parse(json.out)["history"][0]["note"] == "swapped " + kOsc52 + kClear +
                                                                     " \xC2\x9B"
                                                                     "2J axes");
}

namespace {

// Runs `recall ARGS` on a pseudo-terminal and returns everything it wrote.
// Each of `steps` is (text to wait for, keys to type then): typing only once
// the drill shows its prompt, since raw mode flushes earlier input.
std::string run_on_terminal(const std::vector<std::string>& args,
                            const std::vector<std::pair<std::string, std::string>>& steps) {
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::vector<char*> argv;
    std::string binary = RECALL_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copies = args;
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::setenv("NO_COLOR", "", 1);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  std::string output;
  // Reads until `wanted` has appeared (or the drill ends, or 30 s pass).
  auto read_until = [&](const std::string& wanted) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (output.find(wanted) == std::string::npos && std::chrono::steady_clock::now() < give_up) {
      fd_set set;
      FD_ZERO(&set);
      FD_SET(master, &set);
      timeval wait{0, 50000};
      if (::select(master + 1, &set, nullptr, nullptr, &wait) <= 0) continue;
      char buffer[4096];
      const ssize_t got = ::read(master, buffer, sizeof buffer);
      if (got <= 0) return;
      output.append(buffer, static_cast<std::size_t>(got));
    }
  };
  for (const auto& [wanted, keys] : steps) {
    read_until(wanted);
    [[maybe_unused]] auto ignored = ::write(master, keys.data(), keys.size());
  }
  read_until("due tomorrow");
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  ::close(master);
  return output;
}

}  // namespace

TEST_CASE("the interactive drill shows card text escapes and asks again for a bad note",
          "[text][cli]") {
  TempDir dir;
  std::string text = read_bytes(recall::test::fixture_path());
  text = replaced(text, "**A.8 Evaluation Metrics - AUC-ROC**",
                  "**A.8 Evaluation Metrics - AUC-ROC" + kOsc52 + "**");
  text = replaced(text, "• Measures ranking ability", "• Measures " + kClear + "ranking ability");
  const std::string tracker = dir.file("t.md");
  write_bytes(tracker, text);
  const std::string db = dir.file("r.db");
  REQUIRE(run_recall(db, {"--today", kDay1, "import", tracker}).exit_code == 0);
  recall::test::drill_drafts(db);
  // Reveal, grade 1, a note with an invalid byte (asked again), a good note, quit.
  const std::string out =
      run_on_terminal({"--db", db, "--today", kDay1, "review", "--topic", "A.8"},
                      {{"Enter/Space show answer", " "},
                       {"grade 0-5", "1"},
                       {"What went wrong?", "bad\xFF\r"},
                       {"type it again", "good note\r"},
                       {"saved: grade 1", "q"}});
  INFO(out);
  CHECK(out.find("\x1b]52") == std::string::npos);
  // The drill's own clear-screen stays; the card's bare one never comes through.
  std::size_t clears = 0, own = 0;
  for (auto at = out.find(kClear); at != std::string::npos; at = out.find(kClear, at + 1)) ++clears;
  for (auto at = out.find("\x1b[H" + kClear); at != std::string::npos;
       at = out.find("\x1b[H" + kClear, at + 1))
    ++own;
  CHECK(clears == own);
  CHECK(out.find("\\x1b]52;c;aGFjaw==\\x07") != std::string::npos);
  CHECK(out.find("note: must be one line of UTF-8 text") != std::string::npos);
  SQLite::Database connection(db, SQLite::OPEN_READONLY);
  CHECK(connection.execAndGet("SELECT group_concat(note, '|') FROM reviews").getString() ==
        "good note");
}
