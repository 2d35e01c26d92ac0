// Every --json output replayed on fixture databases and compared byte for
// byte with tests/data/json-golden/ (captured with the hand-written writer
// cli/json.cpp had, before the output moved to nlohmann/json). The answers
// are given to fixed card ids, so the captures do not depend on the queue's
// order beyond the head of each queue asked for.
//
// RECALL_UPDATE_GOLDEN=1 ./recall_tests "[golden]" rewrites the files: only
// for a deliberate change of a documented shape.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <utility>
#include <vector>

#include "recall/json_shapes.h"
#include "support.h"

namespace {

using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::write_bytes;

struct Capture {
  std::string name;
  std::string bytes;
};

// The temporary folder and the answer timestamps (wall clock) are the only
// parts that change from run to run.
std::string normalised(std::string out, const std::string& dir) {
  for (std::size_t at = out.find(dir); at != std::string::npos; at = out.find(dir, at))
    out.replace(at, dir.size(), "$DIR");
  const std::string key = "\"at\":\"";
  for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + 1)) {
    const std::size_t end = out.find('"', at + key.size());
    out.replace(at + key.size(), end - at - key.size(), "*");
  }
  return out;
}

class Scenario {
 public:
  explicit Scenario(const TempDir& dir) : dir_(dir.path().string()) {}
  void run(const std::string& name, const std::string& db, const std::vector<std::string>& args) {
    const auto result = run_recall(db, args);
    INFO(name << ": " << result.err);
    REQUIRE((result.exit_code == 0 || result.exit_code == 1));
    captures.push_back(
        {name, "exit " + std::to_string(result.exit_code) + "\n" + normalised(result.out, dir_)});
  }
  std::vector<Capture> captures;

 private:
  std::string dir_;
};

const char* const kNote = "mixed up \"Q·K\" with K\\V — über-softmax";

void fixture_scenario(const TempDir& dir, Scenario& s) {
  const std::string tracker = dir.file("ml-study-tracker.md");
  write_bytes(tracker, read_bytes(recall::test::fixture_path()));
  const std::string db = dir.file("r.db");
  s.run("import", db, {"--today", "2026-03-01", "import", tracker, "--json"});
  s.run("due-day1", db, {"--today", "2026-03-01", "due", "--json"});
  s.run("next-day1", db, {"--today", "2026-03-01", "next", "--json"});
  const std::vector<std::pair<int, int>> day1 = {{1, 4}, {2, 2}, {3, 5}, {4, 1}, {5, 3},
                                                 {6, 0}, {7, 4}, {8, 2}, {9, 5}, {10, 3}};
  for (const auto& [id, grade] : day1) {
    std::vector<std::string> args = {"--today",          "2026-03-01",          "answer",
                                     std::to_string(id), std::to_string(grade), "--json"};
    if (grade < 3) args.insert(args.end(), {"--note", kNote});
    s.run("answer-day1-" + std::to_string(id), db, args);
  }
  s.run("answer-redrill", db, {"--today", "2026-03-01", "answer", "2", "4", "--json"});
  for (const char* id : {"2", "4", "6", "8"})
    s.run(std::string("answer-day2-") + id, db,
          {"--today", "2026-03-02", "answer", id, "1", "--note", kNote, "--json"});
  s.run("answer-day4-1", db, {"--today", "2026-03-04", "answer", "1", "5", "--json"});
  s.run("answer-day4-3", db,
        {"--today", "2026-03-04", "answer", "3", "0", "--note", "plain miss", "--json"});
  REQUIRE(run_recall(db, {"config", "set", "interview-date", "2026-04-15"}).exit_code == 0);
  const std::vector<std::string> day5 = {"--today", "2026-03-05"};
  auto on_day5 = [&](const std::string& name, std::vector<std::string> args) {
    args.insert(args.begin(), day5.begin(), day5.end());
    s.run(name, db, args);
  };
  on_day5("due", {"due", "--json"});
  on_day5("due-topic", {"due", "--topic", "A.8", "--json"});
  on_day5("next", {"next", "--json"});
  on_day5("next-topic", {"next", "--topic", "A.8", "--json"});
  on_day5("card-2", {"card", "2", "--json"});
  on_day5("card-3", {"card", "3", "--json"});
  on_day5("card-100", {"card", "100", "--json"});
  on_day5("cards", {"cards", "--json"});
  on_day5("cards-topic", {"cards", "--topic", "A.8", "--retired", "--json"});
  on_day5("topics", {"topics", "--json"});
  on_day5("gaps", {"gaps", "--json"});
  on_day5("stats", {"stats", "--json"});
  on_day5("stats-ascii", {"stats", "--ascii"});
  on_day5("plan", {"plan", "--json"});
  on_day5("check", {"check", "--json"});
  on_day5("brief", {"brief", "--json"});
  on_day5("sync-dry-run", {"sync", "--dry-run", "--json"});
  on_day5("reimport", {"import", tracker, "--json"});
  s.run("brief-missing", dir.file("none.db"), {"--today", "2026-03-05", "brief", "--json"});
  // Nothing left: a database without cards (an unknown --topic is an error now).
  s.run("next-nothing", dir.file("empty.db"), {"--today", "2026-03-05", "next", "--json"});
}

// Controls (C0 with \b and \f, DEL, C1) from a tracker, and bytes no
// tracker can bring (invalid UTF-8, written straight into the database).
void hostile_scenario(const TempDir& dir, Scenario& s) {
  std::string text = read_bytes(recall::test::fixture_path());
  const std::string from = "• Measures ranking ability";
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(),
               "• Measures \b\f\x7f\xC2\x85\xC2\x9F\xC2\xA0\x1b[2J\t ranking ability");
  const std::string tracker = dir.file("hostile.md");
  write_bytes(tracker, text);
  const std::string db = dir.file("h.db");
  REQUIRE(run_recall(db, {"--today", "2026-03-01", "import", tracker}).exit_code == 0);
  {
    SQLite::Database connection(db, SQLite::OPEN_READWRITE);
    SQLite::Statement update(connection, "UPDATE cards SET front = ? WHERE id = 1");
    update.bind(
        1, std::string("bad \xFF lead, \xE2\x82 cut, \xC0\xAF overlong, \xED\xA0\x80 surrogate, "
                       "\xF4\x90\x80\x80 too high, \x80 lone, end \xE2"));
    update.exec();
  }
  s.run("hostile-cards", db, {"--today", "2026-03-01", "cards", "--topic", "A.8", "--json"});
  s.run("hostile-card-1", db, {"--today", "2026-03-01", "card", "1", "--json"});
  s.run("hostile-next", db, {"--today", "2026-03-01", "next", "--json"});
  s.run("hostile-topics", db, {"--today", "2026-03-01", "topics", "--json"});
}

}  // namespace

TEST_CASE("every --json output is byte for byte what the golden files hold", "[golden][cli]") {
  TempDir dir;
  Scenario s(dir);
  fixture_scenario(dir, s);
  hostile_scenario(dir, s);
  const std::string folder = recall::test::source_path("tests/data/json-golden");
  const char* update = std::getenv("RECALL_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::filesystem::create_directories(folder);
    for (const auto& c : s.captures) write_bytes(folder + "/" + c.name + ".out", c.bytes);
  }
  for (const auto& c : s.captures) {
    INFO(c.name);
    const std::string path = folder + "/" + c.name + ".out";
    REQUIRE(std::filesystem::exists(path));
    CHECK(read_bytes(path) == c.bytes);
  }
}

TEST_CASE("json_text escapes every control character and reads invalid UTF-8 byte by byte",
          "[golden]") {
  recall::JsonValue value = {
      {"text", std::string("a\b\f\x7f\xC2\x80\xC2\x9F\xC2\xA0\x1b\"\\\xE2\x82!\xFF")},
      {"share", 1.0},
      {"none", nullptr}};
  CHECK(recall::json_text(value) ==
        "{\"text\":"
        "\"a\\u0008\\u000c\\u007f\\u0080\\u009f\xC2\xA0\\u001b\\\"\\\\\xEF\xBF\xBD\xEF\xBF\xBD!"
        "\xEF\xBF\xBD\","
        "\"share\":1.0,\"none\":null}");
}
