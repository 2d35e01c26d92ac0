// Issue 22, finding 1: a card's review log never goes back in day. An
// answer dated before the card's latest is refused for every caller; a
// rollover-hour change never moves the study day back; every replay reads a
// log that already goes back (written by an older recall) without failing;
// `recall check` reports such a log and `recall check --repair` mends it
// without losing an answer.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "mcp/tools.h"
#include "recall/answering.h"
#include "recall/check.h"
#include "recall/error.h"
#include "recall/fsrs.h"
#include "recall/memory.h"
#include "recall/sm2.h"
#include "recall/stats.h"
#include "recall/store.h"
#include "recall/study.h"
#include "support.h"

using namespace recall;
using recall::test::run_recall;
using recall::test::TempDir;

namespace {

const Day kStart = *parse_day("2026-03-01");

long long first_card(const std::string& db) {
  Store store(db);
  return store.cards(std::nullopt, false).at(0).id;
}

// (id, day, grade) of card `id`'s answers, in id order.
std::vector<std::tuple<long long, Day, int>> rows_of(const std::string& db, long long id) {
  SQLite::Database raw(db, SQLite::OPEN_READONLY);
  SQLite::Statement s(raw, "SELECT id, day, grade FROM reviews WHERE card_id = ? ORDER BY id");
  s.bind(1, static_cast<int64_t>(id));
  std::vector<std::tuple<long long, Day, int>> rows;
  while (s.executeStep())
    rows.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getInt(), s.getColumn(2).getInt());
  return rows;
}

// What a recall before this rule wrote for an answer on `day`, before the
// card's latest answer: the row chained from the card's state, the card
// moved. (SQL, as that recall did, since today's refuses it.)
void plant_backdated_answer(const std::string& db, long long id, int grade, Day day) {
  Sm2State before;
  int risk = 0;
  {
    Store store(db);
    const Card card = *store.card(id);
    before = card.state;
    risk = card.risk;
  }
  const Sm2State after = next_state(before, grade, day);
  const int after_risk = queue_risk(SchedulerKind::kSm2, after);
  SQLite::Database raw(db, SQLite::OPEN_READWRITE);
  SQLite::Statement insert(
      raw,
      "INSERT INTO reviews(card_id, day, answered_at, grade, kind, before_repetitions, "
      "before_easiness, before_interval, before_due, before_lapses, after_repetitions, "
      "after_easiness, after_interval, after_due, after_lapses, before_risk, after_risk) VALUES "
      "(?, ?, 't', ?, 'review', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int i = 1;
  insert.bind(i++, static_cast<int64_t>(id));
  insert.bind(i++, day);
  insert.bind(i++, grade);
  for (const Sm2State* s : std::vector<const Sm2State*>{&before, &after}) {
    insert.bind(i++, s->repetitions);
    insert.bind(i++, s->easiness_milli);
    insert.bind(i++, s->interval_days);
    if (s->due_day)
      insert.bind(i++, *s->due_day);
    else
      insert.bind(i++);
    insert.bind(i++, s->lapses);
  }
  insert.bind(i++, risk);
  insert.bind(i++, after_risk);
  insert.exec();
  SQLite::Statement card(raw,
                         "UPDATE cards SET repetitions = ?, easiness = ?, interval_days = ?, "
                         "due_day = ?, lapses = ?, risk = ? WHERE id = ?");
  card.bind(1, after.repetitions);
  card.bind(2, after.easiness_milli);
  card.bind(3, after.interval_days);
  card.bind(4, *after.due_day);
  card.bind(5, after.lapses);
  card.bind(6, after_risk);
  card.bind(7, static_cast<int64_t>(id));
  card.exec();
}

// A database in the state the issue found: card `id` answered on kStart+10,
// then on kStart+9 (an older recall accepted it), then again on kStart+12.
std::string bricked(const TempDir& dir, long long& id) {
  const std::string db = test::imported_fixture(dir, format_day(kStart));
  id = first_card(db);
  {
    Store store(db);
    answer_card(store, {id, 4, kStart + 10, "t", std::nullopt});
  }
  plant_backdated_answer(db, id, 4, kStart + 9);
  {
    Store store(db);
    answer_card(store, {id, 2, kStart + 12, "t", std::nullopt});
  }
  return db;
}

}  // namespace

TEST_CASE("an answer dated before the card's latest is refused, whoever gives it", "[log-order]") {
  TempDir dir;
  const std::string db = test::imported_fixture(dir, format_day(kStart));
  const long long id = first_card(db);
  Store store(db);
  answer_card(store, {id, 4, kStart + 10, "t", std::nullopt});
  const Card before = *store.card(id);
  auto refused = [&](auto&& answer) {
    try {
      answer();
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kData);
      CHECK(std::string(e.what()) ==
            "card " + std::to_string(id) +
                " was last answered on 2026-03-11; an answer dated 2026-03-06 would come before "
                "it: answer it on 2026-03-11 or later (check --today, the clock and "
                "rollover-hour)");
    }
  };
  refused([&] { answer_card(store, {id, 4, kStart + 5, "t", std::nullopt}); });
  refused([&] { record_observed_answer(store, id, 4, kStart + 5, "t", std::nullopt); });
  refused([&] {
    answer_card(store, {id, 4, kStart + 5, "t", std::nullopt, AnswerSource::kRedrillRound});
  });
  refused([&] {
    answer_card(store, id, 4, ReviewKind::kReview, kStart + 5, "t", std::nullopt, std::nullopt);
  });
  CHECK(rows_of(db, id).size() == 1);
  CHECK(store.card(id)->state == before.state);
  // The same day is a second answer that day: re-drill practice.
  CHECK(answer_card(store, {id, 4, kStart + 10, "t", std::nullopt}).kind == ReviewKind::kRedrill);

  // MCP: record_answer and grade_card come the same way.
  mcp::RecallTools tools(
      store, [] { return kStart + 5; }, [] { return std::string("t"); });
  const auto result = tools.call("record_answer", {{"card_id", id}, {"grade", 4}, {"note", ""}});
  REQUIRE(result);
  CHECK(result->value("isError", false));
  CHECK((*result)["content"][0]["text"].get<std::string>().find(
            "was last answered on 2026-03-11") != std::string::npos);

  // The real binary: one line, exit 1, nothing on stdout, nothing written.
  const auto cli = run_recall(db, {"--today", "2026-03-06", "answer", std::to_string(id), "4"});
  CHECK(cli.exit_code == 1);
  CHECK(cli.out.empty());
  CHECK(cli.err.find("was last answered on 2026-03-11; an answer dated 2026-03-06") !=
        std::string::npos);
  CHECK(std::count(cli.err.begin(), cli.err.end(), '\n') == 1);
  CHECK(rows_of(db, id).size() == 2);
  CHECK(store.check().ok());
}

TEST_CASE("a rollover-hour change takes effect from the next study day", "[log-order]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  // An instant whose local hour is below 23, so hour + 1 is a valid rollover
  // that puts the instant on the day before.
  auto now = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 20500 + 12);
  int hour = -1;
  for (int tries = 0; tries < 3 && hour < 0; ++tries, now += std::chrono::hours(6)) {
    for (int h = 0; h < 23; ++h)
      if (local_day(now, h) == local_day(now, 0) && local_day(now, h + 1) < local_day(now, 0)) {
        hour = h;
        break;
      }
  }
  now -= std::chrono::hours(6);
  REQUIRE(hour >= 0);
  const Day in_force = study_day(store, now);
  CHECK(set_config(store, "rollover-hour", std::to_string(hour + 1), now) ==
        std::to_string(hour + 1));
  // Before: the study day went back to the day before.
  CHECK(study_day(store, now) == in_force);
  // An hour later the day is still the one in force; the next study day
  // starts at the new hour of the next day.
  CHECK(study_day(store, now + std::chrono::hours(1)) == in_force);
  CHECK(study_day(store, now + std::chrono::hours(24)) == in_force);
  CHECK(study_day(store, now + std::chrono::hours(26)) == in_force + 1);
  // Unsetting it goes back to 4 a.m., again from the next study day.
  unset_config(store, "rollover-hour", now);
  CHECK(study_day(store, now) == in_force);
  CHECK(store.setting("rollover-hour") == std::nullopt);
}

TEST_CASE("the issue's steps: a rollover change in the middle of a day breaks nothing",
          "[log-order][cli]") {
  TempDir dir;
  const std::string db = test::imported_fixture(dir, format_day(kStart));
  const long long id = first_card(db);
  const auto now = std::chrono::system_clock::now();
  const std::string stamp = local_timestamp(now);  // YYYY-MM-DDTHH:MM:SS
  const int hour = std::stoi(stamp.substr(11, 2));
  if (hour >= 22) {
    WARN("the local hour is " << hour << ": no later rollover hour to set; skipped");
    return;
  }
  REQUIRE(run_recall(db, {"answer", std::to_string(id), "4"}).exit_code == 0);
  REQUIRE(run_recall(db, {"config", "set", "interview-date", format_day(local_day(now, 4) + 60)})
              .exit_code == 0);
  REQUIRE(run_recall(db, {"config", "set", "rollover-hour", std::to_string(hour + 1)}).exit_code ==
          0);
  const auto again = run_recall(db, {"answer", std::to_string(id), "4"});
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
  const auto rows = rows_of(db, id);
  REQUIRE(rows.size() == 2);
  CHECK(std::get<1>(rows[1]) == std::get<1>(rows[0]));  // the same study day: practice
  const std::vector<std::vector<std::string>> commands = {
      {"stats"}, {"plan"}, {"card", std::to_string(id)}, {"check"}};
  for (const auto& command : commands) {
    const auto result = run_recall(db, command);
    INFO(command[0] << ": " << result.err);
    CHECK(result.exit_code == 0);
  }
}

TEST_CASE("no replay fails on a log that goes back in day", "[log-order][cli]") {
  TempDir dir;
  long long id = 0;
  const std::string db = bricked(dir, id);
  REQUIRE(run_recall(db, {"config", "set", "interview-date", format_day(kStart + 60)}).exit_code ==
          0);
  for (const char* scheduler : {"sm2", "fsrs"}) {
    INFO("scheduler " << scheduler);
    REQUIRE(run_recall(db, {"config", "set", "scheduler", scheduler}).exit_code == 0);
    const std::vector<std::vector<std::string>> commands = {{"stats"},
                                                            {"plan"},
                                                            {"card", std::to_string(id)},
                                                            {"card", std::to_string(id), "--json"},
                                                            {"optimize"},
                                                            {"next"},
                                                            {"due"},
                                                            {"report", "-o", dir.file("r.html")},
                                                            {"brief"},
                                                            {"review"}};
    for (const auto& command : commands) {
      std::vector<std::string> args = {"--today", format_day(kStart + 20)};
      args.insert(args.end(), command.begin(), command.end());
      const auto run = run_recall(db, args);
      INFO(command[0] << ": " << run.out << run.err);
      CHECK(run.err.find("dated before") == std::string::npos);
      CHECK(run.exit_code == 0);
    }
    Store store(db);
    // The engine's replays read it by day, then id.
    const auto log = store.memory_log(id);
    REQUIRE(log.size() == 3);
    CHECK(log[0].day == kStart + 9);
    CHECK(log[1].day == kStart + 10);
    CHECK(load_card_memory(store, id, kStart + 20).has_value());
    CHECK_NOTHROW(load_predicted_recall(store, kStart + 20, kStart + 40));
    // The card's next answer, under either scheduler.
    CHECK_NOTHROW(answer_outcomes(store, *store.card(id), kStart + 20));
  }
}

TEST_CASE("an FSRS-6 replay of a log that goes back in day names a bad grade, not the day",
          "[log-order]") {
  // Days are counted with elapsed_days, so only the grade can fail (fsrs.h).
  const fsrs::ReviewLog log = {{kStart + 10, 4}, {kStart + 9, 3}, {kStart + 11, 7}};
  CHECK_THROWS_WITH(fsrs::replay_states(log), "review log: review 3 has grade 7 (0..5 expected)");
  CHECK(fsrs::replay_states(fsrs::ReviewLog(log.begin(), log.end() - 1)).size() == 2);
}

TEST_CASE("check reports a log that goes back in day, check --repair mends it, losing no answer",
          "[log-order][cli]") {
  TempDir dir;
  long long id = 0;
  const std::string db = bricked(dir, id);
  const auto before = rows_of(db, id);
  REQUIRE(before.size() == 3);

  const auto found = run_recall(db, {"check"});
  CHECK(found.exit_code == 1);
  CHECK(found.out.find(
            "order: card " + std::to_string(id) + ": review " +
            std::to_string(std::get<0>(before[1])) + " (2026-03-10) is dated before review " +
            std::to_string(std::get<0>(before[0])) + " (2026-03-11)") != std::string::npos);

  const auto repaired = run_recall(db, {"check", "--repair"});
  INFO(repaired.out << repaired.err);
  CHECK(repaired.exit_code == 0);
  CHECK(repaired.out.find("repaired 1 card: 1 answer re-dated") != std::string::npos);
  CHECK(repaired.out.find(": ok (") != std::string::npos);
  // The backup is the database before the repair.
  const auto at = repaired.out.find(db + ".before-repair-");
  REQUIRE(at != std::string::npos);
  const std::string backup = repaired.out.substr(at, repaired.out.find('\n', at) - at);
  REQUIRE(std::filesystem::exists(backup));
  CHECK(rows_of(backup, id) == before);

  // Every answer stays, under its id and grade; the re-dated one is on the
  // day of the answer before it, so the log runs forward.
  const auto after = rows_of(db, id);
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    CHECK(std::get<0>(after[i]) == std::get<0>(before[i]));
    CHECK(std::get<2>(after[i]) == std::get<2>(before[i]));
  }
  CHECK(std::get<1>(after[1]) == kStart + 10);
  Store store(db);
  const auto history = store.reviews_for_card(id);
  CHECK(history[1].kind == ReviewKind::kRedrill);  // a second answer that day
  CHECK(history[2].before == history[0].after);
  CHECK(store.card(id)->state == history[2].after);
  CHECK(store.check().ok());
  // Nothing left to repair: no second backup.
  const auto again = run_recall(db, {"check", "--repair"});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("nothing to repair") != std::string::npos);
}

TEST_CASE("the repair rule: re-dated answers become practice, later rows are re-chained",
          "[log-order][check]") {
  CardHistory history;
  history.card_id = 7;
  auto row = [&](long long id, Day day, int grade, const Sm2State& before) {
    ReviewLog log;
    log.id = id;
    log.card_id = 7;
    log.day = day;
    log.grade = grade;
    log.before = before;
    log.after = next_state(before, grade, day);
    log.before_risk = queue_risk(SchedulerKind::kSm2, before);
    log.after_risk = queue_risk(SchedulerKind::kSm2, log.after);
    return log;
  };
  const ReviewLog first = row(1, 100, 4, Sm2State{});
  const ReviewLog b = row(2, 95, 5, first.after);
  const ReviewLog c = row(3, 110, 3, b.after);
  history.reviews = {first, b, c};
  history.current = c.after;
  history.current_risk = c.after_risk;
  CHECK(order_problems(history).size() == 1);
  const auto repair = repair_log(history);
  REQUIRE(repair);
  CHECK(repair->redated == 1);
  REQUIRE(repair->rows.size() == 3);
  CHECK(repair->rows[0] == first);
  CHECK(repair->rows[1].day == 100);
  CHECK(repair->rows[1].kind == ReviewKind::kRedrill);
  CHECK(repair->rows[1].after == first.after);
  CHECK(repair->rows[2].before == first.after);
  CHECK(repair->rows[2].after == next_state(first.after, 3, 110));
  CHECK(repair->state == repair->rows[2].after);
  CardHistory mended = history;
  mended.reviews = repair->rows;
  mended.current = repair->state;
  mended.current_risk = repair->risk;
  CHECK(order_problems(mended).empty());
  CHECK(replay_card(mended, false).empty());
  CHECK(replay_risk(mended).empty());
  CHECK_FALSE(repair_log(mended));
}

TEST_CASE("no due day is saved past 9999-12-31", "[log-order][cli]") {
  TempDir dir;
  const std::string db = test::imported_fixture(dir, format_day(kStart));
  const long long id = first_card(db);
  // A new card answered 4 on the last day would fall due on 10000-01-01.
  const auto result = run_recall(db, {"--today", "9999-12-31", "answer", std::to_string(id), "4"});
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("10000") == std::string::npos);
  CHECK(result.err == "recall: card " + std::to_string(id) +
                          ": an answer on 9999-12-31 would fall due after 9999-12-31, the last "
                          "day recall supports; nothing was saved\n");
  CHECK(rows_of(db, id).empty());
  CHECK(kLastDay == *parse_day("9999-12-31"));
  CHECK_FALSE(parse_day(format_day(kLastDay + 1)));
}
