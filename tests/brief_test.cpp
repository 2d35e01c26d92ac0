// `recall brief`: the start-of-session facts a tutor's SessionStart hook
// prints, through the engine (load_brief) and the real binary.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "recall/brief.h"
#include "recall/store.h"
#include "support.h"

using namespace recall;
using namespace recall::test;

namespace {

int line_count(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

Day day(const char* text) { return *parse_day(text); }

void answer(const std::string& db, const char* today, const char* card, const char* grade,
            const std::string& note = "") {
  std::vector<std::string> args = {"--today", today, "answer", card, grade};
  if (!note.empty()) args.insert(args.end(), {"--note", note});
  REQUIRE(run_recall(db, args).exit_code == 0);
}

// Cards 5 and 9 failed on two days with notes, card 12 failed once.
void fail_some_cards(const std::string& db) {
  answer(db, "2026-11-20", "5", "1", "swapped the axes");
  answer(db, "2026-11-20", "9", "0", "forgot the formula");
  answer(db, "2026-11-20", "12", "2");
  answer(db, "2026-11-22", "5", "1", "Swapped the axes!");
  answer(db, "2026-11-22", "9", "2", "mixed up numerator and denominator");
  answer(db, "2026-11-22", "12", "4");
  // A note with an escape, as an older recall stored it unchecked (the door
  // refuses it now: text_safety_test.cpp).
  SQLite::Database connection(db, SQLite::OPEN_READWRITE);
  connection.exec(
      "UPDATE reviews SET note = 'forgot the ' || char(27) || '[31mformula' "
      "WHERE note = 'forgot the formula'");
}

}  // namespace

TEST_CASE("brief on a missing database says how to start, exits 0 and creates nothing", "[brief]") {
  TempDir dir;
  const std::string db = dir.file("nowhere/recall.db");
  const auto text = run_recall(db, {"brief"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("no database at") != std::string::npos);
  CHECK(text.out.find("recall import") != std::string::npos);
  CHECK(line_count(text.out) == 1);
  const auto json = run_recall(db, {"brief", "--json"});
  CHECK(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out) ==
        nlohmann::json::parse(R"({"database":")" + db + R"(","exists":false})"));
  CHECK_FALSE(std::filesystem::exists(dir.file("nowhere")));
}

TEST_CASE("brief on an empty database says it has no cards yet", "[brief]") {
  TempDir dir;
  const std::string db = dir.file("recall.db");
  REQUIRE(run_recall(db, {"init"}).exit_code == 0);
  const auto result = run_recall(db, {"brief"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("has no cards yet") != std::string::npos);
}

TEST_CASE("brief after a fresh import gives today's queue, the interview and the open gaps",
          "[brief]") {
  TempDir dir;
  const std::string db = dir.file("recall.db");
  import_fixture(db, "2026-11-20");
  REQUIRE(run_recall(db, {"config", "set", "interview-date", "2026-12-15"}).exit_code == 0);
  const auto result = run_recall(db, {"--today", "2026-11-20", "brief"});
  CHECK(result.exit_code == 0);
  // The cards flagged for rewriting, as `recall cards --review` lists them;
  // the others (a trusted rule's) are today's new cards while drafts wait.
  const auto flagged = nlohmann::json::parse(
      run_recall(db, {"--today", "2026-11-20", "cards", "--review", "--json"}).out);
  REQUIRE(flagged.size() > 0);
  CHECK(result.out.find("2026-11-20: 0 due, " + std::to_string(131 - flagged.size()) +
                        " new, 0 to re-drill today; 131 cards.\n") != std::string::npos);
  CHECK(result.out.find("Interview: 2026-12-15, in 25 days.\n") != std::string::npos);
  CHECK(result.out.find("Recurring mistakes: 0.\n") != std::string::npos);
  CHECK(result.out.find("Weakest topics by review evidence: none failed") != std::string::npos);
  // The fixture's seven open gaps, none fixed: three shown, the tracker's words.
  CHECK(result.out.find("Open gaps not fixed by drilling: 7 (3 shown).\n") != std::string::npos);
  CHECK(result.out.find("Full end-to-end system design practice") != std::string::npos);
  CHECK(result.out.find("Cards flagged for rewriting (quality review, `recall cards --review`): " +
                        std::to_string(flagged.size()) +
                        ". Card review: drafts waiting for a review before the drill introduces "
                        "them: " +
                        std::to_string(flagged.size()) + "; cards not yet reviewed: ") !=
        std::string::npos);
  const auto as_json =
      nlohmann::json::parse(run_recall(db, {"--today", "2026-11-20", "brief", "--json"}).out);
  CHECK(as_json["flagged"] == flagged.size());
  CHECK(line_count(result.out) <= 15);
}

TEST_CASE("brief lists recurring mistakes with their notes and the weakest topics", "[brief]") {
  TempDir dir;
  const std::string db = dir.file("recall.db");
  import_fixture(db, "2026-11-20");
  fail_some_cards(db);
  const auto result = run_recall(db, {"--today", "2026-11-22", "brief"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("Recurring mistakes: 2.\n") != std::string::npos);
  // Most recent note first; "Swapped the axes!" is the same words as "swapped the axes".
  CHECK(result.out.find(": failed 2× on 2 days, last 2026-11-22; notes: \"Swapped the axes!\"\n") !=
        std::string::npos);
  CHECK(result.out.find(
            "notes: \"mixed up numerator and denominator\", \"forgot the \\x1b[31mformula\"") !=
        std::string::npos);
  CHECK(result.out.find('\x1b') == std::string::npos);  // a note never reaches the terminal raw
  CHECK(result.out.find("Weakest topics by review evidence (last 30 days):\n- ") !=
        std::string::npos);
  CHECK(line_count(result.out) <= 15);

  const auto json =
      nlohmann::json::parse(run_recall(db, {"--today", "2026-11-22", "brief", "--json"}).out);
  CHECK(json["recurring_total"] == 2);
  CHECK(json["recurring"][0]["notes"] == nlohmann::json::array({"Swapped the axes!"}));
  CHECK(json["recurring"][0]["fail_days"] == nlohmann::json::array({"2026-11-20", "2026-11-22"}));
  CHECK(json["weakest_topics"].size() >= 1);
  CHECK(json["weakest_topics"][0]["passed"] == 0);
  CHECK(json["interview"].is_null());
}

TEST_CASE("load_brief keeps the first entries of each list and counts them all", "[brief]") {
  TempDir dir;
  const std::string db = dir.file("recall.db");
  import_fixture(db, "2026-11-20");
  fail_some_cards(db);
  Store store(db);
  const Brief whole = load_brief(store, day("2026-11-22"), {10});
  const Brief one = load_brief(store, day("2026-11-22"), {1});
  REQUIRE(whole.mistakes.size() == 2);
  CHECK(one.mistakes.size() == 1);
  CHECK(one.mistakes_total == 2);
  CHECK(one.mistakes.front().card_id == whole.mistakes.front().card_id);
  CHECK(one.gaps.size() == 1);
  CHECK(one.gaps_total == whole.gaps_total);
  // Cards 5 and 9 failed twice each, card 12 once and then passed: 3 topics at most.
  CHECK(whole.weakest.size() <= 3);
  for (const auto& topic : whole.weakest) CHECK(topic.passed < topic.graded);
  // Recurring gaps lead.
  CHECK(whole.gaps.front().recurring);
}

TEST_CASE("a topic with enough evidence for a level ranks before a topic with a single miss",
          "[brief]") {
  TempDir dir;
  const std::string db = dir.file("recall.db");
  import_fixture(db, "2026-11-20");
  // A.8 (cards 2, 4, 6): 3 of 6 passed over 2 days, a level (Medium). C.16 (card 31): one miss.
  answer(db, "2026-11-20", "6", "1", "swapped the axes");
  answer(db, "2026-11-20", "2", "4");
  answer(db, "2026-11-20", "4", "2");
  answer(db, "2026-11-20", "31", "1");
  answer(db, "2026-11-22", "6", "2", "swapped the axes");
  answer(db, "2026-11-22", "2", "3");
  answer(db, "2026-11-22", "4", "4");
  Store store(db);
  const Brief brief = load_brief(store, day("2026-11-22"));
  REQUIRE(brief.weakest.size() == 2);
  CHECK(brief.weakest[0].label == "A.8");
  CHECK(brief.weakest[0].evidence == Confidence::kMedium);
  CHECK(brief.weakest[0].confidence == "Medium-High");  // the tracker's value beside it
  CHECK(
      (brief.weakest[0].passed == 3 && brief.weakest[0].graded == 6 && brief.weakest[0].days == 2));
  CHECK(brief.weakest[1].label == "C.16");
  CHECK_FALSE(brief.weakest[1].evidence);
}
