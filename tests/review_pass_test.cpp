// The review pass (review.h): drafts wait, batches of approve / edit /
// retire / add in one transaction each, and what a review decided holds
// through imports, `deck generate` and sync. Through the engine API and the
// real binary, on temp databases with a fixed --today.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include <unistd.h>

#include "recall/answering.h"
#include "recall/check.h"
#include "recall/drill.h"
#include "recall/error.h"
#include "recall/importer.h"
#include "recall/review.h"
#include "recall/store.h"
#include "recall/study.h"
#include "support.h"

using recall::Card;
using recall::Reviewer;
using recall::Store;
using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::write_bytes;
using Json = nlohmann::json;

namespace {

constexpr const char* kToday = "2026-11-20";

struct Imported {
  TempDir dir;
  std::string db = dir.file("r.db");
  std::string tracker = dir.file("tracker.md");
  Imported() {
    write_bytes(tracker, read_bytes(recall::test::fixture_path()));
    reimport();
  }
  recall::Day today() const { return *recall::parse_day(kToday); }
  Json cli_json(const std::vector<std::string>& args) const {
    std::vector<std::string> all = {"--today", kToday};
    all.insert(all.end(), args.begin(), args.end());
    const auto run = run_recall(db, all);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    return Json::parse(run.out);
  }
  void reimport() const {
    const auto run = run_recall(db, {"--today", kToday, "import", tracker});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
  }
};

// Never-studied cards flagged "review", by id.
std::vector<long long> flagged_new(Store& store) {
  std::vector<long long> ids;
  for (const Card& card : store.cards(std::nullopt, false, true))
    if (!card.state.due_day) ids.push_back(card.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Every card the drill would introduce today, new-card limit raised.
std::vector<long long> introducible(Store& store, recall::Day day) {
  store.set_setting("new-per-day", "100000");
  const auto inputs = recall::gather_queue(store, day, {});
  std::vector<long long> ids;
  for (const auto& entry : inputs.fresh) ids.push_back(entry.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool contains(const std::vector<long long>& ids, long long id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

TEST_CASE("review pass: flagged drafts wait until reviewed, setting drafts = drill lets them in",
          "[review]") {
  Imported f;
  Store store(f.db);
  const auto flagged = flagged_new(store);
  REQUIRE(flagged.size() >= 3);
  const auto counts = store.review_counts();
  CHECK(counts.drafts == static_cast<int>(flagged.size()));
  CHECK(counts.drafts_wait);
  CHECK(counts.unreviewed == static_cast<int>(store.cards(std::nullopt, false).size()));

  auto fresh = introducible(store, f.today());
  for (long long id : flagged) CHECK_FALSE(contains(fresh, id));
  const int waiting_new = store.count_new(f.today(), {});

  // Approving one, rewriting another, retiring a third: each may go on.
  recall::approve_cards(store, {flagged[0]}, Reviewer::kTutor, f.today());
  recall::edit_cards(store, {{flagged[1], std::nullopt, "A model answer."}}, Reviewer::kTutor,
                     f.today());
  recall::retire_cards(store, {flagged[2]}, "a statement about the learner", Reviewer::kTutor,
                       f.today());
  fresh = introducible(store, f.today());
  CHECK(contains(fresh, flagged[0]));
  CHECK(contains(fresh, flagged[1]));
  CHECK_FALSE(contains(fresh, flagged[2]));  // retired: out of the drill
  for (std::size_t i = 3; i < flagged.size(); ++i) CHECK_FALSE(contains(fresh, flagged[i]));
  CHECK(store.count_new(f.today(), {}) == waiting_new + 2);
  CHECK(store.review_counts().drafts == static_cast<int>(flagged.size()) - 3);

  // A learner without a tutor drills them anyway, and `due` says so.
  store.set_setting("drafts", "drill");
  fresh = introducible(store, f.today());
  for (std::size_t i = 3; i < flagged.size(); ++i) CHECK(contains(fresh, flagged[i]));
  CHECK_FALSE(store.review_counts().drafts_wait);
  const auto due = run_recall(f.db, {"--today", kToday, "due"});
  CHECK_THAT(due.out, Catch::Contains("flagged new cards the drill introduces without a review (config drafts = "
                                      "drill): " +
                                      std::to_string(flagged.size() - 3)));
  CHECK(Json::parse(run_recall(f.db, {"--today", kToday, "due", "--json"}).out)["drafts"] ==
        "drill");
  CHECK(run_recall(f.db, {"config", "set", "drafts", "sometimes"}).exit_code == 2);
  CHECK_THAT(run_recall(f.db, {"--today", kToday, "cards", "--review"}).out,
             !Catch::Contains("[waits]"));
}

TEST_CASE("review pass: due, brief and the drill header say how many wait and are unreviewed",
          "[review][cli]") {
  Imported f;
  Store store(f.db);
  const auto counts = store.review_counts();
  REQUIRE(counts.drafts > 0);
  const Json due = f.cli_json({"due", "--json"});
  CHECK(due["drafts_waiting"] == counts.drafts);
  CHECK(due["unreviewed"] == counts.unreviewed);
  CHECK(due["drafts"] == "wait");
  const std::string line = "drafts waiting for a review before the drill introduces them: " +
                           std::to_string(counts.drafts) +
                           "; cards not yet reviewed: " + std::to_string(counts.unreviewed);
  CHECK_THAT(run_recall(f.db, {"--today", kToday, "due"}).out, Catch::Contains(line));
  const Json brief = f.cli_json({"brief", "--json"});
  CHECK(brief["drafts_waiting"] == counts.drafts);
  CHECK(brief["unreviewed"] == counts.unreviewed);
  const auto brief_text = run_recall(f.db, {"--today", kToday, "brief"}).out;
  CHECK_THAT(brief_text, Catch::Contains(line));
  CHECK(std::count(brief_text.begin(), brief_text.end(), '\n') <= 15);
  CHECK_THAT(run_recall(f.db, {"--today", kToday, "review"}, "q\n").out,
             Catch::StartsWith("Card review: " + line));
}

TEST_CASE("review pass: while drafts wait, due, brief and the drill say what to do",
          "[review][cli]") {
  Imported f;
  int drafts = 0, ok_new = 0;
  {
    // No card rule is trusted, so every card comes flagged: the tutor has
    // approved two, which the drill introduces; the others wait.
    Store store(f.db);
    const auto flagged = flagged_new(store);
    REQUIRE(flagged.size() > 2);
    recall::approve_cards(store, {flagged[0], flagged[1]}, Reviewer::kTutor, f.today());
    drafts = store.review_counts().drafts;
    ok_new = store.count_new(f.today(), {});
  }
  REQUIRE(drafts > 0);
  REQUIRE(ok_new > 0);
  const std::string advice =
      "To drill the drafts, review them with your tutor (the recall-cards skill) or yourself "
      "(`recall cards --unreviewed`, then `recall approve`, `recall edit` or `recall retire`), "
      "or drill them unreviewed: `recall config set drafts drill`.\n";
  CHECK_THAT(run_recall(f.db, {"--today", kToday, "due"}).out, Catch::EndsWith(advice));
  // The tutor is asked to start with the review pass.
  CHECK_THAT(run_recall(f.db, {"--today", kToday, "brief"}).out,
             Catch::Contains("Start the session with the review pass (skill recall-cards: "
                             "cards_to_review, then approve_cards, edit_cards, retire_cards"));
  // Every card the drill may introduce answered: the drill says why nothing
  // new comes, not just that the day is finished.
  REQUIRE(run_recall(f.db, {"config", "set", "new-per-day", "1000"}).exit_code == 0);
  std::string grades;
  for (int i = 0; i < ok_new + 5; ++i) grades += "5\n";
  const auto drilled = run_recall(f.db, {"--today", kToday, "review"}, grades);
  REQUIRE(drilled.exit_code == 0);
  CHECK_THAT(drilled.out, Catch::Contains("answered: " + std::to_string(ok_new)));
  const std::string waiting = std::to_string(drafts) +
                              " new cards flagged for review wait for it before the drill "
                              "introduces them. " +
                              advice;
  CHECK_THAT(drilled.out, Catch::Contains("nothing left today\n" + waiting));
  CHECK_THAT(run_recall(f.db, {"--today", kToday, "next"}).out,
             Catch::EndsWith("today's queue is finished\n" + waiting));
  CHECK(run_recall(f.db, {"--today", kToday, "next", "--json"}).out == "null\n");
  // The plan to the interview counts only what the drill may introduce, and says so.
  REQUIRE(run_recall(f.db, {"config", "set", "interview-date", "2026-12-15"}).exit_code == 0);
  CHECK_THAT(run_recall(f.db, {"--today", kToday, "plan"}).out,
             Catch::EndsWith("Not in the plan: " + waiting));
  // The next day's plan on empty input: no new card, and why.
  CHECK_THAT(run_recall(f.db, {"--today", "2026-11-21", "review"}, "").out,
             Catch::Contains(" 0 new, 0 to re-drill\n" + waiting));
  // With drafts = drill the flagged cards come, and nothing is said to wait.
  REQUIRE(run_recall(f.db, {"config", "set", "drafts", "drill"}).exit_code == 0);
  const auto plan = run_recall(f.db, {"--today", "2026-11-21", "review"}, "").out;
  CHECK_THAT(plan, Catch::Contains(" " + std::to_string(drafts) + " new, "));
  CHECK_THAT(plan, !Catch::Contains("wait for it"));
  CHECK_THAT(run_recall(f.db, {"--today", kToday, "due"}).out,
             Catch::Contains("flagged new cards the drill introduces without a review (config drafts = drill): " +
                             std::to_string(drafts)));
}

TEST_CASE("review pass: a batch with one bad item changes nothing and names the item", "[review]") {
  Imported f;
  Store store(f.db);
  const auto flagged = flagged_new(store);
  REQUIRE(flagged.size() >= 2);
  const Card before = *store.card(flagged[0]);
  const auto fails = [&](auto&& call, const std::string& naming) {
    try {
      call();
      FAIL("the batch was applied");
    } catch (const recall::Error& e) {
      CHECK_THAT(e.what(), Catch::StartsWith(naming));
    }
    const Card after = *store.card(flagged[0]);
    CHECK(after.front == before.front);
    CHECK(after.quality == before.quality);
    CHECK(after.reviewed_by.empty());
    CHECK_FALSE(after.retired);
  };
  fails(
      [&] {
        recall::approve_cards(store, {flagged[0], 999999}, Reviewer::kTutor, f.today());
      },
      "ids[1] (card 999999): no card with id 999999");
  fails(
      [&] {
        recall::edit_cards(store, {{flagged[0], "New front?", "New back."}, {flagged[1], " ", {}}},
                           Reviewer::kTutor, f.today());
      },
      "edits[1] (card " + std::to_string(flagged[1]) + "): front: not a card text (it is empty)");
  fails(
      [&] {
        recall::approve_cards(store, {flagged[0], flagged[0]}, Reviewer::kTutor, f.today());
      },
      "ids[1] (card " + std::to_string(flagged[0]) + "): the same card as ids[0]");
  fails(
      [&] {
        recall::retire_cards(store, {flagged[0], 999999}, "duplicate", Reviewer::kTutor, f.today());
      },
      "ids[1] (card 999999)");
  fails([&] { recall::retire_cards(store, {flagged[0]}, "  ", Reviewer::kTutor, f.today()); },
        "reason:");
  const auto cards_before = store.cards(std::nullopt, true).size();
  fails(
      [&] {
        recall::add_cards(store,
                          {{"A.8", "Q?", "A.", std::nullopt, std::nullopt},
                           {"Z.99", "Q2?", "A2.", std::nullopt, std::nullopt}},
                          Reviewer::kTutor, f.today());
      },
      "cards[1]: no topic with label 'Z.99'");
  CHECK(store.cards(std::nullopt, true).size() == cards_before);
  fails([&] { recall::approve_cards(store, {}, Reviewer::kTutor, f.today()); }, "ids: the batch");
}

TEST_CASE(
    "review pass: approved, edited, retired and added cards keep their state through "
    "re-import, deck generate and sync",
    "[review][import]") {
  Imported f;
  long long approved = 0, edited = 0, retired = 0, added = 0;
  std::string approved_front;
  {
    Store store(f.db);
    const auto flagged = flagged_new(store);
    REQUIRE(flagged.size() >= 3);
    approved = flagged[0];
    edited = flagged[1];
    retired = flagged[2];
    approved_front = store.card(approved)->front;
    recall::approve_cards(store, {approved}, Reviewer::kTutor, f.today());
    recall::edit_cards(store, {{edited, "Which curve suits rare positives?", "The PR curve."}},
                       Reviewer::kTutor, f.today());
    recall::retire_cards(store, {retired}, "not knowledge", Reviewer::kTutor, f.today());
    const auto cards = recall::add_cards(
        store,
        {{"a.8", "ROC vs PR curve: what is on each axis?",
          "ROC: TPR against FPR. PR: precision against recall.", "ROC axes confusion",
          std::nullopt}},
        Reviewer::kTutor, f.today());
    added = cards.at(0).id;
    CHECK(cards[0].topic_label == "A.8");  // the label as stored
    CHECK_THAT(cards[0].front, Catch::StartsWith("[A.8 "));
    CHECK(cards[0].source == "ROC axes confusion");
    CHECK(cards[0].reviewed_as == "added");
  }
  const auto check_state = [&](const std::string& when) {
    INFO(when);
    Store store(f.db);
    const Card a = *store.card(approved), e = *store.card(edited), r = *store.card(retired),
               n = *store.card(added);
    CHECK(a.quality == "ok");
    CHECK(a.reviewed_by == "tutor");
    CHECK(a.reviewed_as == "approved");
    CHECK(a.front == approved_front);
    CHECK(e.quality == "ok");
    CHECK(e.reviewed_as == "edited");
    CHECK_THAT(e.front, Catch::EndsWith("\nWhich curve suits rare positives?"));
    CHECK(r.retired);
    CHECK(r.reviewed_as == "retired");
    CHECK(r.review_reason == "not knowledge");
    CHECK_FALSE(n.retired);
    CHECK(n.reviewed_as == "added");
    CHECK(n.reviewed_by == "tutor");
  };
  check_state("after the review");
  f.reimport();
  check_state("after a re-import");
  // A re-import with other rules' wording: the no-op record cannot answer.
  {
    Store store(f.db);
    store.unset_setting(recall::kImportRecordSetting);
  }
  f.reimport();
  check_state("after a full re-import");
  const auto imported = f.cli_json({"import", f.tracker, "--json"});
  CHECK(imported["restored"] == 0);

  // deck generate: the approved and edited text, no retired card.
  const std::string deck = f.dir.file("deck.md");
  REQUIRE(
      run_recall(f.db, {"--today", kToday, "deck", "generate", f.tracker, "-o", deck}).exit_code ==
      0);
  const std::string text = read_bytes(deck);
  CHECK_THAT(text, Catch::Contains("Which curve suits rare positives?"));
  {
    Store store(f.db);
    const Card r = *store.card(retired);
    CHECK(text.find("id: " + r.identity) == std::string::npos);
    CHECK(text.find(r.identity) == std::string::npos);
  }
  const auto stdout_deck = run_recall(f.db, {"--today", kToday, "deck", "generate", f.tracker});
  CHECK_THAT(stdout_deck.out, Catch::Contains("Which curve suits rare positives?"));
  // The deck imported back changes none of it.
  REQUIRE(run_recall(f.db, {"--today", kToday, "import", deck}).exit_code == 0);
  check_state("after importing the generated deck");

  // sync imports the tracker and writes evidence back.
  const auto sync = run_recall(f.db, {"--today", kToday, "sync", f.tracker});
  INFO(sync.err);
  REQUIRE(sync.exit_code == 0);
  check_state("after sync");
  CHECK(f.cli_json({"check", "--json"})["ok"] == true);

  // Approving the retired card brings it back; no import retires it again.
  {
    Store store(f.db);
    recall::approve_cards(store, {retired}, Reviewer::kLearner, f.today());
    CHECK_FALSE(store.card(retired)->retired);
  }
  f.reimport();
  CHECK_FALSE(Store(f.db).card(retired)->retired);
}

TEST_CASE("review pass: an approval covers its key point, a changed point is reviewed again",
          "[review][import]") {
  Imported f;
  long long id = 0;
  std::string source;
  {
    Store store(f.db);
    // A definition card (every one is flagged on the fixture: the approval
    // is what lets it be drilled).
    for (const Card& card : store.cards(std::nullopt, false))
      if (card.kind == recall::CardKind::kDefinition &&
          card.source.find("PR AUC") == std::string::npos && !card.source.empty() &&
          read_bytes(f.tracker).find(card.source) != std::string::npos) {
        id = card.id;
        source = card.source;
        break;
      }
    REQUIRE(id != 0);
    recall::approve_cards(store, {id}, Reviewer::kTutor, f.today());
  }
  // The tutor fixes the key point in the tracker: the card follows it.
  write_bytes(f.tracker,
              recall::test::replace_once(read_bytes(f.tracker), source, source + " in practice"));
  f.reimport();
  Store store(f.db);
  const Card card = *store.card(id);
  CHECK_THAT(card.source, Catch::EndsWith("in practice"));
  CHECK(card.reviewed_by.empty());
  CHECK(card.reviewed_as.empty());
  // Its flag is the rules' again: a flagged card waits for the next review.
  CHECK(card.quality == "review");
  CHECK(store.review_counts().drafts > 0);
}

TEST_CASE("review pass: cards_to_review lists flagged cards first, with their context",
          "[review]") {
  Imported f;
  {
    // Two more cards left ok, as a trusted rule leaves its own (the last
    // two, whatever their rule).
    SQLite::Database raw(f.db, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE cards SET quality = 'ok', quality_reason = '' WHERE id IN "
             "(SELECT id FROM cards ORDER BY id DESC LIMIT 2)");
  }
  Store store(f.db);
  const auto flagged = flagged_new(store);
  const auto pass = recall::cards_to_review(store, 500);
  // Every card of a fresh import waits for its one review, flagged or not.
  REQUIRE(pass.items.size() == static_cast<std::size_t>(store.review_counts().unreviewed));
  REQUIRE(pass.items.size() >= flagged.size() + 2);
  const auto flagged_total = static_cast<std::size_t>(pass.counts.flagged);
  REQUIRE(flagged_total == flagged.size());  // none studied yet
  for (std::size_t i = 0; i < pass.items.size(); ++i) {
    INFO(i);
    CHECK((pass.items[i].card.quality == "review") == (i < flagged_total));
  }
  // Topic cards list their topic's other key points; gap-linked cards their gaps.
  CHECK(std::any_of(pass.items.begin(), pass.items.end(),
                    [](const auto& item) { return item.topic_points.size() >= 2; }));
  CHECK(std::any_of(pass.items.begin(), pass.items.end(),
                    [](const auto& item) { return !item.gaps.empty(); }));
  for (const auto& item : pass.items)
    for (const auto& point : item.topic_points) CHECK(point != item.card.source);
  // A gap's own card names its gap too, as the drill's gap tiers count it,
  // linked or not (a "⚠️ Review needed" remark's card has no gap to name).
  std::size_t own = 0;
  for (const auto& item : pass.items) {
    CHECK(store.gaps_of_card(item.card.id).size() == item.gaps.size());
    if (item.card.kind == recall::CardKind::kGap &&
        std::find(item.gaps.begin(), item.gaps.end(), item.card.source) != item.gaps.end())
      ++own;
  }
  CHECK(own >= 3);
  // Reviewed cards leave the list; the limit holds.
  recall::approve_cards(store, {pass.items[0].card.id}, Reviewer::kTutor, f.today());
  const auto next = recall::cards_to_review(store, 3);
  CHECK(next.items.size() == 3);
  CHECK(next.items[0].card.id == pass.items[1].card.id);
  CHECK(next.counts.unreviewed == pass.counts.unreviewed - 1);
  CHECK_THROWS_AS(recall::cards_to_review(store, 0), recall::Error);
}

TEST_CASE(
    "review pass in a terminal: approve, retire, cards --review and --unreviewed, e in the "
    "drill",
    "[review][cli]") {
  Imported f;
  std::vector<long long> flagged;
  {
    Store store(f.db);
    flagged = flagged_new(store);
  }
  REQUIRE(flagged.size() >= 3);
  const auto listed = run_recall(f.db, {"--today", kToday, "cards", "--review"});
  CHECK_THAT(listed.out, Catch::StartsWith("Card review: drafts waiting"));
  CHECK_THAT(listed.out, Catch::Contains("[waits]"));
  const Json unreviewed = f.cli_json({"cards", "--unreviewed", "--limit", "5", "--json"});
  CHECK(unreviewed["cards"].size() == 5);
  CHECK(unreviewed["cards"][0]["quality"] == "review");
  CHECK(unreviewed["cards"][0].contains("topic_points"));

  const auto approved = run_recall(
      f.db, {"--today", kToday, "approve", std::to_string(flagged[0]), std::to_string(flagged[1])});
  INFO(approved.err);
  CHECK(approved.exit_code == 0);
  CHECK_THAT(approved.out, Catch::Contains("approved card " + std::to_string(flagged[1])));
  const Json card = f.cli_json({"card", std::to_string(flagged[0]), "--json"});
  CHECK(card["card"]["reviewed"]["by"] == "learner");
  CHECK(card["card"]["reviewed"]["as"] == "approved");
  CHECK(card["card"]["reviewed"]["day"] == kToday);
  CHECK(card["card"]["quality"] == "ok");
  CHECK(card.contains("memory"));

  const auto retired = run_recall(f.db, {"--today", kToday, "retire", std::to_string(flagged[2]),
                                         "--reason", "duplicate of another card"});
  CHECK(retired.exit_code == 0);
  CHECK_THAT(run_recall(f.db, {"card", std::to_string(flagged[2])}).out,
             Catch::Contains("review: retired by the learner on 2026-11-20: duplicate of another "
                             "card\n"));
  CHECK_THAT(run_recall(f.db, {"card", std::to_string(flagged[3])}).out,
             Catch::Contains("review: not yet reviewed (flagged: "));
  const Json gone = f.cli_json({"card", std::to_string(flagged[2]), "--json"});
  CHECK(gone["card"]["retired"] == true);
  CHECK(gone["card"]["reviewed"]["reason"] == "duplicate of another card");
  const auto bad =
      run_recall(f.db, {"--today", kToday, "approve", std::to_string(flagged[2]), "999999"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Catch::Contains("ids[1] (card 999999): no card with id 999999"));
  CHECK(f.cli_json({"card", std::to_string(flagged[2]), "--json"})["card"]["retired"] == true);
  CHECK(run_recall(f.db, {"approve"}).exit_code == 2);

  // `e` in the drill: only after the reveal, then the card is the learner's.
  const auto refused = run_recall(f.db, {"--today", kToday, "review"}, "e back Too early.\n");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("show the answer first"));
  const auto drill =
      run_recall(f.db, {"--today", kToday, "review"}, "show\ne back A better answer.\nq\n");
  INFO(drill.err);
  REQUIRE(drill.exit_code == 0);
  const std::size_t at = drill.out.find("edited the back of card ");
  REQUIRE(at != std::string::npos);
  const std::string id = drill.out.substr(at + 24, drill.out.find('\n', at) - at - 24);
  const Json after = f.cli_json({"card", id, "--json"});
  CHECK_THAT(after["card"]["back"].get<std::string>(), Catch::EndsWith("\nA better answer."));
  CHECK(after["card"]["reviewed"]["as"] == "edited");
  CHECK(after["card"]["reviewed"]["by"] == "learner");
}

TEST_CASE("an unknown topic or domain filter is an error naming what exists, a.8 is A.8",
          "[review][drill]") {
  Imported f;
  const auto unknown = run_recall(f.db, {"--today", kToday, "next", "--topic", "Z.99"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("no topic labelled 'Z.99' (topics: A.3, A.8, C.16"));
  CHECK(unknown.out.empty());
  recall::test::drill_drafts(f.db);
  const auto lower = run_recall(f.db, {"--today", kToday, "next", "--topic", "a.8", "--json"});
  CHECK(lower.exit_code == 0);
  CHECK(Json::parse(lower.out)["card"]["topic"]["label"] == "A.8");
  const auto domain = run_recall(f.db, {"--today", kToday, "due", "--domain", "Z"});
  CHECK(domain.exit_code == 2);
  CHECK_THAT(domain.err, Catch::Contains("no domain 'Z' (domains: A, B, C"));
  CHECK(run_recall(f.db, {"--today", kToday, "review", "--topic", "Z.99"}, "q\n").exit_code == 2);
  // A finished day says so.
  REQUIRE(run_recall(f.db, {"config", "set", "new-per-day", "0"}).exit_code == 0);
  CHECK_THAT(run_recall(f.db, {"--today", kToday, "next"}).out,
             Catch::Contains("today's queue is finished"));
}

TEST_CASE("schema 8 -> 9: edited and hand-added cards count as reviewed by the learner",
          "[review][store]") {
  Imported f;
  const auto edited = run_recall(f.db, {"--today", kToday, "edit", "3", "--back", "Mine."});
  REQUIRE(edited.exit_code == 0);
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE cards SET reviewed_by = '', reviewed_as = '', reviewed_day = NULL;");
    raw.exec(recall::test::kUndoSchema11);
    raw.exec(recall::test::kUndoSchema10);
    raw.exec(recall::test::kUndoSchema9);
    raw.exec("PRAGMA user_version = 8");
  }
  Store store(f.db);
  CHECK(store.schema_version() == Store::kSchemaVersion);
  CHECK(store.card(3)->reviewed_by == "learner");
  CHECK(store.card(3)->reviewed_as == "edited");
  CHECK(store.card(4)->reviewed_by.empty());
  CHECK(store.review_counts().drafts > 0);
}

TEST_CASE("report: on day one no topic is weak, a legend says what the colours mean",
          "[review][report]") {
  Imported f;
  const std::string file = f.dir.file("report.html");
  REQUIRE(run_recall(f.db, {"--today", kToday, "report", "-o", file}).exit_code == 0);
  std::string html = read_bytes(file);
  CHECK_THAT(html, Catch::Contains("<p class=\"legend\">"));
  CHECK(html.find("<tr class=\"weak\">") == std::string::npos);  // nothing studied yet
  CHECK(html.find("<tr class=\"unstarted\">") != std::string::npos);
  // A topic failed on its only studied cards is weak.
  REQUIRE(run_recall(f.db, {"--today", kToday, "answer", "1", "1"}).exit_code == 0);
  REQUIRE(run_recall(f.db, {"--today", kToday, "report", "-o", file}).exit_code == 0);
  html = read_bytes(file);
  CHECK(html.find("<tr class=\"weak\"><td>A.8</td>") != std::string::npos);
  // Domain names beside the bars carry their whole name as a tooltip.
  CHECK_THAT(html, Catch::Contains("<title>A. ML Fundamentals</title>A. ML Fundamentals</text>"));
}

TEST_CASE("the terminal drill: e after the reveal rewrites the card, the header counts drafts",
          "[review][tty]") {
  if (std::system("command -v tmux >/dev/null 2>&1") != 0) {
    WARN("tmux is not installed: the terminal drill test is skipped");
    return;
  }
  Imported f;
  {
    // One card approved: the one the drill introduces (every card of a fresh
    // import is flagged, no card rule being trusted).
    Store store(f.db);
    recall::approve_cards(store, {flagged_new(store).front()}, Reviewer::kTutor, f.today());
  }
  REQUIRE(run_recall(f.db, {"config", "set", "new-per-day", "1"}).exit_code == 0);
  const std::string session = "recall-review-" + std::to_string(::getpid());
  const std::string socket = f.dir.file("tmux.sock");
  const std::string tmux = "tmux -S '" + socket + "' ";
  const std::string command =
      std::string(RECALL_BINARY) + " --db '" + f.db + "' --today " + kToday + " review";
  REQUIRE(std::system((tmux + "new-session -d -x 100 -y 30 -s " + session + " \"" + command +
                       "; sleep 30\"")
                          .c_str()) == 0);
  const auto screen = [&] {
    const std::string file = f.dir.file("screen");
    std::system((tmux + "capture-pane -p -t " + session + " > '" + file + "'").c_str());
    return read_bytes(file);
  };
  const auto keys = [&](const std::string& k) {
    std::system((tmux + "send-keys -t " + session + " " + k).c_str());
  };
  const auto wait_for = [&](const std::string& text) {
    for (int i = 0; i < 100; ++i) {
      if (screen().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  CHECK(wait_for("[new 1/1]"));
  CHECK(wait_for("Card review: drafts waiting for a review"));
  keys("e");  // before the reveal: nothing to edit yet
  keys("Space");
  CHECK(wait_for("e edit"));
  keys("e");
  CHECK(wait_for("new front (one line, Enter keeps it):"));
  keys("Enter");
  CHECK(wait_for("new back (one line, Enter keeps it):"));
  keys("'A tutor-grade answer.' Enter");
  CHECK(wait_for("rewritten (reviewed by you)"));
  CHECK(wait_for("A tutor-grade answer."));
  keys("q");
  CHECK(wait_for("Session summary"));
  std::system((tmux + "kill-server").c_str());
  Store store(f.db);
  int rewritten = 0;
  for (const Card& card : store.cards(std::nullopt, false))
    if (card.reviewed_as == "edited") {
      ++rewritten;
      CHECK(card.reviewed_by == "learner");
      CHECK_THAT(card.back, Catch::EndsWith("\nA tutor-grade answer."));
      CHECK(card.state.repetitions == 0);  // quit before grading: nothing answered
    }
  CHECK(rewritten == 1);
}

TEST_CASE("the review pass's counts are kept by triggers and follow every write",
          "[review][store]") {
  Imported f;
  Store store(f.db);
  // The kept counts against a recount of the cards, and check clean.
  const auto require_counts = [&] {
    SQLite::Database raw(f.db, SQLite::OPEN_READONLY);
    const auto count = [&](const std::string& where) {
      return raw.execAndGet("SELECT COUNT(*) FROM cards WHERE " + where).getInt();
    };
    const recall::ReviewCounts counts = store.review_counts();
    CHECK(counts.drafts ==
          count("quality = 'review' AND due_day IS NULL AND suspended = 0 AND retired = 0"));
    CHECK(counts.flagged == count("quality = 'review' AND retired = 0"));
    CHECK(counts.unreviewed == count("reviewed_by = '' AND retired = 0"));
    CHECK(store.check().ok());
  };
  require_counts();
  const auto flagged = store.cards(std::nullopt, false, true);
  REQUIRE(flagged.size() > 6);
  const auto before = store.review_counts();
  recall::approve_cards(store, {flagged[0].id}, Reviewer::kTutor, f.today());
  CHECK(store.review_counts().drafts == before.drafts - 1);
  require_counts();
  recall::edit_cards(store, {{flagged[1].id, std::nullopt, std::string("A better back.")}},
                     Reviewer::kTutor, f.today());
  recall::retire_cards(store, {flagged[2].id}, "not knowledge", Reviewer::kTutor, f.today());
  recall::add_cards(
      store, {{"A.8", "What does AUC-PR compare against?", "The positive rate.", std::nullopt,
               std::nullopt}},
      Reviewer::kTutor, f.today());
  require_counts();
  // A draft drilled anyway, then its answer undone.
  store.set_setting("drafts", "drill");
  const auto answered = recall::answer_card(
      store, {flagged[3].id, 4, f.today(), "t", {}, recall::AnswerSource::kLearner});
  CHECK(store.review_counts().drafts == before.drafts - 4);  // approved, edited, retired, drilled
  require_counts();
  CHECK(recall::undo_answer(store, answered.id));
  require_counts();
  // A re-import of the tracker.
  f.reimport();
  require_counts();
}

TEST_CASE("review pass: a card the tutor adds for a gap is that gap's card, through imports",
          "[review][gaps]") {
  Imported f;
  Store store(f.db);
  // The BatchNorm placement gap: its rules' links change when the topic's
  // "Review needed" remark leaves the tracker (below).
  const auto the_gap = [&]() -> recall::GapRow {
    for (const recall::GapRow& gap : store.gaps())
      if (gap.text.rfind("BatchNorm placement", 0) == 0) return gap;
    FAIL("the fixture has the BatchNorm placement gap");
    return {};
  };
  const recall::GapRow gap = the_gap();
  REQUIRE(gap.in_tracker);
  REQUIRE(gap.tier != recall::GapTier::kResolved);
  const auto linked = [&](long long card) {
    const auto ids = the_gap().card_ids;
    return std::count(ids.begin(), ids.end(), card) == 1;
  };
  Store::NewCard card{"C.18", "BatchNorm: before or after the activation, in the original paper?",
                      "Before the activation.", std::nullopt, gap.id};
  const long long id = recall::add_cards(store, {card}, Reviewer::kTutor, f.today()).at(0).id;
  CHECK(linked(id));
  // Among the gap's new cards in the drill's gap-first order.
  store.set_setting("drafts", "drill");
  const recall::QueueInputs inputs = recall::gather_queue(store, f.today(), {});
  const auto entry = std::find_if(inputs.fresh.begin(), inputs.fresh.end(),
                                  [&](const auto& e) { return e.id == id; });
  REQUIRE(entry != inputs.fresh.end());
  CHECK(entry->gap_rank != recall::QueueEntry::kNoGapRank);
  // An import of the same tracker keeps every link.
  f.reimport();
  CHECK(linked(id));
  CHECK(the_gap().card_ids.size() == gap.card_ids.size() + 1);
  // An import that changes the gap's own links (the remark's card goes)
  // replaces the rules' links and keeps the tutor's.
  std::string text = read_bytes(f.tracker);
  const std::string remark = "<br>• ⚠️ Review needed: BatchNorm placement (before activation), RMSNorm details";
  REQUIRE(text.find(remark) != std::string::npos);
  text.erase(text.find(remark), remark.size());
  write_bytes(f.tracker, text);
  f.reimport();
  CHECK(linked(id));
  CHECK(the_gap().card_ids.size() < gap.card_ids.size() + 1);
  // A gap that does not exist, or has left the tracker: the batch adds
  // nothing and names the item.
  const auto before = store.cards(std::nullopt, true).size();
  Store::NewCard bad = card;
  bad.gap_id = 99999;
  CHECK_THROWS_WITH(recall::add_cards(store, {card, bad}, Reviewer::kTutor, f.today()),
                    Catch::Contains("cards[1]") && Catch::Contains("no gap with id 99999"));
  text.erase(text.find("- BatchNorm placement details"),
             text.find('\n', text.find("- BatchNorm placement details")) + 1 -
                 text.find("- BatchNorm placement details"));
  write_bytes(f.tracker, text);
  f.reimport();
  REQUIRE_FALSE(the_gap().in_tracker);
  CHECK_THROWS_WITH(recall::add_cards(store, {card}, Reviewer::kTutor, f.today()),
                    Catch::Contains("no gap with id " + std::to_string(gap.id) + " in the tracker"));
  CHECK(store.cards(std::nullopt, true).size() == before);
}

TEST_CASE("review pass: cards_to_review by topic gives whole topics, their points once",
          "[review]") {
  Imported f;
  Store store(f.db);
  const auto all = recall::cards_to_review(store, 1000);
  const auto batch = recall::cards_to_review(store, 20, true);
  REQUIRE(!batch.items.empty());
  CHECK(batch.items.size() <= 20);
  CHECK(batch.counts.unreviewed == all.counts.unreviewed);
  // Topics in the order the queue reaches them, each whole and together.
  std::vector<long long> order;  // topics by their first card in the queue
  std::map<long long, std::vector<long long>> queue_cards;
  for (const auto& item : all.items) {
    if (queue_cards[item.card.topic_id].empty()) order.push_back(item.card.topic_id);
    queue_cards[item.card.topic_id].push_back(item.card.id);
  }
  std::vector<long long> expected;
  std::size_t topics = 0;
  for (long long topic : order) {
    if (expected.size() + queue_cards[topic].size() > 20) break;
    expected.insert(expected.end(), queue_cards[topic].begin(), queue_cards[topic].end());
    ++topics;
  }
  REQUIRE(topics >= 2);  // more than one topic fits: the grouping is tested
  std::vector<long long> got;
  for (const auto& item : batch.items) got.push_back(item.card.id);
  CHECK(got == expected);
  // The queue interleaves topics, so the plain batch of the same size is another set.
  std::vector<long long> plain;
  for (const auto& item : recall::cards_to_review(store, static_cast<int>(got.size())).items)
    plain.push_back(item.card.id);
  CHECK(plain != got);
  // A topic's points on its first card only, the same as the plain pass gives it.
  std::map<long long, std::vector<std::string>> points_of;
  for (const auto& item : all.items) points_of[item.card.id] = item.topic_points;
  long long topic = -1;
  for (const auto& item : batch.items) {
    INFO(item.card.id);
    if (item.card.topic_id != topic) {
      topic = item.card.topic_id;
      CHECK(item.topic_points == points_of[item.card.id]);
    } else {
      CHECK(item.topic_points.empty());
    }
  }
  // A first topic larger than the limit is cut at the limit.
  const auto one = recall::cards_to_review(store, 1, true);
  REQUIRE(one.items.size() == 1);
  CHECK(one.items[0].card.id == all.items[0].card.id);
}

// While drafts wait, the new cards come from the indexes of the cards not
// flagged (schema 13: cards_ready, cards_topic_ready), by a walk of all of
// them (raised limits) or topic by topic (the default 20): the same cards in
// the same order as the drill would take from all new cards, less the
// drafts; none at all when every card waits.
TEST_CASE("review pass: while drafts wait, the queue's new cards are the reviewed ones, in order",
          "[review][queue]") {
  Imported f;
  recall::test::flag_every_card(f.db);  // none to introduce at first
  Store store(f.db);
  const auto fresh_ids = [&](const char* per_day) {
    store.set_setting("new-per-day", per_day);
    std::vector<long long> ids;
    for (const auto& entry : recall::gather_queue(store, f.today(), {}).fresh) ids.push_back(entry.id);
    return ids;
  };
  CHECK(fresh_ids("100000").empty());  // every card flagged: nothing to introduce
  CHECK(fresh_ids("20").empty());
  const auto flagged = flagged_new(store);
  std::vector<long long> approve;
  for (std::size_t i = 0; i < flagged.size(); i += 3) approve.push_back(flagged[i]);
  REQUIRE(approve.size() >= 10);
  recall::approve_cards(store, approve, Reviewer::kTutor, f.today());
  for (const char* per_day : {"100000", "20", "5"}) {
    INFO("new-per-day " << per_day);
    const std::vector<long long> waiting = fresh_ids(per_day);
    store.set_setting("drafts", "drill");
    std::vector<long long> all = fresh_ids(per_day);
    store.set_setting("drafts", "wait");
    REQUIRE(!waiting.empty());
    for (long long id : waiting) CHECK(contains(approve, id));
    if (std::string(per_day) == "100000") {
      // Every new card in one walk: the drafts-drill order, less the drafts.
      all.erase(std::remove_if(all.begin(), all.end(),
                               [&](long long id) { return !contains(approve, id); }),
                all.end());
      CHECK(waiting == all);
    }
  }
  // Schema 12 -> 13 adds the two indexes.
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READWRITE);
    raw.exec("DROP INDEX cards_ready; DROP INDEX cards_topic_ready;"
             "ALTER TABLE gap_cards DROP COLUMN tutor; PRAGMA user_version = 12;");
  }
  Store upgraded(f.db);
  CHECK(upgraded.schema_version() == recall::Store::kSchemaVersion);
  SQLite::Database raw(f.db, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('cards_ready', "
                       "'cards_topic_ready')")
            .getInt() == 2);
}

TEST_CASE("review pass: by topic, whole topics even when more than 1,000 cards wait",
          "[review]") {
  // 260 topics of 5 points: the queue's round robin puts a topic's later
  // cards past its first 1,000 rows.
  recall::Tracker tracker;
  for (int t = 0; t < 260; ++t) {
    recall::Topic topic;
    topic.label = "A." + std::to_string(t + 1);
    topic.title = "Widget family " + std::to_string(t + 1);
    topic.domain_letter = 'A';
    topic.domain_name = "Widgets";
    for (int p = 0; p < 5; ++p)
      topic.key_points.push_back("Widget " + std::to_string(t + 1) + " part " +
                                 std::to_string(p + 1) + " = gear ratio " + std::to_string(p + 2) +
                                 " over shaft " + std::to_string(t + p + 3));
    tracker.topics.push_back(std::move(topic));
  }
  TempDir dir;
  Store store(dir.file("r.db"));
  recall::import_tracker(store, tracker, *recall::parse_day(kToday), std::nullopt);
  const auto counts = store.review_counts();
  REQUIRE(counts.unreviewed > 1000);
  std::map<long long, int> waiting;  // topic -> its unreviewed cards
  for (const auto& card : store.cards(std::nullopt, false)) ++waiting[card.topic_id];
  const auto batch = recall::cards_to_review(store, 40, true);
  REQUIRE(batch.items.size() >= 10);
  std::map<long long, int> got;
  for (const auto& item : batch.items) ++got[item.card.topic_id];
  REQUIRE(got.size() >= 2);
  for (const auto& [topic, n] : got) {
    INFO("topic " << topic);
    CHECK(n == waiting[topic]);  // every card of each topic in the batch
  }
  // Each topic's cards together, its points on its first card only.
  for (std::size_t i = 1; i < batch.items.size(); ++i) {
    const bool same = batch.items[i].card.topic_id == batch.items[i - 1].card.topic_id;
    if (same) CHECK(batch.items[i].topic_points.empty());
    else CHECK_FALSE(batch.items[i].topic_points.empty());
  }
}

TEST_CASE("recall edit --unlink-gap and --gap: the learner's path to a gap's links", "[review][gaps]") {
  Imported f;
  // An open gap and a card the rules linked to it, not made from its words.
  long long gap = 0, card = 0;
  {
    Store store(f.db);
    for (const recall::GapRow& g : store.gaps()) {
      if (!g.in_tracker || g.tier == recall::GapTier::kResolved) continue;
      for (long long id : g.card_ids) {
        const auto c = store.card(id);
        if (c && c->source != g.text) {
          gap = g.id;
          card = id;
          break;
        }
      }
      if (gap) break;
    }
  }
  REQUIRE(gap > 0);
  const auto cards_of_gap = [&] {
    std::vector<long long> ids;
    const Json gaps = f.cli_json({"gaps", "--json"});
    for (const auto& g : gaps["gaps"])
      if (g["id"] == gap)
        for (const auto& c : g["cards"]) ids.push_back(c.get<long long>());
    return ids;
  };
  const auto has = [](const std::vector<long long>& ids, long long id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  REQUIRE(has(cards_of_gap(), card));
  const std::string db_before = read_bytes(f.db);

  // Bad arguments: exit 2, one line naming the option; a gap that is not
  // there: exit 1 naming the card and the gap. Nothing written.
  const auto zero = run_recall(f.db, {"--today", kToday, "edit", std::to_string(card),
                                      "--unlink-gap", "0"});
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.err, Catch::Contains("--unlink-gap: must be a gap id"));
  const auto same = run_recall(f.db, {"--today", kToday, "edit", std::to_string(card), "--gap",
                                      std::to_string(gap), "--unlink-gap", std::to_string(gap)});
  CHECK(same.exit_code == 2);
  CHECK_THAT(same.err, Catch::Contains("--gap and --unlink-gap name the same gap"));
  const auto unknown = run_recall(f.db, {"--today", kToday, "edit", std::to_string(card),
                                         "--unlink-gap", "99999"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err == "recall: card " + std::to_string(card) +
                           ": no gap with id 99999 in the tracker (see gaps)\n");
  CHECK(read_bytes(f.db) == db_before);

  const auto unlinked = run_recall(f.db, {"--today", kToday, "edit", std::to_string(card),
                                          "--unlink-gap", std::to_string(gap)});
  INFO(unlinked.err);
  REQUIRE(unlinked.exit_code == 0);
  CHECK_THAT(unlinked.out, Catch::Contains("took card " + std::to_string(card) + " away from gap " +
                                           std::to_string(gap)));
  CHECK_FALSE(has(cards_of_gap(), card));
  // The same tracker again (a full comparison): still not its card.
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READWRITE);
    raw.exec("DELETE FROM settings WHERE key = 'import-fingerprint'");
  }
  f.reimport();
  CHECK_FALSE(has(cards_of_gap(), card));
  CHECK(run_recall(f.db, {"--today", kToday, "check"}).exit_code == 0);

  const auto linked = run_recall(f.db, {"--today", kToday, "edit", std::to_string(card), "--gap",
                                        std::to_string(gap)});
  REQUIRE(linked.exit_code == 0);
  CHECK_THAT(linked.out, Catch::Contains("linked card " + std::to_string(card) + " to gap"));
  CHECK(has(cards_of_gap(), card));
}

TEST_CASE("recall edit --topic files a card under another topic, through imports and answers",
          "[review]") {
  Imported f;
  // A card of A.8 with an answer (its topic's counts hold it), and a gap
  // card of another topic or none.
  const auto card_json = [&](long long id) {
    return f.cli_json({"card", std::to_string(id), "--json"})["card"];
  };
  long long card = 0, gap_card = 0;
  {
    Store store(f.db);
    for (const Card& c : store.cards(std::nullopt, false)) {
      if (card == 0 && c.topic_label == "A.8") card = c.id;
      if (gap_card == 0 && c.kind == recall::CardKind::kGap && c.topic_label != "A.8")
        gap_card = c.id;
    }
  }
  REQUIRE(card > 0);
  REQUIRE(gap_card > 0);
  REQUIRE(run_recall(f.db, {"--today", kToday, "answer", std::to_string(card), "2"}).exit_code == 0);
  const Json before = card_json(card);
  const std::string db_before = read_bytes(f.db);

  // An unknown topic: exit 1 naming it; an empty one: exit 2. Nothing written.
  const auto unknown =
      run_recall(f.db, {"--today", kToday, "edit", std::to_string(card), "--topic", "Z.99"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err == "recall: card " + std::to_string(card) +
                           ": no topic with label 'Z.99' (see topics)\n");
  CHECK(run_recall(f.db, {"--today", kToday, "edit", std::to_string(card), "--topic", ""})
            .exit_code == 2);
  CHECK(read_bytes(f.db) == db_before);

  // Filed under C.18 (the label in any case): its context line is C.18's,
  // its schedule and history stay, and it is the learner's text now.
  const auto moved =
      run_recall(f.db, {"--today", kToday, "edit", std::to_string(card), "--topic", "c.18"});
  INFO(moved.err);
  REQUIRE(moved.exit_code == 0);
  CHECK_THAT(moved.out, Catch::StartsWith("filed card " + std::to_string(card) + " under C.18 "));
  Json after = card_json(card);
  CHECK(after["topic"]["label"] == "C.18");
  CHECK_THAT(after["front"].get<std::string>(), Catch::StartsWith("[C.18 "));
  const std::string old_front = before["front"];
  CHECK(after["front"].get<std::string>().substr(after["front"].get<std::string>().find('\n')) ==
        old_front.substr(old_front.find('\n')));
  CHECK(after["state"] == before["state"]);
  CHECK(after["quality"] == "ok");
  CHECK(after["edited"] == true);
  // The topic's kept answer counts followed the card.
  CHECK(run_recall(f.db, {"--today", kToday, "check"}).exit_code == 0);
  // A topic with a new text at once.
  REQUIRE(run_recall(f.db, {"--today", kToday, "edit", std::to_string(gap_card), "--topic", "A.8",
                            "--front", "Which axis of a ROC curve is the FPR?"})
              .exit_code == 0);
  CHECK_THAT(card_json(gap_card)["front"].get<std::string>(),
             Catch::StartsWith("[A.8 ") && Catch::EndsWith("]\nWhich axis of a ROC curve is the FPR?"));

  // The same tracker again, compared in full: both stay where they were
  // filed, nothing is written.
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READWRITE);
    raw.exec("DELETE FROM settings WHERE key = 'import-fingerprint'");
  }
  const auto again = run_recall(f.db, {"--today", kToday, "import", f.tracker});
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains(" 0 updated"));
  CHECK(card_json(card)["topic"]["label"] == "C.18");
  CHECK(card_json(gap_card)["topic"]["label"] == "A.8");
  // Filtered by its new topic, the card is there.
  bool listed = false;
  for (const auto& c : f.cli_json({"cards", "--topic", "C.18", "--json"}))
    listed = listed || c["id"] == card;
  CHECK(listed);
  CHECK(run_recall(f.db, {"--today", kToday, "check"}).exit_code == 0);

  // Filed back under its own topic, it follows the tracker again: moved no
  // more (the gap card, moved once, stays moved).
  REQUIRE(run_recall(f.db, {"--today", kToday, "edit", std::to_string(card), "--topic", "A.8"})
              .exit_code == 0);
  {
    SQLite::Database raw(f.db, SQLite::OPEN_READONLY);
    CHECK(raw.execAndGet("SELECT moved FROM cards WHERE id = " + std::to_string(card)).getInt() ==
          0);
  }
  const auto already =
      run_recall(f.db, {"--today", kToday, "edit", std::to_string(card), "--topic", "A.8"});
  CHECK_THAT(already.out, Catch::StartsWith("card " + std::to_string(card) + " is already under A.8"));
  // Moved to C.18, whose title the tracker then changes (a new topic; the
  // old one retired): the card goes back under the tracker's own topic for
  // it, with that topic's context line, not left in a topic no command lists.
  REQUIRE(run_recall(f.db, {"--today", kToday, "edit", std::to_string(card), "--topic", "C.18"})
              .exit_code == 0);
  std::string text = read_bytes(f.tracker);
  const std::string title = "**C.18 BatchNorm vs LayerNorm**";
  REQUIRE(text.find(title) != std::string::npos);
  text.replace(text.find(title), title.size(), "**C.18 Normalisation layers**");
  write_bytes(f.tracker, text);
  f.reimport();
  const Json refiled = card_json(card);
  CHECK(refiled["topic"]["label"] == "A.8");
  CHECK_THAT(refiled["front"].get<std::string>(), Catch::StartsWith("[A.8 "));
  CHECK(refiled["front"].get<std::string>().substr(refiled["front"].get<std::string>().find('\n')) ==
        old_front.substr(old_front.find('\n')));
  CHECK(run_recall(f.db, {"--today", kToday, "check"}).exit_code == 0);
  // A no-op import after it records itself and writes nothing.
  const auto noop = run_recall(f.db, {"--today", kToday, "import", f.tracker});
  CHECK_THAT(noop.out, Catch::Contains(" 0 updated"));
}

TEST_CASE("find_cards: the text as a word comes before the text inside a word", "[review]") {
  Imported f;
  Store store(f.db);
  // "ess" inside words first in the drill's order, then as a word.
  const auto added = recall::add_cards(
      store,
      {Store::NewCard{"A.8", "Which processes are stationary?", "Those whose law is less shifting.",
                      std::nullopt, std::nullopt},
       Store::NewCard{"A.8", "When can the ESS exceed N?", "With negative autocorrelation.",
                      std::nullopt, std::nullopt}},
      Reviewer::kTutor, f.today());
  REQUIRE(added.size() == 2);
  const auto found = recall::find_cards(store, recall::CardQuery{std::string("ess")});
  REQUIRE(found.size() >= 2);
  CHECK(found.front().id == added[1].id);
  const auto inside = std::find_if(found.begin(), found.end(),
                                   [&](const Card& c) { return c.id == added[0].id; });
  CHECK(inside != found.end());
  // The limit keeps the word's matches.
  CHECK(store.find_cards(std::string("ess"), std::nullopt, std::nullopt, false, 1).front().id ==
        added[1].id);
}
