// The real `recall` binary, end to end on a temp database with fixed --today.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "support.h"

using recall::test::run_recall;
using recall::test::TempDir;

TEST_CASE("init, add, next, answer over several days, card", "[cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  REQUIRE(run_recall(db, {"init"}).exit_code == 0);
  REQUIRE(run_recall(db, {"init"}).exit_code == 0);  // idempotent
  auto added =
      run_recall(db, {"--today", "2026-11-20", "add", "--front", "ROC x axis?", "--back", "FPR"});
  REQUIRE(added.exit_code == 0);
  CHECK(added.out == "added card 1\n");

  auto due = run_recall(db, {"--today", "2026-11-20", "due", "--json"});
  CHECK(due.out ==
        "{\"day\":\"2026-11-20\",\"due\":0,\"new\":1,\"redrill\":0,\"due_total\":0,"
        "\"new_available\":1,\"reviews_answered\":0,\"new_answered\":0,\"drafts_waiting\":0,"
        "\"drafts\":\"wait\",\"flagged\":0,\"unreviewed\":0}\n");  // added by hand: reviewed
  auto next = run_recall(db, {"--today", "2026-11-20", "next", "--json"});
  CHECK_THAT(next.out, Catch::StartsWith(
                           "{\"phase\":\"new\",\"position\":1,\"total\":1,\"card\":{\"id\":1,"));
  CHECK_THAT(next.out, Catch::Contains("\"front\":\"ROC x axis?\""));

  auto a1 = run_recall(db, {"--today", "2026-11-20", "answer", "1", "5"});
  CHECK(a1.exit_code == 0);
  CHECK(a1.out == "card 1: grade 5, next in 1 day, due 2026-11-21 (EF 2.60)\n");
  CHECK(run_recall(db, {"--today", "2026-11-20", "next", "--json"}).out == "null\n");
  auto a2 = run_recall(db, {"--today", "2026-11-21", "answer", "1", "4"});
  CHECK(a2.out == "card 1: grade 4, next in 6 days, due 2026-11-27 (EF 2.60)\n");
  auto a3 = run_recall(db, {"--today", "2026-11-27", "answer", "1", "3", "--json"});
  CHECK(a3.out ==
        "{\"card\":1,\"grade\":3,\"kind\":\"review\",\"day\":\"2026-11-27\",\"state\":{\"n\":3,"
        "\"ef\":\"2.46\",\"interval\":16,\"due\":\"2026-12-13\",\"lapses\":0}}\n");

  auto card = run_recall(db, {"card", "1", "--json"});
  CHECK(card.exit_code == 0);
  CHECK_THAT(card.out, Catch::Contains("\"state\":{\"n\":3,\"ef\":\"2.46\",\"interval\":16,\"due\":"
                                       "\"2026-12-13\",\"lapses\":0}"));
  CHECK_THAT(card.out, Catch::Contains("\"history\":[{\"day\":\"2026-11-20\""));
  auto text = run_recall(db, {"card", "1"});
  CHECK_THAT(text.out, Catch::Contains("n 3  EF 2.46  interval 16d  due 2026-12-13  lapses 0"));
}

TEST_CASE("a failed answer resets the run and counts a lapse", "[cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  run_recall(db, {"--today", "2026-11-01", "add", "--front", "q", "--back", "a"});
  run_recall(db, {"--today", "2026-11-01", "answer", "1", "5"});
  run_recall(db, {"--today", "2026-11-02", "answer", "1", "5"});
  auto fail =
      run_recall(db, {"--today", "2026-11-08", "answer", "1", "1", "--note", "swapped the axes"});
  CHECK(fail.out == "card 1: grade 1, next in 1 day, due 2026-11-09 (EF 2.16)\n");
  auto card = run_recall(db, {"card", "1", "--json"});
  CHECK_THAT(card.out, Catch::Contains("\"lapses\":1"));
  CHECK_THAT(card.out, Catch::Contains("\"note\":\"swapped the axes\""));
}

TEST_CASE("bad input exits 2 for usage and 1 for data, and writes nothing", "[cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  run_recall(db, {"--today", "2026-11-01", "add", "--front", "q", "--back", "a"});
  const std::string before = run_recall(db, {"card", "1", "--json"}).out;
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    const char* message;
  };
  const std::vector<Case> cases = {
      {{"answer", "1", "7"}, 2, "GRADE: '7'"},
      {{"answer", "1", "-1"}, 2, "'-1'"},
      {{"answer", "1", "4.5"}, 2, "GRADE: '4.5'"},
      {{"answer", "1", "x"}, 2, "GRADE: 'x'"},
      {{"answer", "99", "3"}, 1, "no card with id 99"},
      {{"answer", "99999999999999999999", "3"}, 2, "CARD_ID"},
      {{"answer", "1"}, 2, "grade"},
      {{"--today", "2026-02-30", "answer", "1", "3"}, 2, "--today: '2026-02-30'"},
      {{"--today", "0000-00-00", "due"}, 2, "--today: '0000-00-00'"},
      {{"card", "0"}, 2, "CARD_ID"},
      {{"card", "5"}, 1, "no card with id 5"},
      {{"frobnicate"}, 2, "unknown command 'frobnicate'"},
      {{"due", "--bogus"}, 2, "bogus"},
      {{"config", "set", "new-per-day", "ten"}, 2, "new-per-day: 'ten'"},
      {{"config", "set", "colour", "red"}, 2, "unknown setting 'colour'"},
  };
  for (const auto& c : cases) {
    auto result = run_recall(db, c.args);
    INFO(c.args.front() << " ... -> " << result.err);
    CHECK(result.exit_code == c.exit_code);
    CHECK_THAT(result.err, Catch::Contains(c.message));
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);  // one line
  }
  CHECK(run_recall(db, {"card", "1", "--json"}).out == before);
}

TEST_CASE("help and version", "[cli]") {
  auto help = recall::test::run_raw({"--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("answer") && Catch::Contains("review"));
  auto version = recall::test::run_raw({"--version"});
  CHECK_THAT(version.out, Catch::StartsWith("recall "));
  auto command_help = recall::test::run_raw({"answer", "--help"});
  CHECK(command_help.exit_code == 0);
  CHECK_THAT(command_help.out, Catch::Contains("--note"));
}

TEST_CASE("the database path comes from --db, then RECALL_DB, then XDG_DATA_HOME", "[cli]") {
  TempDir dir;
  auto env = recall::test::run_raw({"init"}, "", "RECALL_DB=" + dir.file("env.db"));
  CHECK(env.exit_code == 0);
  CHECK(std::filesystem::exists(dir.file("env.db")));
  auto xdg =
      recall::test::run_raw({"init"}, "", "env -u RECALL_DB XDG_DATA_HOME=" + dir.file("xdg"));
  CHECK(xdg.exit_code == 0);
  CHECK(std::filesystem::exists(dir.file("xdg/recall/recall.db")));
}

TEST_CASE("config get, set and unset", "[cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  CHECK_THAT(run_recall(db, {"config", "get"}).out, Catch::Contains("new-per-day = 20 (default)"));
  CHECK(run_recall(db, {"config", "set", "new-per-day", "10"}).exit_code == 0);
  CHECK(run_recall(db, {"config", "get", "new-per-day"}).out == "new-per-day = 10\n");
  CHECK(run_recall(db, {"config", "unset", "new-per-day"}).exit_code == 0);
  CHECK(run_recall(db, {"config", "get", "new-per-day"}).out == "new-per-day = 20 (default)\n");
}

TEST_CASE("add --topic: a label several topics share names none, its title names one", "[cli]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, "2026-03-01");
  const std::string before = recall::test::read_bytes(db);
  // The fixture has three E.34 topics: the first of them was taken before.
  const auto shared = run_recall(
      db, {"--today", "2026-03-01", "add", "--front", "q?", "--back", "a", "--topic", "E.34"});
  CHECK(shared.exit_code == 1);
  CHECK(recall::test::one_error_line(shared.err));
  CHECK_THAT(shared.err, Catch::Contains("label 'E.34' names several topics") &&
                             Catch::Contains("E.34 Listing Recommendation System Design"));
  CHECK(recall::test::read_bytes(db) == before);
  // Its label and title (any case) name the one meant.
  const auto named = run_recall(db, {"--today", "2026-03-01", "add", "--front", "q?", "--back",
                                     "a", "--topic", "e.34 listing recommendation system design"});
  REQUIRE(named.exit_code == 0);
  const auto listed = run_recall(db, {"--today", "2026-03-01", "cards", "--json"});
  const auto at = listed.out.find("\"front\":\"q?\"");
  REQUIRE(at != std::string::npos);
  const auto start = listed.out.rfind("{\"id\"", at);  // the card's own object
  CHECK_THAT(listed.out.substr(start, at - start),
             Catch::Contains("\"title\":\"Listing Recommendation System Design\""));
  // A label no topic has is refused as before.
  const auto none = run_recall(
      db, {"--today", "2026-03-01", "add", "--front", "q2?", "--back", "a", "--topic", "Z.99"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains("no topic with label 'Z.99'"));
}
