// Issue 23, items 4-6: weak spots first (gap and checklist cards filed under
// the topic and domain they drill, new cards of open gaps introduced first,
// the last mistake shown when a failed card comes back), a plan that tells
// the truth (tomorrow as tomorrow's queue holds it, reviews projected to the
// interview, weak domains from review evidence, bounded output), and no
// interval preview for a re-drill. Through the engine API and the real
// binary, on temp databases with a fixed --today.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "fsrs_sim.h"
#include "mcp/tools.h"
#include "recall/answering.h"
#include "recall/drill.h"
#include "recall/importer.h"
#include "recall/review.h"
#include "recall/stats.h"
#include "recall/store.h"
#include "recall/tracker.h"
#include "support.h"

using namespace recall;
using recall::test::import_fixture;
using recall::test::run_recall;
using recall::test::TempDir;
using Json = nlohmann::json;

namespace {

constexpr const char* kDay = "2026-11-20";
const Day kStart = *parse_day(kDay);

Tracker fixture_tracker() {
  return read_tracker(prepare_text(recall::test::read_bytes(recall::test::fixture_path())),
                      "fixture");
}

Json json_of(const recall::test::RunResult& result) {
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return Json::parse(result.out);
}

// The cards of the open gap whose text starts with `prefix`: those it links
// to (gaps --json "cards") and its own gap and discrimination cards.
std::set<long long> cards_of_gap(const std::string& db, const std::string& prefix) {
  const Json gaps = json_of(run_recall(db, {"--today", kDay, "gaps", "--json"}));
  std::set<long long> ids;
  std::string text;
  for (const Json& gap : gaps["gaps"])
    if (gap["text"].get<std::string>().rfind(prefix, 0) == 0) {
      text = gap["text"].get<std::string>();
      for (const Json& id : gap["cards"]) ids.insert(id.get<long long>());
    }
  REQUIRE_FALSE(text.empty());
  for (const Json& card : json_of(run_recall(db, {"--today", kDay, "cards", "--json"})))
    if (card["source"] == text) ids.insert(card["id"].get<long long>());
  return ids;
}

}  // namespace

// ---------------------------------------------------------------------------
// Item 4: gap and checklist cards belong to a topic or a domain.

TEST_CASE("every gap, checklist and discrimination card is filed under a topic or a domain",
          "[loop][queue]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  import_tracker(store, fixture_tracker(), kStart, std::nullopt);
  int loose = 0, filed = 0;
  for (const Card& card : store.cards(std::nullopt, false)) {
    if (card.kind != CardKind::kGap && card.kind != CardKind::kChecklist &&
        card.kind != CardKind::kDiscrimination)
      continue;
    if (card.topic_id == 0 && card.domain_letter == 0) {
      ++loose;
      UNSCOPED_INFO("loose: " << card.source);
    } else {
      ++filed;
    }
    // The ROC-axes cards drill A.8's "ROC axes: x=FPR, y=TPR".
    if (card.source.rfind("ROC axes confusion", 0) == 0) {
      CHECK(card.topic_label == "A.8");
      CHECK(card.domain_letter == 'A');
    }
  }
  CHECK(loose == 0);  // was 45 of the fixture's 185 cards
  CHECK(filed == 12);  // 3 checklist derivations (rules v7), 8 gap cards, 1 discrimination
  // A second import of the same tracker changes nothing (the links are stable).
  const ImportReport again = import_tracker(store, fixture_tracker(), kStart, std::nullopt);
  CHECK(again.updated == 0);
  CHECK(again.added == 0);
}

TEST_CASE("recall stats files no card under (no domain) and --domain reaches gap cards",
          "[loop][queue][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  import_fixture(db, kDay);
  recall::test::drill_drafts(db);
  const auto stats = run_recall(db, {"--today", kDay, "stats"});
  REQUIRE(stats.exit_code == 0);
  CHECK_THAT(stats.out, !Catch::Contains("(no domain)"));
  // The ROC gap's cards are domain A's: `cards --json` and `next --domain A`.
  std::set<long long> domain_a;
  for (const Json& card : json_of(run_recall(db, {"--today", kDay, "cards", "--json"})))
    if (card["domain"].is_string() && card["domain"] == "A")
      domain_a.insert(card["id"].get<long long>());
  const std::set<long long> roc = cards_of_gap(db, "ROC axes confusion");
  REQUIRE(roc.size() == 3);  // the A.8 point, the gap card, the discrimination card
  for (long long id : roc) CHECK(domain_a.count(id) == 1);
  const Json next = json_of(run_recall(db, {"--today", kDay, "next", "--domain", "A", "--json"}));
  CHECK(roc.count(next["card"]["id"].get<long long>()) == 1);
}

// ---------------------------------------------------------------------------
// Item 4: new cards of open gaps first; every card of a recurring gap on day one.

TEST_CASE("new cards of open gaps come first: recurring, then High, then Medium", "[loop][queue]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  import_tracker(store, fixture_tracker(), kStart, std::nullopt);
  // Day one's new cards, in gap rank order (the ranks never go down along
  // the queue).
  const auto day_one = [&](std::size_t size) {
    const QueueInputs inputs = gather_queue(store, kStart, {});
    const Queue queue = order_queue(inputs);
    REQUIRE(queue.main.size() == size);
    std::map<long long, int> rank;
    for (const QueueEntry& entry : inputs.fresh) rank[entry.id] = entry.gap_rank;
    int previous = 0;
    std::set<long long> ids;
    for (const QueueItem& item : queue.main) {
      CHECK(rank[item.card_id] >= previous);
      previous = rank[item.card_id];
      ids.insert(item.card_id);
    }
    return std::pair{ids, queue.main.empty() ? -1 : rank[queue.main.front().card_id]};
  };
  // The cards of the recurring gap (ROC axes): the A.8 point, the gap card,
  // the discrimination card.
  std::set<long long> recurring;
  for (const GapRow& gap : store.gaps()) {
    if (!gap.recurring || gap.tier == GapTier::kResolved) continue;
    recurring.insert(gap.card_ids.begin(), gap.card_ids.end());
    for (const Card& card : store.cards(std::nullopt, false))
      if (card.source == gap.text) recurring.insert(card.id);  // its own gap and discrimination
  }
  REQUIRE(recurring.size() == 3);
  // Drafts wait (the default): those of them flagged for review are not
  // introduced before a review; the others lead day one.
  std::vector<long long> flagged;
  for (long long id : recurring)
    if (store.card(id)->quality == "review") flagged.push_back(id);
  REQUIRE_FALSE(flagged.empty());
  std::size_t unflagged = 0;
  for (const Card& card : store.cards(std::nullopt, false)) unflagged += card.quality == "ok";
  REQUIRE(unflagged < 20);  // fewer than a day's 20 new (no card rule is trusted)
  {
    const auto [ids, first_rank] = day_one(unflagged);
    for (long long id : recurring)
      CHECK(ids.count(id) == (store.card(id)->quality == "ok" ? 1U : 0U));
    if (flagged.size() < recurring.size()) CHECK(first_rank == 0);
  }
  {
    // Drilled unreviewed (`drafts drill`): a full day, ranked, the recurring
    // gap's cards first.
    store.set_setting("drafts", "drill");
    const auto [ids, first_rank] = day_one(20);
    CHECK(first_rank == 0);
    for (long long id : recurring) CHECK(ids.count(id) == 1);
    store.set_setting("drafts", "wait");
  }
  // Approved (the tutor's review pass): every card of the recurring gap is in
  // day one's queue, and the recurring gap leads.
  approve_cards(store, flagged, Reviewer::kTutor, kStart);
  const auto [ids, first_rank] = day_one(std::min<std::size_t>(20, unflagged + flagged.size()));
  CHECK(first_rank == 0);
  for (long long id : recurring) CHECK(ids.count(id) == 1);
}

TEST_CASE("day one of a fresh import shows every card of the recurring gap (the binary)",
          "[loop][queue][cli]") {
  std::string grades;
  for (int i = 0; i < 20; ++i) grades += "4\n";
  // Drafts wait (the default): the cards of the gap flagged for review are
  // not drilled on day one, the others are.
  {
    TempDir dir;
    const std::string db = dir.file("r.db");
    import_fixture(db, kDay);
    REQUIRE(run_recall(db, {"--today", kDay, "review"}, grades).exit_code == 0);
    const std::set<long long> roc = cards_of_gap(db, "ROC axes confusion");
    REQUIRE(roc.size() == 3);
    int waiting = 0;
    for (long long id : roc) {
      const Json card =
          json_of(run_recall(db, {"--today", kDay, "card", std::to_string(id), "--json"}));
      const bool flagged = card["card"]["quality"] == "review";
      waiting += flagged;
      CHECK(card["history"].size() == (flagged ? 0U : 1U));
    }
    CHECK(waiting > 0);
  }
  // Reviewed first (`recall approve`): every card of the gap on day one.
  TempDir dir;
  const std::string db = dir.file("r.db");
  import_fixture(db, kDay);
  const std::set<long long> roc = cards_of_gap(db, "ROC axes confusion");
  REQUIRE(roc.size() == 3);
  std::vector<std::string> approve = {"--today", kDay, "approve"};
  for (long long id : roc) approve.push_back(std::to_string(id));
  REQUIRE(run_recall(db, approve).exit_code == 0);
  REQUIRE(run_recall(db, {"--today", kDay, "review"}, grades).exit_code == 0);
  for (long long id : roc) {
    const Json card =
        json_of(run_recall(db, {"--today", kDay, "card", std::to_string(id), "--json"}));
    CHECK(card["history"].size() == 1);  // answered on day one (before: from day 10 on)
  }
}

// ---------------------------------------------------------------------------
// Item 4: the last mistake comes back with the card.

TEST_CASE("a failed card comes back with the learner's note on its mistake", "[loop][drill]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  import_tracker(store, fixture_tracker(), kStart, std::nullopt);
  store.set_setting("drafts", "drill");
  store.set_setting("new-per-day", "2");
  DrillSession session(store, kStart, [] { return std::string("t"); }, {});
  auto first = session.current(std::chrono::steady_clock::now());
  REQUIRE(first);
  CHECK_FALSE(first->last_mistake);
  const long long failed = first->card.id;
  session.answer(1, std::string("swapped the axes"));
  const auto second = session.current(std::chrono::steady_clock::now());  // the second new card
  REQUIRE(second);
  CHECK(second->phase == Phase::kNew);
  session.answer(4, std::nullopt);
  auto redrill = session.current(std::chrono::steady_clock::now());
  REQUIRE(redrill);
  CHECK(redrill->phase == Phase::kRedrill);
  CHECK(redrill->card.id == failed);
  CHECK(redrill->last_mistake == std::optional<std::string>("swapped the axes"));
  session.answer(4, std::nullopt);
  // Tomorrow it is due again, note and all; once passed, the note is gone.
  const auto next = next_card(store, kStart + 1, {});
  REQUIRE(next);
  CHECK(next->card.id == failed);
  CHECK(next->last_mistake == std::optional<std::string>("swapped the axes"));
  answer_card(store, {failed, 4, kStart + 1, "t", std::nullopt, AnswerSource::kLearner});
  CHECK_FALSE(last_mistake_note(store, failed));
}

TEST_CASE("the piped drill and next --json show the last mistake", "[loop][drill][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  import_fixture(db, kDay);
  recall::test::drill_drafts(db);
  REQUIRE(run_recall(db, {"config", "set", "new-per-day", "1"}).exit_code == 0);
  const auto drill = run_recall(db, {"--today", kDay, "review"}, "1 swapped the axes\nshow\n");
  REQUIRE(drill.exit_code == 0);
  const std::size_t round = drill.out.find("[redrill 1/1]");
  REQUIRE(round != std::string::npos);
  CHECK_THAT(drill.out.substr(round), Catch::Contains("last time: swapped the axes"));
  CHECK_THAT(drill.out.substr(0, round), !Catch::Contains("last time:"));
  const Json next = json_of(run_recall(db, {"--today", "2026-11-21", "next", "--json"}));
  CHECK(next["last_mistake"] == "swapped the axes");
}

// ---------------------------------------------------------------------------
// Item 6: no interval preview for an answer that moves no schedule.

TEST_CASE("the re-drill round previews no interval (engine, drill, next --json, MCP)",
          "[loop][drill][cli][mcp]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  import_fixture(db, kDay);
  recall::test::drill_drafts(db);
  REQUIRE(run_recall(db, {"config", "set", "new-per-day", "1"}).exit_code == 0);
  const auto drill = run_recall(db, {"--today", kDay, "review"}, "show\n1\nshow\n");
  REQUIRE(drill.exit_code == 0);
  const std::size_t round = drill.out.find("[redrill 1/1]");
  REQUIRE(round != std::string::npos);
  // The new card's reveal shows the intervals; the re-drill's says none moves.
  CHECK_THAT(drill.out.substr(0, round), Catch::Contains("4→1d"));
  CHECK_THAT(drill.out.substr(round),
             !Catch::Contains("→") && Catch::Contains("re-drill: no grade moves the schedule"));
  const Json next = json_of(run_recall(db, {"--today", kDay, "next", "--json"}));
  CHECK(next["phase"] == "redrill");
  CHECK(next["preview"] == Json::array());

  Store store(db);
  const long long id = next["card"]["id"].get<long long>();
  CHECK_FALSE(schedule_preview(store, *store.card(id), kStart));
  CHECK(schedule_preview(store, *store.card(id), kStart + 1));
  recall::mcp::RecallTools tools{store, [] { return kStart; },
                                 [] { return std::string("2026-11-20T09:00:00"); }};
  const auto presented = tools.call("next_card", Json::object());
  REQUIRE(presented);
  CHECK((*presented)["structuredContent"]["phase"] == "redrill");
  const auto revealed = tools.call("reveal_card", Json{{"card_id", id}});
  REQUIRE(revealed);
  CHECK((*revealed)["structuredContent"]["preview"] == Json::array());
}

// ---------------------------------------------------------------------------
// Item 5: plan tells the truth.

TEST_CASE("plan: tomorrow is what tomorrow's queue holds, not today's new cards again",
          "[loop][plan][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  import_fixture(db, kDay);
  REQUIRE(run_recall(db, {"config", "set", "interview-date", "2027-01-15"}).exit_code == 0);
  // About the plan, not drafts: a full day of 20 new cards, flagged or not.
  recall::test::drill_drafts(db);
  std::string grades;
  for (int i = 0; i < 20; ++i) grades += "4\n";
  REQUIRE(run_recall(db, {"--today", kDay, "review"}, grades).exit_code == 0);
  const Json plan = json_of(run_recall(db, {"--today", kDay, "plan", "--json"}));
  const Json due = json_of(run_recall(db, {"--today", "2026-11-21", "due", "--json"}));
  REQUIRE(plan["days"].size() >= 2);
  CHECK(plan["days"][0]["day"] == kDay);
  CHECK(plan["days"][0]["reviews"] == 0);  // today's queue is done
  CHECK(plan["days"][0]["new"] == 0);
  CHECK(plan["days"][1]["day"] == "2026-11-21");
  CHECK(plan["days"][1]["reviews"] == due["due"]);  // 20, not 20 + today's 20 again
  CHECK(plan["days"][1]["reviews"] == 20);
  CHECK(plan["days"][1]["new"] == due["new"]);
  // Nothing answered has lapsed: no domain is weak without evidence.
  CHECK(plan["weak"] == Json::array());
}

TEST_CASE("plan: reviews are projected up to the interview, weak domains need evidence",
          "[loop][plan]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  import_tracker(store, fixture_tracker(), kStart, std::nullopt);
  const Day interview = kStart + 60;
  store.set_setting("interview-date", format_day(interview));
  // About the plan, not drafts: every card is drilled, the flagged ones too.
  store.set_setting("drafts", "drill");
  // Day one: nothing studied, so no domain is weak (all six were before).
  CHECK(load_plan(store, kStart).weak.empty());
  // Five days of passing answers.
  for (Day day = kStart; day < kStart + 5; ++day)
    for (const QueueItem& item : order_queue(gather_queue(store, day, {})).main)
      answer_card(store, {item.card_id, 4, day, "t", std::nullopt, AnswerSource::kLearner});
  const Plan plan = load_plan(store, kStart + 5);
  int late_reviews = 0;
  for (const PlanDay& row : plan.days)
    if (row.day >= interview - 21 && row.day < interview) late_reviews += row.reviews;
  CHECK(late_reviews > 0);  // was 0: only the current due days were counted
  CHECK(plan.until == interview);
  CHECK(plan.days.back().day == interview);
  CHECK(plan.weak.empty());  // every answer passed

  // A domain whose answers keep failing is weak.
  const Queue queue = order_queue(gather_queue(store, kStart + 5, {}));
  for (const QueueItem& item : queue.main)
    answer_card(store, {item.card_id, 1, kStart + 5, "t", std::nullopt, AnswerSource::kLearner});
  const Plan failing = load_plan(store, kStart + 5);
  CHECK_FALSE(failing.weak.empty());
  for (const DomainStats& d : failing.weak) {
    CHECK(d.counts.answers_30d >= kWeakMinAnswers);
    CHECK(*d.retention < kWeakRetention);
  }
}

TEST_CASE("plan output is bounded whatever the interview date (issue 22)", "[loop][plan][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  import_fixture(db, kDay);
  REQUIRE(run_recall(db, {"config", "set", "interview-date", "9999-12-31"}).exit_code == 0);
  const auto text = run_recall(db, {"--today", kDay, "plan"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.size() < 20000);  // was 256 MB
  CHECK_THAT(text.out, Catch::Contains("the weeks after it are not projected"));
  const auto json = run_recall(db, {"--today", kDay, "plan", "--json"});
  CHECK(json.out.size() < 10000);  // was 119 MB
  const Json plan = json_of(json);
  CHECK(plan["interview"] == "9999-12-31");
  CHECK(plan["until"] == "2027-11-20");
  CHECK(plan["days"].size() <= kPlanDailyDays + 1 + kPlanHorizonDays / 7);
  CHECK(plan["days"][kPlanDailyDays]["days"] == 7);  // weeks past the daily rows
  CHECK_FALSE(plan["days"][kPlanDailyDays - 1].contains("days"));
  // The MCP plan tool answers the same bounded plan.
  Store store(db);
  recall::mcp::RecallTools tools{store, [] { return kStart; },
                                 [] { return std::string("2026-11-20T09:00:00"); }};
  const auto mcp = tools.call("plan", Json::object());
  REQUIRE(mcp);
  CHECK(mcp->dump().size() < 25000);
}

// 30 days of the fixture answered by a seeded learner whose true memory is
// FSRS-6, with lapses and notes: after each day's drill, the plan's tomorrow
// is tomorrow's queue within a card (the helper the long-run simulation calls).
TEST_CASE("plan's tomorrow equals tomorrow's queue every day for 30 days", "[loop][plan][sim]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  import_tracker(store, fixture_tracker(), kStart, std::nullopt);
  store.set_setting("interview-date", format_day(kStart + 45));
  // About the plan against the queue, not drafts: every card is drilled, the
  // flagged ones too, for a month's worth of answers.
  store.set_setting("drafts", "drill");
  fsrs::sim::Rng rng(23);
  const fsrs::Parameters& truth = fsrs::sim::kTruth;
  std::map<long long, std::pair<fsrs::MemoryState, Day>> memory;
  int lapses = 0, answers = 0;
  for (Day day = kStart; day < kStart + 30; ++day) {
    // A morning check as well: the plan's tomorrow is what tomorrow's queue
    // would hold if nothing else were answered today.
    if (day % 3 == 0) {
      const auto morning = plan_tomorrow(store, day);
      REQUIRE(morning);
      CHECK(std::abs(morning->planned_reviews - morning->queued_reviews) <= 1);
    }
    for (int round = 0; round < 200; ++round) {
      const auto head = next_card(store, day, {});
      if (!head) break;
      const long long id = head->card.id;
      const auto found = memory.find(id);
      const double r = found == memory.end()
                           ? 0.6
                           : fsrs::retrievability(day - found->second.second,
                                                  found->second.first.stability, truth);
      const bool redrill = head->item.phase == Phase::kRedrill;
      const int grade = redrill ? 4 : rng.uniform() < r ? 3 + rng.below(3) : rng.below(3);
      std::optional<std::string> note;
      if (grade < kPassingGrade && rng.below(2) == 0) note = "mixed it up";
      answer_card(store, {id, grade, day, "t", note,
                          redrill ? AnswerSource::kRedrillRound : AnswerSource::kLearner});
      ++answers;
      if (grade < kPassingGrade) ++lapses;
      const auto rating = fsrs::rating_of_grade(grade);
      if (found == memory.end())
        memory[id] = {fsrs::initial_state(rating, truth), day};
      else if (!redrill)
        found->second = {
            fsrs::next_state(found->second.first, rating, day - found->second.second, truth), day};
    }
    const auto check = plan_tomorrow(store, day);
    REQUIRE(check);
    INFO("day " << format_day(day) << ": planned " << check->planned_reviews << " reviews, "
                << check->queued_reviews << " in tomorrow's queue");
    CHECK(std::abs(check->planned_reviews - check->queued_reviews) <= 1);
    CHECK(check->planned_new == check->queued_new);
  }
  CHECK(lapses > 0);
  CHECK(answers > 300);
}

// The recurring gap keeps the lead after day one: once its cards fail, they
// come back first among the day's reviews, before cards failed earlier and
// more overdue, and before the failed cards of gaps the tracker does not call
// recurring.
TEST_CASE("a recurring gap's failed cards lead the review queue later", "[loop][queue]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  import_tracker(store, fixture_tracker(), kStart, std::nullopt);
  // A test of the queue's order, not of drafts: flagged cards are drilled
  // too (drafts = drill, as a learner without a tutor would set it).
  store.set_setting("drafts", "drill");
  std::set<long long> roc;
  for (const GapRow& gap : store.gaps()) {
    if (!gap.recurring || gap.tier == GapTier::kResolved) continue;
    roc.insert(gap.card_ids.begin(), gap.card_ids.end());
    for (const Card& card : store.cards(std::nullopt, false))
      if (card.source == gap.text) roc.insert(card.id);
  }
  REQUIRE(roc.size() == 3);
  // Day one: every card of the recurring gap is shown; the learner passes
  // them and fails everything else (other gaps' cards among them).
  const Queue day_one = order_queue(gather_queue(store, kStart, {}));
  REQUIRE(day_one.main.size() == 20);
  std::set<long long> shown;
  for (const QueueItem& item : day_one.main) shown.insert(item.card_id);
  for (long long id : roc) CHECK(shown.count(id) == 1);
  for (const QueueItem& item : day_one.main)
    answer_card(store, {item.card_id, roc.count(item.card_id) ? 4 : 1, kStart, "t", std::nullopt,
                        AnswerSource::kLearner});
  // Day two: the learner fails the recurring gap's cards (due again on day
  // three) and leaves the rest, due since day two, unanswered.
  for (long long id : roc)
    answer_card(store, {id, 1, kStart + 1, "t", std::nullopt, AnswerSource::kLearner});
  // Day six: 20 reviews are due, 17 of them overdue since day two; the three
  // failed cards of the recurring gap lead, even with room for three reviews.
  store.set_setting("new-per-day", "0");
  for (const char* room : {"100", "3"}) {
    store.set_setting("reviews-per-day", room);
    const QueueInputs inputs = gather_queue(store, kStart + 5, {});
    const Queue queue = order_queue(inputs);
    INFO("reviews-per-day " << room);
    REQUIRE(queue.main.size() >= 3);
    CHECK(queue.reviews_total == (std::string(room) == "3" ? 3 : 20));
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(queue.main[i].phase == Phase::kReview);
      CHECK(roc.count(queue.main[i].card_id) == 1);
    }
  }
}
