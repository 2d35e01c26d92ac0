// Issue 23's defects of the tracker write-back, each through the real binary
// on a copy of the fixture: the tutor's readiness overwritten, a single
// lapse made a gap, the tracker's own recurring gap reported as not
// recurring, the evidence suffix appended again at every sync, the same gap
// listed twice, and the learner's note never reaching the tracker.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>

#include "loop_support.h"
#include "recall/feedback.h"
#include "recall/tracker.h"
#include "support.h"

using recall::test::answer;
using recall::test::line_with;
using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::sync;
using recall::test::write_bytes;

namespace {

std::string gaps_section(const std::string& text) {
  const auto start = text.find("## Knowledge Gaps");
  return text.substr(start, text.find("## Interview Readiness Checklist") - start);
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The fixture, imported on 2026-03-01.
struct Fixture : recall::test::ImportedTracker {
  Fixture() : ImportedTracker(recall::test::fixture_path(), "2026-03-01") {}
  // The A.3 Adam card failed on 2026-03-02 and 2026-03-03, a sync each day:
  // recall has added its line. The card's id.
  // One answer, then a sync, on `day`.
  void answer_and_sync(const std::string& day, long long id, int grade) const {
    answer(day, id, grade);
    sync(day);
  }
  long long adam_failed_on_two_days() const {
    const long long adam = card("A.3", "Momentum:");
    for (const char* day : {"2026-03-02", "2026-03-03"}) {
      answer(day, adam, 1);
      sync(day);
    }
    REQUIRE_FALSE(line_with(gaps_section(read_bytes(tracker)), "A.3 ").empty());
    return adam;
  }
};

}  // namespace

TEST_CASE("sync never overwrites the tutor's readiness: recall's figure has its own line",
          "[sync][loop]") {
  Fixture f;
  answer(f.db, "2026-03-02", f.card("C.16", "Vanishing gradients"), 4);
  f.answer_and_sync("2026-03-02", f.card("A.3", "Momentum:"), 1);
  const std::string text = read_bytes(f.tracker);
  CHECK(line_with(text, "**Overall Interview Readiness**") ==
        "**Overall Interview Readiness**: 54%");
  const std::string mine = line_with(text, "**Recall Readiness**");
  // The model's figure, and beside it what the learner did.
  CHECK_THAT(
      mine,
      Catch::Matches(
          R"(\*\*Recall Readiness\*\*: \d+% — \d+ of \d+ planned topics started, 2 of \d+ cards studied, )"
          R"(predicted recall \d+%, 50% of 2 answers in 30 days recalled)"));
  // Right after the tutor's line, a blank line between.
  CHECK(text.find("**Overall Interview Readiness**: 54%\n\n**Recall Readiness**: ") !=
        std::string::npos);
  // The next sync replaces it in place.
  f.answer_and_sync("2026-03-03", f.card("C.16", "Exploding gradients"), 4);
  const std::string next = read_bytes(f.tracker);
  CHECK(count(next, "**Recall Readiness**") == 1);
  CHECK_THAT(line_with(next, "**Recall Readiness**"), Catch::Contains("started, 3 of "));
  CHECK(line_with(next, "**Overall Interview Readiness**") ==
        "**Overall Interview Readiness**: 54%");
  // brief shows both, and when the tracker was synced.
  const auto brief = run_recall(f.db, {"--today", "2026-03-04", "brief"});
  CHECK_THAT(brief.out, Catch::Contains("Tracker: last synced 2026-03-03 (yesterday); no review "
                                        "evidence waiting. Readiness: tutor 54%, recall "));
}

TEST_CASE("brief says how much review evidence waits for a sync", "[brief][loop]") {
  Fixture f;
  CHECK_THAT(run_recall(f.db, {"--today", "2026-03-02", "brief"}).out,
             Catch::Contains("Tracker: not synced yet; no review evidence waiting. Readiness: "
                             "tutor 54%."));
  answer(f.db, "2026-03-02", f.card("C.16", "Vanishing gradients"), 4);
  answer(f.db, "2026-03-02", f.card("C.16", "Exploding gradients"), 2);
  const auto json = run_recall(f.db, {"--today", "2026-03-02", "brief", "--json"});
  CHECK_THAT(json.out, Catch::Contains("\"last_synced\":null,\"answers_waiting\":2,"
                                       "\"tutor_readiness\":54,\"recall_readiness\":null"));
  sync(f.db, "2026-03-02");
  answer(f.db, "2026-03-05", f.card("C.16", "Vanishing gradients"), 5);
  CHECK_THAT(run_recall(f.db, {"--today", "2026-03-05", "brief"}).out,
             Catch::Contains("Tracker: last synced 2026-03-02 (3 days ago); 1 answer waits for "
                             "`recall sync`."));
}

TEST_CASE("a single lapse is not a gap line", "[sync][loop]") {
  Fixture f;
  const std::string before = gaps_section(f.original);
  // Three cards of three topics, each failed once (with a note), on two days.
  answer(f.db, "2026-03-02", f.card("C.16", "Vanishing gradients"), 1, "blanked");
  f.answer_and_sync("2026-03-02", f.card("F.43", "Focal loss"), 2);
  f.answer_and_sync("2026-03-03", f.card("D.31", "Temperature"), 0);
  CHECK(gaps_section(read_bytes(f.tracker)) == before);
  CHECK_THAT(run_recall(f.db, {"--today", "2026-03-03", "gaps", "--json"}).out,
             !Catch::Contains("\"change\":\"added\""));
}

TEST_CASE("the gap the tracker calls recurring is recurring before and after any review",
          "[sync][loop]") {
  Fixture f;
  const std::string roc = "ROC axes confusion (recurring";
  auto roc_gap = [&](const std::string& day) {
    const std::string out = run_recall(f.db, {"--today", day, "gaps", "--json"}).out;
    const auto at = out.find("\"text\":\"" + roc);
    REQUIRE(at != std::string::npos);
    return out.substr(at, out.find('}', at) - at);
  };
  CHECK_THAT(roc_gap("2026-03-01"), Catch::Contains("\"recurring\":true"));
  const auto brief = run_recall(f.db, {"--today", "2026-03-01", "brief", "--json"}).out;
  CHECK_THAT(brief.substr(brief.find("\"text\":\"" + roc)),
             Catch::StartsWith(
                 "\"text\":\"ROC axes confusion (recurring — swapped axes again in Session 5, need "
                 "drilling)\",\"tier\":\"medium\",\"recurring\":true"));
  // Failed again once: still recurring.
  const long long card = f.card("A.8", "ROC axes");
  answer(f.db, "2026-03-02", card, 1);
  answer(f.db, "2026-03-02", card, 4);  // the re-drill
  CHECK_THAT(roc_gap("2026-03-02"), Catch::Contains("\"recurring\":true"));
}

TEST_CASE(
    "the evidence suffix is replaced at each sync, never appended, and no gap is listed twice",
    "[sync][loop]") {
  Fixture f;
  const long long roc = f.card("A.8", "ROC axes");
  const long long adam = f.card("A.3", "Momentum:");
  const char* days[] = {"2026-03-02", "2026-03-03", "2026-03-05", "2026-03-08", "2026-03-12"};
  for (const char* day : days) {
    answer(f.db, day, roc, 1, "swapped the axes");
    answer(f.db, day, adam, 2, "forgot the bias correction");
    sync(f.db, day);
    const std::string text = read_bytes(f.tracker);
    const std::string gaps = gaps_section(text);
    INFO(gaps);
    // One suffix on the tutor's ROC line, in the tutor's tier.
    const std::string line = line_with(gaps, "ROC axes confusion");
    CHECK(count(line, "missed") == 1);
    CHECK(count(gaps, "ROC axes confusion") == 1);
    CHECK(line.rfind("- ROC axes confusion (recurring — swapped axes again in Session 5, need "
                     "drilling) — missed ",
                     0) == 0);
    // Every gap once, every suffix once.
    const recall::Tracker tracker = recall::read_tracker(recall::prepare_text(text), f.tracker);
    std::map<std::string, int> seen;
    for (const auto& gap : tracker.gaps) {
      CHECK(++seen[gap.text] == 1);
      CHECK(recall::split_gap_evidence(gap.text).evidence.empty());
    }
  }
  // The Adam card failed on five days: one line for its topic, named by the
  // topic and the point in the tracker's words (a term alone can be a
  // fragment: "Each layer"), with the learner's note on what went wrong.
  const std::string gaps = gaps_section(read_bytes(f.tracker));
  CHECK(count(gaps, "A.3 ") == 1);
  const std::string adam_line = line_with(gaps, "A.3 ");
  CHECK_THAT(adam_line,
             Catch::Contains("missed 5× since 2026-03-02, \"forgot the bias correction\""));
  CHECK_THAT(adam_line,
             Catch::Contains(": Momentum: accumulates gradient direction, cancels oscillation — "
                             "missed"));
  CHECK_THAT(line_with(gaps, "ROC axes confusion"),
             Catch::EndsWith(" — missed 5× since 2026-03-02, \"swapped the axes\""));
}

TEST_CASE("a gap the tutor rewords or moves is recognised, not added again", "[sync][loop]") {
  Fixture f;
  const long long adam = f.card("A.3", "Momentum:");
  answer(f.db, "2026-03-02", adam, 1, "forgot the bias correction");
  sync(f.db, "2026-03-02");
  f.answer_and_sync("2026-03-03", adam, 1);
  std::string text = read_bytes(f.tracker);
  const std::string added = line_with(gaps_section(text), "A.3 ");
  REQUIRE_FALSE(added.empty());
  // The tutor rewords recall's line and moves it to High.
  std::string edited = text;
  edited.erase(edited.find(added), added.size() + 1);
  edited = recall::test::replace_once(
      edited, "### 🔴 High Priority (Must fix before interview)\n- None identified yet",
      "### 🔴 High Priority (Must fix before interview)\n- A.3 Optimizers - "
      "SGD/Momentum/RMSProp/Adam/AdamW: still forgets Adam's bias correction");
  write_bytes(f.tracker, edited);
  f.answer_and_sync("2026-03-04", adam, 1);
  text = read_bytes(f.tracker);
  const std::string gaps = gaps_section(text);
  INFO(gaps);
  CHECK(count(gaps, "A.3 ") == 1);
  CHECK_THAT(line_with(gaps, "A.3 "),
             Catch::StartsWith("- A.3 Optimizers - SGD/Momentum/RMSProp/Adam/AdamW: still forgets "
                               "Adam's bias correction — missed 3× since 2026-03-02"));
}

TEST_CASE("brief and gaps agree on recall's own line once its evidence clears", "[brief][loop]") {
  Fixture f;
  const long long adam = f.adam_failed_on_two_days();
  // Recalled 3x over 8 days, not synced yet: the next sync resolves the line.
  for (const char* day : {"2026-03-04", "2026-03-08", "2026-03-12"}) answer(f.db, day, adam, 4);
  const std::string gaps = run_recall(f.db, {"--today", "2026-03-12", "gaps", "--json"}).out;
  const auto at = gaps.find("\"text\":\"A.3 ");
  REQUIRE(at != std::string::npos);
  CHECK_THAT(gaps.substr(at, gaps.find('}', at) - at), Catch::Contains("\"change\":\"resolved\""));
  // brief lists the gaps drilling has not fixed: not this one (brief took
  // every line for the tutor's and kept listing it).
  const std::string brief = run_recall(f.db, {"--today", "2026-03-12", "brief", "--json"}).out;
  CHECK_THAT(brief, Catch::Contains("\"gaps_total\":7,"));
  CHECK_THAT(brief, !Catch::Contains("\"text\":\"A.3 "));
}

TEST_CASE("recall's line that the tutor moved down stays down, and re-drills add no misses",
          "[sync][loop]") {
  Fixture f;
  const long long adam = f.card("A.3", "Momentum:");
  // Each day a failure, then two failed re-drills and a passed one: one miss a day.
  const auto fail_day = [&](const std::string& day) {
    for (int grade : {1, 1, 1, 4}) answer(f.db, day, adam, grade);
    sync(f.db, day);
  };
  fail_day("2026-03-02");
  fail_day("2026-03-03");
  fail_day("2026-03-04");
  std::string text = read_bytes(f.tracker);
  const std::string high = "### 🔴 High Priority (Must fix before interview)\n";
  const std::string mine = line_with(gaps_section(text), "A.3 ");
  REQUIRE_FALSE(mine.empty());
  INFO(gaps_section(text));
  CHECK_THAT(mine, Catch::Contains("missed 3× since 2026-03-02"));
  REQUIRE(text.find(mine) < text.find("### 🟡 Medium Priority"));  // raised to High
  // The tutor moves it down to Medium, word for word.
  std::string edited = text;
  edited.erase(edited.find(mine), mine.size() + 1);
  edited = recall::test::replace_once(edited, "### 🟡 Medium Priority (Should review)\n",
                                      "### 🟡 Medium Priority (Should review)\n" + mine + "\n");
  write_bytes(f.tracker, edited);
  fail_day("2026-03-05");
  fail_day("2026-03-06");
  text = read_bytes(f.tracker);
  const std::string gaps = gaps_section(text);
  INFO(gaps);
  CHECK(count(gaps, "A.3 ") == 1);
  const std::string now = line_with(gaps, "A.3 ");
  CHECK_THAT(now, Catch::Contains("missed 5× since 2026-03-02"));
  CHECK(text.find(now) > text.find("### 🟡 Medium Priority"));  // where the tutor put it
}

TEST_CASE("a line of recall's that the tutor deleted is not added again the next day",
          "[sync][loop]") {
  Fixture f;
  const long long adam = f.adam_failed_on_two_days();
  std::string text = read_bytes(f.tracker);
  const std::string mine = line_with(gaps_section(text), "A.3 ");
  // The tutor deletes it; the learner passes the card the next day.
  text.erase(text.find(mine), mine.size() + 1);
  write_bytes(f.tracker, text);
  f.answer_and_sync("2026-03-04", adam, 4);
  CHECK(line_with(gaps_section(read_bytes(f.tracker)), "A.3 ").empty());
  // One failure after the deletion is a single lapse; a second day is new
  // evidence, and recall says so again, counting from after the deletion.
  f.answer_and_sync("2026-03-05", adam, 1);
  CHECK(line_with(gaps_section(read_bytes(f.tracker)), "A.3 ").empty());
  f.answer_and_sync("2026-03-06", adam, 1);
  const std::string back = line_with(gaps_section(read_bytes(f.tracker)), "A.3 ");
  INFO(back);
  CHECK_THAT(back, Catch::Contains("missed 2× since 2026-03-05"));
}

TEST_CASE("a gap the tutor resolved is reopened only by failures after its date",
          "[sync][loop]") {
  Fixture f;
  const long long adam = f.card("A.3", "Momentum:");
  // Failed on two days without a sync between; in the session the learner
  // explained it, and the tutor resolves it in their own words.
  answer(f.db, "2026-03-02", adam, 1);
  answer(f.db, "2026-03-03", adam, 1);
  const std::string header = "|-----|-----------------|-------|\n";
  std::string text = read_bytes(f.tracker);
  REQUIRE(count(text, header) == 1);
  text = recall::test::replace_once(
      text, header, header + "| Momentum — no longer mixed up with Adam | 2026-03-03 | Explained both |\n");
  write_bytes(f.tracker, text);
  // One more failure: with the two before the resolution it would make a
  // line; after it, it is one day.
  f.answer_and_sync("2026-03-04", adam, 1);
  CHECK(line_with(gaps_section(read_bytes(f.tracker)), "A.3 ").empty());
  // A second day after the resolution: the gap is back, counted from then.
  f.answer_and_sync("2026-03-05", adam, 1);
  const std::string gaps = gaps_section(read_bytes(f.tracker));
  INFO(gaps);
  const std::string line = line_with(gaps, "A.3 ");
  CHECK_THAT(line, Catch::Contains("missed 2× since 2026-03-04"));
  CHECK(count(read_bytes(f.tracker), "| Momentum — no longer mixed up with Adam | 2026-03-03 |") == 1);  // the tutor's row
}

TEST_CASE("a line of recall's makes no card of its own at the next import", "[sync][loop]") {
  Fixture f;
  const auto gap_cards = [&] {
    SQLite::Database db(f.db);
    return db.execAndGet("SELECT COUNT(*) FROM cards WHERE kind = 'gap' AND retired = 0").getInt();
  };
  const int tutors = gap_cards();
  REQUIRE(tutors > 0);
  f.adam_failed_on_two_days();
  REQUIRE(run_recall(f.db, {"--today", "2026-03-04", "import", f.tracker}).exit_code == 0);
  SQLite::Database db(f.db);
  // The line names the failed card; a "Knowledge gap" card of its words
  // would drill the same point again, in recall's own prose.
  CHECK(db.execAndGet("SELECT COUNT(*) FROM cards WHERE kind = 'gap' AND retired = 0 AND "
                      "source LIKE 'A.3 %'")
            .getInt() == 0);
  // The tutor's gaps keep theirs.
  CHECK(gap_cards() == tutors);
}

TEST_CASE("recall's new line counts the next day what it counted the day it was added",
          "[sync][loop]") {
  Fixture f;
  const long long momentum = f.card("A.3", "Momentum:");
  const long long sgd = f.card("A.3", "SGD:");
  // Momentum failed on two days makes the line; SGD, of the same topic,
  // failed once: the line names the topic, so SGD's failure is its evidence too.
  f.answer("2026-03-02", momentum, 1);
  f.answer("2026-03-03", momentum, 1);
  f.answer_and_sync("2026-03-03", sgd, 1);
  const std::string added = line_with(gaps_section(read_bytes(f.tracker)), "A.3 ");
  INFO(added);
  CHECK_THAT(added, Catch::Contains("missed 3× since 2026-03-02"));
  // The next day, a pass elsewhere: the line's evidence is what it was.
  f.answer_and_sync("2026-03-04", f.card("A.8", "ROC axes"), 4);
  CHECK(line_with(gaps_section(read_bytes(f.tracker)), "A.3 ") == added);
  // `recall gaps --json` counts what the line says.
  const auto gaps = run_recall(f.db, {"--today", "2026-03-04", "gaps", "--json"});
  REQUIRE(gaps.exit_code == 0);
  const auto json = nlohmann::json::parse(gaps.out);
  bool found = false;
  for (const auto& gap : json["gaps"])
    if (gap["text"].get<std::string>().rfind("A.3 ", 0) == 0) {
      found = true;
      CHECK(gap["misses"] == 3);
      CHECK(gap["miss_days"].size() == 2);
    }
  CHECK(found);
}

TEST_CASE("a row recall removes from Recently Resolved is no deletion by the tutor",
          "[sync][loop]") {
  Fixture f;
  const long long adam = f.adam_failed_on_two_days();
  // Recalled 3 times over 8 days: recall resolves its own line.
  for (const char* day : {"2026-03-05", "2026-03-09", "2026-03-13"}) {
    f.answer(day, adam, 4);
    f.sync(day);
  }
  std::string text = read_bytes(f.tracker);
  REQUIRE(line_with(gaps_section(text), "- A.3 ").empty());
  REQUIRE_THAT(line_with(text, "| A.3 Optimizers - SGD/Momentum/RMSProp/Adam/AdamW: Momentum"), Catch::Contains("Recalled 3×"));
  // Another point of the topic failed on two days: a line names it, and
  // recall's row goes (the topic is not listed twice).
  const long long sgd = f.card("A.3", "SGD:");
  f.answer_and_sync("2026-03-14", sgd, 1);
  f.answer_and_sync("2026-03-15", sgd, 1);
  text = read_bytes(f.tracker);
  const std::string back = line_with(gaps_section(text), "- A.3 ");
  INFO(back);
  REQUIRE_THAT(back, Catch::Contains(" — missed "));
  CHECK(line_with(text, "| A.3 Optimizers - SGD/Momentum/RMSProp/Adam/AdamW: Momentum").empty());
  // The next day, an answer elsewhere: the line keeps its evidence.
  f.answer_and_sync("2026-03-16", f.card("A.8", "ROC axes"), 4);
  CHECK(line_with(gaps_section(read_bytes(f.tracker)), "- A.3 ") == back);
  // The row recall removed is not recorded as deleted by the tutor.
  SQLite::Database db(f.db);
  CHECK(db.execAndGet("SELECT value FROM settings WHERE key = 'sync-tutor-dismissed'")
            .getString()
            .empty());
}

TEST_CASE("gaps says what the next sync does about a line the tutor just deleted",
          "[sync][loop]") {
  Fixture f;
  const long long adam = f.adam_failed_on_two_days();
  std::string text = read_bytes(f.tracker);
  const std::string mine = line_with(gaps_section(text), "A.3 ");
  text.erase(text.find(mine), mine.size() + 1);
  write_bytes(f.tracker, text);
  REQUIRE(run_recall(f.db, {"--today", "2026-03-04", "import", f.tracker}).exit_code == 0);
  f.answer("2026-03-05", adam, 1);
  // Before any sync has seen the deletion, gaps already honours it: one
  // failure after it is a single lapse, as the sync then finds.
  const auto gaps = run_recall(f.db, {"--today", "2026-03-05", "gaps"});
  REQUIRE(gaps.exit_code == 0);
  INFO(gaps.out);
  CHECK(gaps.out.find("A.3 Optimizers") == std::string::npos);
  f.sync("2026-03-05");
  CHECK(line_with(gaps_section(read_bytes(f.tracker)), "A.3 ").empty());
}
