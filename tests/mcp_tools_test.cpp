// recall mcp's tools (mcp/tools.h) on a temp database with the fixture
// imported, and the server through the real binary: the drill's session
// rules, the tutor review kind, undo of this session's answers only.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <sstream>

#include "mcp/tools.h"
#include "recall/answering.h"
#include "recall/check.h"
#include "recall/feedback.h"
#include "recall/review.h"
#include "recall/store.h"
#include "support.h"

using recall::Store;
using recall::mcp::JsonValue;
using recall::mcp::RecallTools;
using recall::test::run_recall;
using recall::test::TempDir;

namespace {

constexpr const char* kToday = "2026-11-25";

struct Fixture {
  TempDir dir;
  std::string db = recall::test::imported_fixture(dir, kToday);
};

struct Tools {
  Store store;
  recall::Day today = *recall::parse_day(kToday);
  RecallTools tools{store, [this] { return today; },
                    [] { return std::string("2026-11-25T09:00:00"); }};
  explicit Tools(const std::string& db) : store(db) {}
  // The structured result; REQUIREs success.
  JsonValue ok(const std::string& name, const JsonValue& args = JsonValue::object()) {
    const auto result = tools.call(name, args);
    REQUIRE(result);
    INFO(result->dump());
    REQUIRE_FALSE(result->value("isError", false));
    // The text block repeats the structured content.
    CHECK(JsonValue::parse((*result)["content"][0]["text"].get<std::string>()) ==
          (*result)["structuredContent"]);
    return (*result)["structuredContent"];
  }
  // The one-line reason of an isError result.
  std::string fails(const std::string& name, const JsonValue& args = JsonValue::object()) {
    const auto result = tools.call(name, args);
    REQUIRE(result);
    INFO(result->dump());
    REQUIRE(result->value("isError", false));
    CHECK_FALSE(result->contains("structuredContent"));
    return (*result)["content"][0]["text"].get<std::string>();
  }
};

long long id_of(const JsonValue& next) { return next["card"]["id"].get<long long>(); }

}  // namespace

TEST_CASE("mcp tools: every tool lists an input and an output schema", "[mcp]") {
  Fixture f;
  Tools t(f.db);
  const JsonValue tools = t.tools.list();
  std::vector<std::string> names;
  for (const auto& tool : tools) {
    names.push_back(tool["name"]);
    CHECK(tool["inputSchema"]["type"] == "object");
    CHECK(tool["outputSchema"]["type"] == "object");
    CHECK_FALSE(tool["description"].get<std::string>().empty());
  }
  CHECK(names == std::vector<std::string>{"brief",          "next_card",       "reveal_card",
                                          "grade_card",     "record_answer",   "undo_last",
                                          "card",           "edit_card",       "gaps",
                                          "topics",         "stats",           "plan",
                                          "import_tracker", "export_anki",     "import_anki",
                                          "sync_tracker",   "cards_to_review", "approve_cards",
                                          "edit_cards",     "retire_cards",    "add_cards",
                                          "find_cards",     "skip_card"});
  CHECK_FALSE(t.tools.call("no_such_tool", JsonValue::object()));
}

TEST_CASE("mcp tools: next_card never shows the back, reveal and grade only in order", "[mcp]") {
  Fixture f;
  recall::test::drill_drafts(f.db);
  Tools t(f.db);
  CHECK_THAT(t.fails("reveal_card", {{"card_id", 1}}),
             Catch::Contains("not the card next_card presented"));
  const JsonValue next = t.ok("next_card");
  const long long id = id_of(next);
  // The same head as `recall next --json`, minus the back and the source.
  const JsonValue cli =
      JsonValue::parse(run_recall(f.db, {"--today", kToday, "next", "--json"}).out);
  CHECK(next["card"]["id"] == cli["card"]["id"]);
  CHECK(next["total"] == cli["total"]);
  CHECK(next["phase"] == cli["phase"]);
  CHECK_FALSE(next["card"].contains("back"));
  CHECK_FALSE(next["card"].contains("source"));
  CHECK(next.dump().find(cli["card"]["back"].get<std::string>()) == std::string::npos);
  // The card tool withholds the back too until it is revealed.
  CHECK_FALSE(t.ok("card", {{"card_id", id}})["card"].contains("back"));

  CHECK_THAT(t.fails("grade_card", {{"card_id", id}, {"grade", 4}}),
             Catch::Contains("not been revealed"));
  CHECK_THAT(t.fails("record_answer", {{"card_id", id}, {"grade", 4}, {"note", ""}}),
             Catch::Contains("reveal_card"));
  CHECK_THAT(t.fails("reveal_card", {{"card_id", id + 1}}),
             Catch::Contains("card " + std::to_string(id) + ")"));
  const JsonValue revealed = t.ok("reveal_card", {{"card_id", id}});
  CHECK(revealed["back"] == cli["card"]["back"]);
  CHECK(revealed["preview"] == cli["preview"]);
  CHECK(t.ok("card", {{"card_id", id}})["card"]["back"] == cli["card"]["back"]);

  CHECK(t.fails("grade_card", {{"card_id", id}, {"grade", 7}}) == "grade: must be at most 5");
  CHECK(t.fails("grade_card", {{"card_id", id}, {"grade", "4"}}) ==
        "grade: must be a whole number");
  CHECK(t.fails("grade_card", {{"card_id", id}}) == "arguments: grade is required");
  CHECK(t.fails("grade_card", {{"card_id", id}, {"grade", 4}, {"extra", 1}}) ==
        "arguments: unknown argument 'extra'");
  const JsonValue graded = t.ok("grade_card", {{"card_id", id}, {"grade", 4}});
  CHECK(graded["card"] == id);
  CHECK(graded["kind"] == "review");
  CHECK(graded["state"]["interval"] == 1);
  CHECK(graded["remaining"]["new_answered"] == 1);
  // Graded once: a second grade needs the card presented again.
  CHECK_THAT(t.fails("grade_card", {{"card_id", id}, {"grade", 4}}),
             Catch::Contains("not been revealed"));
  CHECK(t.ok("next_card")["card"]["id"] != id);
}

TEST_CASE("mcp tools: errors the model can act on are tool results", "[mcp]") {
  Fixture f;
  recall::test::drill_drafts(f.db);
  Tools t(f.db);
  CHECK(t.fails("card", {{"card_id", 99999}}) == "no card with id 99999");
  CHECK(t.fails("record_answer", {{"card_id", 99999}, {"grade", 3}, {"note", ""}}) ==
        "no card with id 99999");
  CHECK(t.fails("card", {{"card_id", 0}}) == "card_id: must be at least 1");
  CHECK_THAT(t.fails("next_card", {{"domain", "7"}}), Catch::Contains("not a domain letter"));
  // An unknown filter is not a finished day (issue 24): it names what exists.
  CHECK_THAT(t.fails("next_card", {{"topic", "Z.99"}}),
             Catch::Contains("no topic labelled 'Z.99' (topics: A.3, A.8, C.16"));
  CHECK_THAT(t.fails("next_card", {{"domain", "z"}}), Catch::Contains("no domain 'Z' (domains: A"));
  CHECK(t.ok("next_card", {{"topic", "a.8"}})["card"]["topic"]["label"] == "A.8");
  CHECK_THAT(t.fails("undo_last"), Catch::Contains("no answer"));
  CHECK_THAT(t.fails("import_tracker", {{"path", f.dir.file("missing.md")}}),
             Catch::Contains("missing.md"));
  CHECK_THAT(t.fails("plan"), Catch::Contains("interview"));
}

TEST_CASE("mcp tools: record_answer is logged as 'tutor' and counts like any answer", "[mcp]") {
  Fixture f;
  const long long card = 5;
  {
    Tools t(f.db);
    const JsonValue first =
        t.ok("record_answer", {{"card_id", card}, {"grade", 1}, {"note", "mixed up the axes"}});
    CHECK(first["kind"] == "tutor");
    CHECK(first["state"]["due"] == "2026-11-26");  // SM-2 moved the schedule
    // The same day again: re-drill practice, the schedule left alone.
    const JsonValue again = t.ok("record_answer", {{"card_id", card}, {"grade", 4}, {"note", ""}});
    CHECK(again["kind"] == "redrill");
    CHECK(again["state"] == first["state"]);
    t.today += 3;
    CHECK(t.ok("record_answer", {{"card_id", card}, {"grade", 2}, {"note", ""}})["kind"] ==
          "tutor");
    // Two failure days within 30: a recurring mistake, as drill answers would be.
    const recall::Feedback feedback = recall::feedback_for(t.store, t.today);
    bool recurring = false;
    for (const auto& miss : feedback.recurring_cards) recurring = recurring || miss.card_id == card;
    CHECK(recurring);
    CHECK(t.store.recurring_card_ids(t.today) == std::vector<long long>{card});
    CHECK(t.store.check().problems.empty());  // the log replays
  }
  const auto shown = run_recall(f.db, {"card", std::to_string(card), "--json"});
  const JsonValue history = JsonValue::parse(shown.out)["history"];
  REQUIRE(history.size() == 3);
  CHECK(history[0]["kind"] == "tutor");
  CHECK(history[0]["note"] == "mixed up the axes");
  CHECK(history[1]["kind"] == "redrill");
  CHECK(history[2]["kind"] == "tutor");
  // Retention counts the two tutor answers (not the re-drill).
  const JsonValue stats =
      JsonValue::parse(run_recall(f.db, {"--today", "2026-11-28", "stats", "--json"}).out);
  CHECK(stats["total"]["answers_30d"] == 2);
  // A tutor answer counts against today's limits like a drill answer.
  const JsonValue due =
      JsonValue::parse(run_recall(f.db, {"--today", kToday, "due", "--json"}).out);
  CHECK(due["new_answered"] == 1);
}

TEST_CASE("mcp tools: undo_last undoes this session's answers only", "[mcp]") {
  Fixture f;
  REQUIRE(run_recall(f.db, {"--today", kToday, "answer", "3", "5"}).exit_code == 0);  // not ours
  Tools t(f.db);
  CHECK_THAT(t.fails("undo_last"), Catch::Contains("no answer"));
  const JsonValue before = t.ok("card", {{"card_id", 7}})["card"]["state"];
  t.ok("record_answer", {{"card_id", 7}, {"grade", 3}, {"note", ""}});
  const JsonValue undone = t.ok("undo_last");
  CHECK(undone["card"] == 7);
  CHECK(undone["state"] == before);
  CHECK(t.ok("card", {{"card_id", 7}})["card"]["state"] == before);
  CHECK(t.ok("card", {{"card_id", 7}})["history"].empty());
  CHECK_THAT(t.fails("undo_last"), Catch::Contains("no answer"));
  CHECK(t.store.reviews_for_card(3).size() == 1);  // the terminal's answer stays

  // Another recall answered another card after ours: ours is still this
  // session's to undo (the terminal drill's rule), and theirs stays.
  t.ok("record_answer", {{"card_id", 7}, {"grade", 3}, {"note", ""}});
  REQUIRE(run_recall(f.db, {"--today", kToday, "answer", "8", "4"}).exit_code == 0);
  CHECK(t.ok("undo_last")["card"] == 7);
  CHECK(t.store.reviews_for_card(7).empty());
  CHECK(t.store.reviews_for_card(8).size() == 1);
}

TEST_CASE("mcp tools: gaps, topics, stats and import answer as the command line does", "[mcp]") {
  Fixture f;
  Tools t(f.db);
  CHECK(t.ok("gaps") ==
        JsonValue::parse(run_recall(f.db, {"--today", kToday, "gaps", "--json"}).out));
  CHECK(t.ok("topics")["topics"] ==
        JsonValue::parse(run_recall(f.db, {"--today", kToday, "topics", "--json"}).out));
  // The brief is `recall brief --json`, the database named as the store opened it.
  CHECK(t.ok("brief") ==
        JsonValue::parse(run_recall(f.db, {"--today", kToday, "brief", "--json"}).out));
  CHECK(t.ok("stats")["domains"].size() ==
        JsonValue::parse(run_recall(f.db, {"--today", kToday, "stats", "--json"}).out)["domains"]
            .size());
  const JsonValue imported = t.ok("import_tracker", {{"path", recall::test::fixture_path()}});
  CHECK(imported["kind"] == "tracker");
  CHECK(imported["added"] == 0);
  CHECK(imported["unchanged"].get<int>() > 0);
}

TEST_CASE("mcp tools: an import or sync retiring most cards needs allow_mass_retire",
          "[mcp][import]") {
  Fixture f;
  Tools t(f.db);
  // The fixture with only its first three topic rows: most cards would go.
  std::string few;
  {
    std::istringstream lines(recall::test::read_bytes(recall::test::fixture_path()));
    int rows = 0;
    for (std::string line; std::getline(lines, line);)
      if (!(line.rfind("| **", 0) == 0 && line.find("<br>") != std::string::npos && ++rows > 3))
        few += line + "\n";
  }
  const std::string path = f.dir.file("few.md");
  recall::test::write_bytes(path, few);
  const auto before = t.store.cards(std::nullopt, true).size();
  CHECK_THAT(t.fails("import_tracker", {{"path", path}}),
             Catch::Contains("few.md: importing it would retire") &&
                 Catch::Contains("--allow-mass-retire"));
  CHECK_THAT(t.fails("sync_tracker", {{"path", path}, {"dry_run", true}}),
             Catch::Contains("importing it would retire"));
  CHECK(t.store.live_card_count() == static_cast<long long>(before));
  const JsonValue retired =
      t.ok("import_tracker", {{"path", path}, {"allow_mass_retire", true}});
  CHECK(retired["retired"].get<int>() > static_cast<int>(before) / 2);
}

TEST_CASE("mcp tools: a schema 3 database is upgraded to take tutor answers", "[mcp][store]") {
  TempDir dir;
  const std::string path = dir.file("v3.db");
  {
    Store fresh(path);
    fresh.add_card("f", "b", std::nullopt, 100);
  }
  {
    // As recall 0.1 with schema 3 left it: the kind CHECK without 'tutor'.
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA writable_schema = ON");
    raw.exec(
        "UPDATE sqlite_master SET sql = replace(sql, ', ''tutor''', '') WHERE name = 'reviews'");
    raw.exec("PRAGMA writable_schema = RESET");
    raw.exec(recall::test::kUndoSchema11);
    raw.exec(recall::test::kUndoSchema10);
    raw.exec(recall::test::kUndoSchema9);
    for (const char* index : {"cards_due", "cards_gap_due", "cards_new", "cards_topic_new"})
      raw.exec(std::string("DROP INDEX ") + index);  // schema 6's, on cards.risk
    raw.exec("DROP INDEX reviews_phone");            // schema 8's
    for (const char* column : {"source", "button", "phone_id"})
      raw.exec(std::string("ALTER TABLE reviews DROP COLUMN ") + column);
    raw.exec("ALTER TABLE cards DROP COLUMN domain_id");  // schema 7's column
    raw.exec("ALTER TABLE cards DROP COLUMN risk");       // schema 6's columns
    raw.exec("ALTER TABLE reviews DROP COLUMN before_risk");
    raw.exec("ALTER TABLE reviews DROP COLUMN after_risk");
    raw.exec("ALTER TABLE reviews DROP COLUMN scheduler");
    raw.exec("ALTER TABLE cards DROP COLUMN quality_reason");  // schema 5's columns
    raw.exec("ALTER TABLE cards DROP COLUMN quality");
    raw.exec("PRAGMA user_version = 3");
    CHECK_THROWS(raw.exec(
        "INSERT INTO reviews(card_id, day, answered_at, grade, kind, before_repetitions, "
        "before_easiness, before_interval, before_lapses, after_repetitions, after_easiness, "
        "after_interval, after_lapses) VALUES (1, 100, 't', 3, 'tutor', 0, 2500, 0, 0, 1, "
        "2500, 1, 0)"));
  }
  Store store(path);
  CHECK(store.schema_version() == Store::kSchemaVersion);
  const auto log =
      recall::answer_card(store, 1, 3, recall::ReviewKind::kTutor, 100, "t", std::nullopt);
  CHECK(log.after.due_day == 101);
  CHECK(store.reviews_for_card(1).at(0).kind == recall::ReviewKind::kTutor);
  CHECK(store.check().problems.empty());
}

TEST_CASE("recall mcp: the real binary serves stdin lines and exits at the end of input",
          "[mcp][cli]") {
  Fixture f;
  recall::test::drill_drafts(f.db);
  std::ostringstream in;
  in << R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"
        "\n"
     << R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
        "\n"
     << "not json\n"
     << std::string(10 * 1024 * 1024, 'x') << "\n"
     << "{\"jsonrpc\":\"2.0\",\"id\":\"\xff\",\"method\":\"ping\"}\n"
     << R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"next_card","arguments":{}}})"
        "\n"
     << R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"record_answer","arguments":{"card_id":2,"grade":5,"note":"explained it"}}})"
        "\n";
  const auto run = run_recall(f.db, {"--today", kToday, "mcp"}, in.str());
  CHECK(run.exit_code == 0);
  std::vector<JsonValue> replies;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) replies.push_back(JsonValue::parse(line));
  REQUIRE(replies.size() == 6);
  CHECK(replies[0]["result"]["protocolVersion"] == "2025-06-18");
  CHECK(replies[1]["error"]["code"] == -32700);
  CHECK(replies[2]["error"]["code"] == -32600);  // 10 MB
  CHECK(replies[3]["error"]["code"] == -32700);  // invalid UTF-8
  CHECK(replies[4]["result"]["structuredContent"]["card"].contains("front"));
  CHECK_FALSE(replies[4]["result"]["structuredContent"]["card"].contains("back"));
  CHECK(replies[5]["result"]["structuredContent"]["kind"] == "tutor");
  CHECK_THAT(run_recall(f.db, {"card", "2", "--json"}).out, Catch::Contains("\"kind\":\"tutor\""));
}

TEST_CASE("mcp tools: undo_last puts the card back in hand, revealed: grade it again", "[mcp]") {
  Fixture f;
  recall::test::drill_drafts(f.db);
  Tools t(f.db);
  const long long id = id_of(t.ok("next_card"));
  t.ok("reveal_card", {{"card_id", id}});
  t.ok("grade_card", {{"card_id", id}, {"grade", 1}, {"note", "slip"}});
  CHECK(t.ok("undo_last")["card"] == id);
  // The recall-drill skill's own step: undo_last once, then grade again.
  const JsonValue regraded = t.ok("grade_card", {{"card_id", id}, {"grade", 4}});
  CHECK(regraded["kind"] == "review");
  const auto history = t.store.reviews_for_card(id);
  REQUIRE(history.size() == 1);
  CHECK(history[0].grade == 4);
}

TEST_CASE("mcp tools: the review pass never shows a presented card's back before the reveal",
          "[mcp][review]") {
  Fixture f;
  recall::test::drill_drafts(f.db);
  Tools t(f.db);
  const JsonValue next = t.ok("next_card", {{"topic", "A.8"}});
  const long long id = id_of(next);
  const recall::Card presented = *t.store.card(id);
  // The presented card's own back and key point, anywhere in a result: as its
  // fields, or among another card's topic_points. (Another card's text that
  // repeats the fact, a topic outline's back, is the MCP layer's redaction
  // guard's concern, not these tools'.)
  const auto leaks = [&](const JsonValue& out) {
    bool leaked = false;
    for (const auto& card :
         out.contains("cards") ? out["cards"] : JsonValue::array({out["card"]})) {
      if (card["id"] == id) leaked = leaked || card.contains("back") || card.contains("source");
      for (const auto& point : card.value("topic_points", JsonValue::array()))
        leaked = leaked || point == presented.source;
    }
    return leaked;
  };
  CHECK_FALSE(leaks(t.ok("cards_to_review", {{"limit", 1000}})));
  CHECK_FALSE(leaks(t.ok("find_cards", {{"topic", "A.8"}})));
  CHECK_FALSE(leaks(t.ok("find_cards", {{"query", presented.source.substr(0, 12)}})));
  CHECK_FALSE(leaks(t.ok("approve_cards", {{"ids", {id}}})));
  CHECK_FALSE(leaks(t.ok("card", {{"card_id", id}})));
  t.ok("reveal_card", {{"card_id", id}});
  CHECK(leaks(t.ok("find_cards", {{"topic", "A.8"}})));
}

TEST_CASE("mcp tools: batches of approve, edit, retire and add, find and skip", "[mcp][review]") {
  Fixture f;
  Tools t(f.db);
  const JsonValue pass = t.ok("cards_to_review", {{"limit", 4}});
  REQUIRE(pass["cards"].size() == 4);
  CHECK(pass["drafts_waiting"].get<int>() > 0);
  const long long a = pass["cards"][0]["id"], b = pass["cards"][1]["id"],
                  c = pass["cards"][2]["id"];
  CHECK(pass["cards"][0]["quality"] == "review");
  CHECK(pass["cards"][0].contains("topic_points"));
  // One bad item: nothing changes, the item is named.
  CHECK(
      t.fails("edit_cards",
              {{"edits", {{{"card_id", a}, {"back", "New."}}, {{"card_id", b}, {"front", ""}}}}}) ==
      "edits[1]: front: must not be empty");
  CHECK_THAT(
      t.fails("edit_cards", {{"edits", {{{"card_id", a}, {"back", "New."}}, {{"card_id", b}}}}}),
      Catch::Contains("edits[1] (card " + std::to_string(b) + "): give front, back"));
  CHECK(t.store.card(a)->reviewed_by.empty());
  CHECK_THAT(t.fails("approve_cards", {{"ids", {a, 0}}}), Catch::Contains("ids[1]"));
  CHECK_THAT(t.fails("approve_cards", {{"ids", JsonValue::array()}}), Catch::Contains("empty"));

  const JsonValue edited = t.ok("edit_cards", {{"edits", {{{"card_id", a}, {"back", "New."}}}}});
  CHECK(edited["cards"][0]["reviewed"]["by"] == "tutor");
  CHECK(edited["cards"][0]["reviewed"]["as"] == "edited");
  CHECK(t.ok("approve_cards", {{"ids", {b}}})["cards"][0]["quality"] == "ok");
  const JsonValue retired = t.ok("retire_cards", {{"ids", {c}}, {"reason", "not knowledge"}});
  CHECK(retired["cards"][0]["retired"] == true);
  CHECK(retired["cards"][0]["reviewed"]["reason"] == "not knowledge");
  const JsonValue added =
      t.ok("add_cards", {{"cards",
                          {{{"topic", "A.8"},
                            {"front", "ROC vs PR: what is on each axis?"},
                            {"back", "ROC: TPR over FPR. PR: precision over recall."}}}}});
  const long long mine = added["cards"][0]["id"];
  CHECK(added["cards"][0]["reviewed"]["as"] == "added");
  // find_cards gives the ids; the new card by its text.
  const JsonValue found = t.ok("find_cards", {{"query", "what is on each axis"}});
  REQUIRE(found["cards"].size() == 1);
  CHECK(found["cards"][0]["id"] == mine);
  CHECK_THAT(t.fails("find_cards"), Catch::Contains("give a query, a topic or a domain"));
  CHECK_THAT(t.fails("find_cards", {{"topic", "Q.1"}}), Catch::Contains("no topic labelled"));
  // The card detail is `recall card --json`, memory included, and the ids
  // of the open gaps the card drills.
  JsonValue detail = t.ok("card", {{"card_id", a}});
  const JsonValue cli = JsonValue::parse(
      run_recall(f.db, {"--today", kToday, "card", std::to_string(a), "--json"}).out);
  REQUIRE(detail["card"].contains("gaps"));
  CHECK(detail["card"]["gaps"] == JsonValue(Store(f.db).gaps_of_card(a)));
  detail["card"].erase("gaps");
  CHECK(detail == cli);

  // skip_card: only the presented card; the next one is another.
  const long long first = id_of(t.ok("next_card"));
  CHECK_THAT(t.fails("skip_card", {{"card_id", first + 1000}}), Catch::Contains("not the card"));
  const JsonValue skipped = t.ok("skip_card", {{"card_id", first}});
  CHECK(skipped["skipped"] == first);
  CHECK(id_of(t.ok("next_card")) != first);
  CHECK(t.store.reviews_for_card(first).empty());
}

TEST_CASE("mcp tools: a finished day says it is finished", "[mcp]") {
  Fixture f;
  // One card approved (every card of a fresh import is a flagged draft).
  REQUIRE(run_recall(f.db, {"approve", "1"}).exit_code == 0);
  REQUIRE(run_recall(f.db, {"config", "set", "new-per-day", "1"}).exit_code == 0);
  Tools t(f.db);
  const long long id = id_of(t.ok("next_card"));
  t.ok("reveal_card", {{"card_id", id}});
  t.ok("grade_card", {{"card_id", id}, {"grade", 5}});
  CHECK_THAT(t.fails("next_card"),
             Catch::Contains("nothing left in today's queue (2026-11-25): the day is finished, 1 "
                             "answers today") &&
                 Catch::Contains("wait for it (cards_to_review)"));
}

TEST_CASE("mcp tools: add_cards links a card to the gap it drills", "[mcp][review]") {
  Fixture f;
  Tools t(f.db);
  const JsonValue gaps = t.ok("gaps");
  long long gap = 0;
  for (const auto& g : gaps["gaps"])
    if (g["id"].is_number() && g["tier"] != "resolved") {
      gap = g["id"].get<long long>();
      break;
    }
  REQUIRE(gap > 0);
  const JsonValue added = t.ok(
      "add_cards", {{"cards", JsonValue::array({{{"topic", "A.8"},
                                                 {"front", "ROC vs PR: what is on each y axis?"},
                                                 {"back", "ROC: TPR. PR: precision."},
                                                 {"gap", gap}}})}});
  const long long id = added["cards"][0]["id"].get<long long>();
  // The reply shows the link.
  CHECK(added["cards"][0]["gaps"] == JsonValue::array({gap}));
  bool linked = false;
  const JsonValue after = t.ok("gaps");
  INFO(after.dump());
  INFO(added.dump());
  for (const auto& g : after["gaps"])
    if (g["id"] == gap)
      for (const auto& c : g["cards"]) linked = linked || c == id || (c.is_object() && c["id"] == id);
  CHECK(linked);
  CHECK_THAT(t.fails("add_cards", {{"cards", JsonValue::array({{{"topic", "A.8"},
                                                                {"front", "q"},
                                                                {"back", "a"},
                                                                {"gap", 99999}}})}}),
             Catch::Contains("no gap with id 99999"));
  CHECK_THAT(t.fails("add_cards", {{"cards", JsonValue::array({{{"topic", "A.8"},
                                                                {"front", "q"},
                                                                {"back", "a"},
                                                                {"gap", 0}}})}}),
             Catch::Contains("gap"));
}

TEST_CASE("mcp tools: edit_cards links a rule's card to a gap as the tutor's, through imports",
          "[mcp][review]") {
  Fixture f;
  Tools t(f.db);
  const auto cards_of_gap = [&](long long gap) {
    std::vector<long long> ids;
    const JsonValue gaps = t.ok("gaps");
    for (const auto& g : gaps["gaps"])
      if (g["id"] == gap)
        for (const auto& c : g["cards"]) ids.push_back(c.is_object() ? c["id"] : c);
    return ids;
  };
  const auto has = [](const std::vector<long long>& ids, long long id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  // An open gap with cards the rules linked, and a card it does not have.
  long long gap = 0;
  const JsonValue gaps = t.ok("gaps");
  for (const auto& g : gaps["gaps"])
    if (g["id"].is_number() && g["tier"] != "resolved" && g["cards"].size() >= 2) {
      gap = g["id"].get<long long>();
      break;
    }
  REQUIRE(gap > 0);
  long long card = 1;
  while (has(cards_of_gap(gap), card)) ++card;
  const JsonValue before = t.ok("card", {{"card_id", card}});
  // A bad item (an unknown gap) changes nothing, and is named.
  CHECK_THAT(t.fails("edit_cards", {{"edits", JsonValue::array({{{"card_id", card}, {"gap", gap}},
                                                                {{"card_id", card + 1},
                                                                 {"gap", 99999}}})}}),
             Catch::Contains("no gap with id 99999"));
  CHECK_FALSE(has(cards_of_gap(gap), card));
  // The link alone: the card's text and review state stay; the reply shows
  // the link.
  const JsonValue linked =
      t.ok("edit_cards", {{"edits", JsonValue::array({{{"card_id", card}, {"gap", gap}}})}});
  CHECK(has(linked["cards"][0]["gaps"].get<std::vector<long long>>(), gap));
  CHECK(has(cards_of_gap(gap), card));
  const JsonValue after = t.ok("card", {{"card_id", card}});
  CHECK(after["card"]["front"] == before["card"]["front"]);
  CHECK(after["card"]["quality"] == before["card"]["quality"]);
  CHECK(after["card"]["reviewed"] == before["card"]["reviewed"]);
  // An import that re-links the gap's cards (one of the rules' links gone,
  // so they differ) restores the rules' links and keeps the tutor's.
  const std::vector<long long> rules = cards_of_gap(gap);
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READWRITE);
    raw.exec("DELETE FROM gap_cards WHERE gap_id = " + std::to_string(gap) +
             " AND tutor = 0 AND card_id = (SELECT MIN(card_id) FROM gap_cards WHERE gap_id = " +
             std::to_string(gap) + " AND tutor = 0)");
    REQUIRE(raw.getChanges() == 1);
    raw.exec("DELETE FROM settings WHERE key = 'import-fingerprint'");
  }
  REQUIRE(cards_of_gap(gap).size() == rules.size() - 1);
  const auto imported =
      run_recall(f.db, {"--today", kToday, "import", recall::test::fixture_path()});
  REQUIRE(imported.exit_code == 0);
  CHECK(cards_of_gap(gap) == rules);
  CHECK(has(cards_of_gap(gap), card));
}

TEST_CASE("mcp tools: edit_cards unlink_gap takes a card away from a gap it does not drill",
          "[mcp][review]") {
  Fixture f;
  Tools t(f.db);
  const auto gaps_json = [&] { return t.ok("gaps")["gaps"]; };
  const auto cards_of_gap = [&](long long gap) {
    std::vector<long long> ids;
    for (const auto& g : gaps_json())
      if (g["id"] == gap)
        for (const auto& c : g["cards"]) ids.push_back(c.is_object() ? c["id"] : c);
    return ids;
  };
  const auto has = [](const std::vector<long long>& ids, long long id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  // An open gap with two cards not made from its words (one to take away,
  // one whose link an import restores), and a card made from a gap's words.
  long long gap = 0, card = 0, other = 0, own = 0, own_gap = 0;
  for (const auto& g : gaps_json()) {
    if (!g["id"].is_number() || g["tier"] == "resolved") continue;
    std::vector<long long> plain;
    for (const auto& c : g["cards"]) {
      const long long id = c.is_object() ? c["id"].get<long long>() : c.get<long long>();
      const auto found = t.store.card(id);
      REQUIRE(found);
      const bool made = (found->kind == recall::CardKind::kGap ||
                         found->kind == recall::CardKind::kDiscrimination) &&
                        found->source == g["text"].get<std::string>();
      if (made && own == 0) {
        own = id;
        own_gap = g["id"].get<long long>();
      }
      // Linked by the rules (gap_cards), not only named by the gap's words:
      // the link an import would write again.
      if (!made && has(t.store.gaps_of_card(id), g["id"].get<long long>())) plain.push_back(id);
    }
    if (gap == 0 && plain.size() >= 2) {
      gap = g["id"].get<long long>();
      card = plain[0];
      other = plain[1];
    }
  }
  REQUIRE(gap > 0);
  REQUIRE(own > 0);
  const JsonValue before = t.ok("card", {{"card_id", card}});

  // A bad item changes nothing and is named: an unknown gap, the same gap
  // linked and taken away, a card made from the gap's own words.
  CHECK_THAT(t.fails("edit_cards", {{"edits", JsonValue::array({{{"card_id", card},
                                                                 {"unlink_gap", gap}},
                                                                {{"card_id", other},
                                                                 {"unlink_gap", 99999}}})}}),
             Catch::Contains("edits[1]") && Catch::Contains("no gap with id 99999"));
  CHECK_THAT(t.fails("edit_cards",
                     {{"edits", JsonValue::array({{{"card_id", card}, {"gap", gap},
                                                   {"unlink_gap", gap}}})}}),
             Catch::Contains("name the same gap"));
  CHECK_THAT(t.fails("edit_cards",
                     {{"edits", JsonValue::array({{{"card_id", own}, {"unlink_gap", own_gap}}})}}),
             Catch::Contains("was made from the words of gap") &&
                 Catch::Contains("retire it"));
  CHECK(has(cards_of_gap(gap), card));
  CHECK(has(cards_of_gap(own_gap), own));

  // Taken away: no longer among the gap's cards nor the card's gaps; its
  // text and review state stay.
  const JsonValue unlinked =
      t.ok("edit_cards", {{"edits", JsonValue::array({{{"card_id", card}, {"unlink_gap", gap}}})}});
  CHECK_FALSE(has(unlinked["cards"][0]["gaps"].get<std::vector<long long>>(), gap));
  CHECK_FALSE(has(cards_of_gap(gap), card));
  CHECK(has(cards_of_gap(gap), other));
  const JsonValue after = t.ok("card", {{"card_id", card}});
  CHECK(after["card"]["front"] == before["card"]["front"]);
  CHECK(after["card"]["quality"] == before["card"]["quality"]);
  CHECK(after["card"]["reviewed"] == before["card"]["reviewed"]);
  CHECK(run_recall(f.db, {"--today", kToday, "check"}).exit_code == 0);

  // An import that links the gap's cards again (the other card's link lost,
  // so the rules' links differ and are written) restores the other card and
  // leaves this one out.
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READWRITE);
    raw.exec("DELETE FROM gap_cards WHERE gap_id = " + std::to_string(gap) +
             " AND card_id = " + std::to_string(other));
    raw.exec("DELETE FROM settings WHERE key = 'import-fingerprint'");
  }
  const auto imported =
      run_recall(f.db, {"--today", kToday, "import", recall::test::fixture_path()});
  REQUIRE(imported.exit_code == 0);
  CHECK(has(cards_of_gap(gap), other));
  CHECK_FALSE(has(cards_of_gap(gap), card));
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READONLY);
    const auto linked = [&](long long id) {
      return raw.execAndGet("SELECT COUNT(*) FROM gap_cards WHERE gap_id = " +
                            std::to_string(gap) + " AND card_id = " + std::to_string(id))
                 .getInt();
    };
    CHECK(linked(other) == 1);
    CHECK(linked(card) == 0);
  }
  CHECK(run_recall(f.db, {"--today", kToday, "check"}).exit_code == 0);

  // Linked again by the tutor: the gap's card again, through an import.
  t.ok("edit_cards", {{"edits", JsonValue::array({{{"card_id", card}, {"gap", gap}}})}});
  CHECK(has(cards_of_gap(gap), card));
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READONLY);
    CHECK(raw.execAndGet("SELECT COUNT(*) FROM gap_unlinks").getInt() == 0);
  }
  // `check` finds a link kept beside the tutor's taking away (by hand).
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO gap_unlinks(gap_id, card_id, day) VALUES (" + std::to_string(gap) +
             ", " + std::to_string(card) + ", 0)");
  }
  // (the link made by hand too, as an old process could).
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO gap_unlinks(gap_id, card_id, day) VALUES (" + std::to_string(gap) +
             ", " + std::to_string(other) + ", 0)");
  }
  const auto checked = run_recall(f.db, {"--today", kToday, "check"});
  CHECK(checked.exit_code == 1);
  CHECK_THAT(checked.out, Catch::Contains("links: card " + std::to_string(card) + ": linked to gap " +
                                          std::to_string(gap) + ", which the tutor took it away from"));
  // --repair takes those links away (the tutor's decision stands).
  const auto repaired = run_recall(f.db, {"--today", kToday, "check", "--repair"});
  CHECK(repaired.exit_code == 0);
  CHECK_THAT(repaired.out, Catch::Contains("took away 2 links of cards to gaps"));
  CHECK_FALSE(has(cards_of_gap(gap), card));
  CHECK(run_recall(f.db, {"--today", kToday, "check"}).exit_code == 0);
  t.ok("edit_cards", {{"edits", JsonValue::array({{{"card_id", other}, {"gap", gap}}})}});
  // A retired card drills no gap: its detail lists none (as `gaps` does).
  REQUIRE(has(t.ok("card", {{"card_id", other}})["card"]["gaps"].get<std::vector<long long>>(),
              gap));
  t.ok("retire_cards", {{"ids", {other}}, {"reason", "a duplicate"}});
  CHECK(t.ok("card", {{"card_id", other}})["card"]["gaps"].empty());
  CHECK_FALSE(has(cards_of_gap(gap), other));
}

TEST_CASE("mcp tools: edit_cards topic files a card under another topic", "[mcp][review]") {
  Fixture f;
  Tools t(f.db);
  const JsonValue pass = t.ok("cards_to_review", {{"limit", 2}});
  const long long a = pass["cards"][0]["id"], b = pass["cards"][1]["id"];
  // One bad item (an unknown topic, an empty one): nothing moves, the item
  // is named.
  CHECK_THAT(t.fails("edit_cards", {{"edits", JsonValue::array({{{"card_id", a}, {"topic", "C.18"}},
                                                                {{"card_id", b},
                                                                 {"topic", "Z.99"}}})}}),
             Catch::Contains("edits[1]") && Catch::Contains("no topic with label 'Z.99'"));
  CHECK_THAT(t.fails("edit_cards", {{"edits", JsonValue::array({{{"card_id", a}, {"topic", ""}}})}}),
             Catch::Contains("topic"));
  CHECK(t.store.card(a)->topic_label != "C.18");
  const JsonValue moved =
      t.ok("edit_cards", {{"edits", JsonValue::array({{{"card_id", a}, {"topic", "C.18"}}})}});
  CHECK(moved["cards"][0]["topic"]["label"] == "C.18");
  CHECK_THAT(moved["cards"][0]["front"].get<std::string>(), Catch::StartsWith("[C.18 "));
  CHECK(moved["cards"][0]["quality"] == "ok");
  CHECK(t.store.card(a)->topic_label == "C.18");
  // A label three topics share names none of them; with its title, one.
  CHECK_THAT(t.fails("edit_cards", {{"edits", JsonValue::array({{{"card_id", b}, {"topic", "E.34"}}})}}),
             Catch::Contains("label 'E.34' names several topics: give its title too") &&
                 Catch::Contains("E.34 Listing Recommendation System Design"));
  CHECK_THAT(t.fails("add_cards", {{"cards", JsonValue::array({{{"topic", "E.34"},
                                                                {"front", "q"},
                                                                {"back", "a"}}})}}),
             Catch::Contains("names several topics"));
  const JsonValue titled = t.ok(
      "edit_cards",
      {{"edits",
        JsonValue::array({{{"card_id", b}, {"topic", "e.34 listing recommendation system design"}}})}});
  CHECK(titled["cards"][0]["topic"]["title"] == "Listing Recommendation System Design");
}

TEST_CASE("mcp tools: retire_cards with a reason for each card, in one transaction",
          "[mcp][review]") {
  Fixture f;
  Tools t(f.db);
  const JsonValue pass = t.ok("cards_to_review", {{"limit", 3}});
  REQUIRE(pass["cards"].size() == 3);
  const long long a = pass["cards"][0]["id"], b = pass["cards"][1]["id"],
                  c = pass["cards"][2]["id"];
  // One bad item (an empty reason, a card twice, an unknown card): nothing
  // is retired and the item is named.
  CHECK_THAT(t.fails("retire_cards", {{"retire",
                                       {{{"card_id", a}, {"reason", "a duplicate of 7"}},
                                        {{"card_id", b}, {"reason", " "}}}}}),
             Catch::Contains("retire[1] (card " + std::to_string(b) + "): reason"));
  CHECK_THAT(t.fails("retire_cards", {{"retire",
                                       {{{"card_id", a}, {"reason", "one"}},
                                        {{"card_id", a}, {"reason", "two"}}}}}),
             Catch::Contains("retire[1] (card " + std::to_string(a) + "): the same card"));
  CHECK_THAT(t.fails("retire_cards", {{"retire",
                                       {{{"card_id", a}, {"reason", "one"}},
                                        {{"card_id", 999999}, {"reason", "two"}}}}}),
             Catch::Contains("retire[1] (card 999999)"));
  CHECK_THAT(t.fails("retire_cards", {{"retire", {{{"card_id", a}}}}}),
             Catch::Contains("retire[0]"));
  CHECK_FALSE(t.store.card(a)->retired);
  // Both forms at once, or half of the first: a usage error naming what to give.
  CHECK_THAT(t.fails("retire_cards", {{"ids", {a}},
                                      {"reason", "x"},
                                      {"retire", {{{"card_id", b}, {"reason", "y"}}}}}),
             Catch::Contains("either ids with one reason, or retire"));
  CHECK_THAT(t.fails("retire_cards", {{"ids", {a}}}), Catch::Contains("reason: ids and reason"));
  CHECK_THAT(t.fails("retire_cards"), Catch::Contains("either ids with one reason"));

  const JsonValue retired =
      t.ok("retire_cards", {{"retire",
                             {{{"card_id", a}, {"reason", "a statement about the learner"}},
                              {{"card_id", c}, {"reason", "a duplicate of another card"}}}}});
  REQUIRE(retired["cards"].size() == 2);
  CHECK(retired["cards"][0]["reviewed"]["reason"] == "a statement about the learner");
  CHECK(retired["cards"][1]["reviewed"]["reason"] == "a duplicate of another card");
  CHECK(t.store.card(a)->retired);
  CHECK(t.store.card(c)->review_reason == "a duplicate of another card");
  CHECK_FALSE(t.store.card(b)->retired);
}

TEST_CASE("mcp tools: cards_to_review by_topic is the engine's batch of whole topics",
          "[mcp][review]") {
  Fixture f;
  Tools t(f.db);
  const JsonValue batch = t.ok("cards_to_review", {{"limit", 20}, {"by_topic", true}});
  const auto engine = recall::cards_to_review(t.store, 20, true);
  REQUIRE(batch["cards"].size() == engine.items.size());
  for (std::size_t i = 0; i < engine.items.size(); ++i) {
    CHECK(batch["cards"][i]["id"] == engine.items[i].card.id);
    CHECK(batch["cards"][i]["topic_points"].size() == engine.items[i].topic_points.size());
  }
  CHECK(batch["cards"][1]["topic_points"].empty());  // the first topic's second card
  CHECK_THAT(t.fails("cards_to_review", {{"by_topic", "yes"}}), Catch::Contains("by_topic"));
}

TEST_CASE("mcp tools: retiring the presented card does not show its back, and a reason's limit is "
          "the one advertised",
          "[mcp][review]") {
  Fixture f;
  recall::test::drill_drafts(f.db);
  Tools t(f.db);
  const JsonValue next = t.ok("next_card");
  const long long id = next["card"]["id"];
  const auto card = t.store.card(id);
  REQUIRE(card);
  const std::string back = card->back;
  REQUIRE_FALSE(back.empty());
  const JsonValue retired =
      t.ok("retire_cards", {{"retire", {{{"card_id", id}, {"reason", "a duplicate"}}}}});
  REQUIRE(retired["cards"].size() == 1);
  CHECK_FALSE(retired["cards"][0].contains("back"));
  CHECK_FALSE(retired["cards"][0].contains("source"));
  CHECK(retired.dump().find(back) == std::string::npos);
  // The schema says what the engine takes: a reason of at most 500 characters.
  for (const auto& tool : t.tools.list())
    if (tool["name"] == "retire_cards") {
      CHECK(tool["inputSchema"]["properties"]["reason"]["maxLength"] == 500);
      CHECK(tool["inputSchema"]["properties"]["retire"]["items"]["properties"]["reason"]
                ["maxLength"] == 500);
    }
}
