// The FSRS-6 memory kept with each card (issue 25, part 1): after every
// kind of write it equals the replay of the card's log under the parameters
// in force, and `recall check` finds one changed by hand.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "recall/answering.h"
#include "recall/check.h"
#include "recall/memory.h"
#include "recall/store.h"
#include "recall/study.h"
#include "support.h"

using namespace recall;
using recall::test::run_recall;
using recall::test::TempDir;

namespace {

const Day kStart = *parse_day("2026-03-02");

// Every card's kept memory against the replay of its log, and check clean.
void require_kept_equals_replay(Store& store) {
  const fsrs::Parameters w = fsrs_parameters(store);
  int studied = 0;
  for (const Card& card : store.cards(std::nullopt, true)) {
    const auto replayed = replay_kept_memory(store.memory_log(card.id), w);
    INFO("card " << card.id);
    REQUIRE(card.memory.has_value() == replayed.has_value());
    if (!replayed) continue;
    ++studied;
    CHECK(card.memory->day == replayed->day);
    CHECK(card.memory->state.stability == Approx(replayed->state.stability).epsilon(1e-12));
    CHECK(card.memory->state.difficulty == Approx(replayed->state.difficulty).epsilon(1e-12));
  }
  const CheckReport report = store.check();
  for (const auto& problem : report.problems) INFO(problem.area << ": " << problem.message);
  CHECK(report.ok());
  // The aggregate read agrees with the cards.
  CHECK(static_cast<int>(store.kept_memories().size()) == studied);
}

// Valid parameters that are not the defaults: w0..w3 (initial stability) doubled.
std::string other_parameters() {
  fsrs::Parameters w = fsrs::kDefaultParameters;
  for (int i = 0; i < 4; ++i) w[i] *= 2;
  REQUIRE(fsrs::clip_parameters(w) == w);
  return format_parameters(w);
}

}  // namespace

TEST_CASE("kept memory equals the replay after every kind of write", "[memory][store]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  Store store(db);
  import_file(store, test::fixture_path(), kStart);
  const auto cards = store.cards(std::nullopt, false);
  REQUIRE(cards.size() > 10);
  const long long a = cards[0].id, b = cards[1].id, c = cards[2].id;
  CHECK_FALSE(store.card(a)->memory);  // never answered
  require_kept_equals_replay(store);

  SECTION("answers, a re-drill, a tutor's answer, undo, a refused back-dated answer") {
    answer_card(store, {a, 4, kStart, "t", {}});
    answer_card(store, {a, 1, kStart + 3, "t", {}});
    answer_card(store, {a, 4, kStart + 3, "t", {}, AnswerSource::kRedrillRound});
    answer_card(store, {b, 5, kStart + 1, "t", {}, AnswerSource::kTutor});
    require_kept_equals_replay(store);
    const KeptMemory before_undo = *store.card(a)->memory;
    const ReviewLog last = answer_card(store, {a, 3, kStart + 9, "t", {}});
    CHECK(store.card(a)->memory->day == kStart + 9);
    CHECK(undo_answer(store, last.id).has_value());
    CHECK(store.card(a)->memory == before_undo);  // back to the replay of the rest
    require_kept_equals_replay(store);
    // The undo of a card's only answer leaves it never answered.
    const ReviewLog only = answer_card(store, {c, 2, kStart + 2, "t", {}});
    CHECK(store.card(c)->memory);
    CHECK(undo_last_answer(store).has_value());
    CHECK_FALSE(store.card(c)->memory);
    // An answer dated before the card's latest is refused and moves nothing.
    CHECK_THROWS(answer_card(store, {a, 4, kStart + 1, "t", {}}));
    CHECK(store.card(a)->memory == before_undo);
    require_kept_equals_replay(store);
    (void)only;
  }

  SECTION("the scheduler switched both ways, with an interview date in force") {
    answer_card(store, {a, 4, kStart, "t", {}});
    store.set_setting("scheduler", "fsrs");
    answer_card(store, {a, 3, kStart + 4, "t", {}});
    answer_card(store, {b, 4, kStart + 4, "t", {}});
    require_kept_equals_replay(store);
    store.set_setting("interview-date", format_day(kStart + 20));
    answer_card(store, {a, 5, kStart + 8, "t", {}});
    store.set_setting("scheduler", "sm2");
    answer_card(store, {b, 1, kStart + 9, "t", {}});
    require_kept_equals_replay(store);
  }

  SECTION("new parameters recompute every card in one write; unset restores the defaults") {
    answer_card(store, {a, 4, kStart, "t", {}});
    answer_card(store, {a, 4, kStart + 5, "t", {}});
    answer_card(store, {b, 2, kStart + 1, "t", {}});
    const KeptMemory defaults = *store.card(a)->memory;
    store.set_setting(kFsrsParametersSetting, other_parameters());
    CHECK(store.card(a)->memory->state.stability != Approx(defaults.state.stability));
    require_kept_equals_replay(store);
    answer_card(store, {b, 4, kStart + 6, "t", {}});
    require_kept_equals_replay(store);
    // Through the binary, as a user would. This Store, open all along, reads
    // what the other process committed: no call leaves a read snapshot open.
    REQUIRE(run_recall(db, {"config", "unset", kFsrsParametersSetting}).exit_code == 0);
    CHECK(store.card(a)->memory == defaults);
    require_kept_equals_replay(store);
  }

  SECTION("a re-import of the tracker changes no kept memory") {
    answer_card(store, {a, 4, kStart, "t", {}});
    const auto kept = store.card(a)->memory;
    import_file(store, test::fixture_path(), kStart + 1);
    CHECK(store.card(a)->memory == kept);
    require_kept_equals_replay(store);
  }
}

TEST_CASE("check finds kept memory changed by hand, and check --repair recomputes it",
          "[memory][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  long long id = 0;
  {
    Store store(db);
    id = store.add_card("q", "a", std::nullopt, kStart);
    answer_card(store, {id, 4, kStart, "t", {}});
    answer_card(store, {id, 3, kStart + 2, "t", {}});
  }
  REQUIRE(run_recall(db, {"check"}).exit_code == 0);
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE cards SET stability = stability * 3 WHERE id = " + std::to_string(id));
  }
  const auto found = run_recall(db, {"check", "--json"});
  CHECK(found.exit_code == 1);
  const auto report = nlohmann::json::parse(found.out);
  REQUIRE(report["problems"].size() == 1);
  CHECK(report["problems"][0]["area"] == "memory");
  CHECK(report["problems"][0]["card"] == id);
  CHECK_THAT(report["problems"][0]["message"].get<std::string>(),
             Catch::Contains("FSRS-6 memory kept as S "));
  // A card answered but kept as never answered is found too.
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE cards SET memory_day = NULL WHERE id = " + std::to_string(id));
  }
  CHECK_THAT(run_recall(db, {"check"}).out, Catch::Contains("kept as none"));

  const auto repaired = run_recall(db, {"check", "--repair"});
  CHECK(repaired.exit_code == 0);
  CHECK_THAT(repaired.out, Catch::Contains("recomputed the FSRS-6 memory kept with every card"));
  CHECK_THAT(repaired.out, Catch::Contains(".before-repair-"));
  CHECK(run_recall(db, {"check"}).exit_code == 0);
  Store store(db);
  CHECK(store.card(id)->memory ==
        replay_kept_memory(store.memory_log(id), fsrs::kDefaultParameters));
}

TEST_CASE("schema 9 -> 10: the upgrade fills every card's kept memory from its log",
          "[memory][store]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  std::vector<long long> ids;
  {
    Store store(db);
    for (int i = 0; i < 3; ++i) ids.push_back(store.add_card("q", "a", std::nullopt, kStart));
    answer_card(store, {ids[0], 4, kStart, "t", {}});
    answer_card(store, {ids[0], 1, kStart + 4, "t", {}});
    answer_card(store, {ids[0], 3, kStart + 4, "t", {}, AnswerSource::kRedrillRound});
    answer_card(store, {ids[1], 5, kStart + 1, "t", {}});
    store.set_setting(kFsrsParametersSetting, other_parameters());
  }
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec(recall::test::kUndoSchema11);
    raw.exec(recall::test::kUndoSchema10);
    raw.exec("PRAGMA user_version = 9");
  }
  Store store(db);
  CHECK(store.schema_version() == Store::kSchemaVersion);
  CHECK(store.card(ids[0])->memory);
  CHECK(store.card(ids[1])->memory);
  CHECK_FALSE(store.card(ids[2])->memory);
  require_kept_equals_replay(store);  // under the stored (not default) parameters
}

TEST_CASE("a re-drill reads no scheduling setting: a hand-broken one refuses reviews only",
          "[memory][store]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  Store store(db);
  const long long id = store.add_card("q", "a", std::nullopt, kStart);
  answer_card(store, {id, 1, kStart, "t", {}});
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO settings(key, value) VALUES ('scheduler', 'sm3')");
  }
  // The re-drill round's practice is saved, its kept memory with it.
  const ReviewLog redrill =
      answer_card(store, {id, 4, kStart, "t", {}, AnswerSource::kRedrillRound});
  CHECK(redrill.kind == ReviewKind::kRedrill);
  CHECK(store.card(id)->memory ==
        replay_kept_memory(store.memory_log(id), fsrs::kDefaultParameters));
  // A review needs the scheduler: refused with what to do, nothing written.
  CHECK_THROWS_WITH(answer_card(store, {id, 4, kStart + 3, "t", {}}),
                    Catch::Contains("setting scheduler: stored value 'sm3'"));
  CHECK(store.reviews_for_card(id).size() == 2);
}
