// The scheduler interface (recall/scheduler.h): SM-2 exactly as before, FSRS
// due days from the replayed log with SM-2's fields kept, and the queue key.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "recall/error.h"
#include "recall/scheduler.h"

using namespace recall;

namespace {

// SM-2 states reached by answering `grades` from a new card, one answer a
// day; every prefix, with the day after it, is a state to test from.
struct Start {
  Sm2State state;
  fsrs::ReviewLog log;
  Day day = 0;
};

// Deterministic plans: grades 0..5 and gaps 0..40 days (0: a same-day answer).
std::vector<Start> starts() {
  std::mt19937 rng(20261201);
  std::vector<Start> out;
  for (int plan = 0; plan < 60; ++plan) {
    Start s;
    s.day = 1000 + static_cast<Day>(rng() % 50);
    out.push_back(s);
    const int length = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < length; ++i) {
      const int grade = static_cast<int>(rng() % 6);
      s.state = next_state(s.state, grade, s.day);
      s.log.push_back({s.day, grade});
      s.day += static_cast<Day>(rng() % 41);
      out.push_back(s);
    }
  }
  return out;
}

fsrs::ReviewLog with_answer(fsrs::ReviewLog log, Day day, int grade) {
  log.push_back({day, grade});
  return log;
}

}  // namespace

TEST_CASE("the scheduler setting's spellings", "[scheduler]") {
  CHECK(to_string(SchedulerKind::kSm2) == "sm2");
  CHECK(to_string(SchedulerKind::kFsrs) == "fsrs");
  CHECK(parse_scheduler("sm2") == SchedulerKind::kSm2);
  CHECK(parse_scheduler("fsrs") == SchedulerKind::kFsrs);
  CHECK_FALSE(parse_scheduler("SM2"));
  CHECK_FALSE(parse_scheduler("fsrs "));
  CHECK_FALSE(parse_scheduler(""));
  const SchedulerConfig config;
  CHECK(config.kind == SchedulerKind::kSm2);
  CHECK(config.desired_retention == 0.9);
  CHECK(config.parameters == fsrs::kDefaultParameters);
}

TEST_CASE("under sm2 next_states is SM-2's preview, whatever the log", "[scheduler]") {
  const SchedulerConfig config;
  int checked = 0;
  for (const Start& s : starts()) {
    CHECK(next_states(config, s.state, s.log, s.day) == preview(s.state, s.day));
    ++checked;
  }
  // Hand-made states too: the EF floor, the interval cap, lapses.
  for (int n : {0, 1, 2, 7})
    for (int ef : {1300, 1960, 2500, 3100})
      for (int interval : {0, 1, 6, 393, 36500})
        for (int lapses : {0, 3}) {
          const Sm2State state{n, ef, interval,
                               n == 0 && interval == 0 ? std::nullopt : std::optional<Day>(90),
                               lapses};
          CHECK(next_states(config, state, fsrs::ReviewLog{}, 100) == preview(state, 100));
          ++checked;
        }
  CHECK(checked > 300);
}

TEST_CASE("next_memory_states is the replay of the log with the answer", "[scheduler]") {
  for (const Start& s : starts()) {
    const auto states = next_memory_states(s.log, s.day, fsrs::kDefaultParameters);
    for (int grade = 0; grade <= 5; ++grade) {
      const auto replayed = fsrs::replay(with_answer(s.log, s.day, grade));
      REQUIRE(replayed);
      CHECK(states[grade] == *replayed);
    }
  }
}

TEST_CASE("under fsrs the due day is FSRS's interval, every other field SM-2's", "[scheduler]") {
  fsrs::Parameters other = fsrs::kDefaultParameters;
  other[0] = 0.5;  // a different first-Again stability, as a fit might give
  other[20] = 0.3;
  for (const double retention : {0.9, 0.8, 0.95}) {
    for (const fsrs::Parameters& w : {fsrs::kDefaultParameters, other}) {
      const SchedulerConfig config{SchedulerKind::kFsrs, retention, w};
      for (const Start& s : starts()) {
        const auto fsrs_states = next_states(config, s.state, s.log, s.day);
        const auto sm2_states = preview(s.state, s.day);
        for (int grade = 0; grade <= 5; ++grade) {
          INFO("grade " << grade << " retention " << retention << " log " << s.log.size());
          const Sm2State& got = fsrs_states[grade];
          const Sm2State& sm2 = sm2_states[grade];
          CHECK(got.repetitions == sm2.repetitions);
          CHECK(got.easiness_milli == sm2.easiness_milli);
          CHECK(got.interval_days == sm2.interval_days);
          CHECK(got.lapses == sm2.lapses);
          const auto memory = fsrs::replay(with_answer(s.log, s.day, grade), w);
          REQUIRE(memory);
          REQUIRE(got.due_day);
          CHECK(*got.due_day == s.day + fsrs::next_interval_days(memory->stability, retention, w));
          CHECK(*got.due_day >= s.day + 1);
        }
      }
    }
  }
}

TEST_CASE("under fsrs a failure takes FSRS's post-lapse interval, at least a day", "[scheduler]") {
  const SchedulerConfig config{SchedulerKind::kFsrs};
  // A first answer of Again: S = w0 = 0.212, so tomorrow.
  const auto first = next_states(config, Sm2State{}, fsrs::ReviewLog{}, 100);
  CHECK(*first[0].due_day == 101);
  CHECK(*first[2].due_day == 101);
  // A card remembered for months, then forgotten: FSRS keeps some stability.
  fsrs::ReviewLog log = {{0, 4}, {3, 4}, {15, 4}, {60, 4}, {200, 4}};
  Sm2State state;
  for (const auto& r : log) state = next_state(state, r.grade, r.day);
  const auto after = next_states(config, state, log, 600);
  const auto memory = fsrs::replay(with_answer(log, 600, 0));
  CHECK(*after[0].due_day == 600 + fsrs::next_interval_days(memory->stability, 0.9));
  CHECK(*after[0].due_day > 601);
  CHECK(after[0].interval_days == 1);  // SM-2's own value is kept as it is
  CHECK(after[0].lapses == state.lapses + 1);
}

TEST_CASE("answering under fsrs keeps SM-2's state exactly, so sm2 resumes losslessly",
          "[scheduler]") {
  std::mt19937 rng(7);
  const SchedulerConfig fsrs_config{SchedulerKind::kFsrs};
  const SchedulerConfig sm2_config;
  Sm2State under_fsrs, under_sm2;
  fsrs::ReviewLog log;
  Day day = 500;
  for (int i = 0; i < 200; ++i) {
    const int grade = static_cast<int>(rng() % 6);
    // Switch back and forth every 25 answers: SM-2's n, EF, I and lapses
    // never depend on which scheduler chose the due day.
    const SchedulerConfig& config = (i / 25) % 2 ? sm2_config : fsrs_config;
    under_fsrs = next_states(config, under_fsrs, log, day)[grade];
    under_sm2 = next_state(under_sm2, grade, day);
    log.push_back({day, grade});
    CHECK(under_fsrs.repetitions == under_sm2.repetitions);
    CHECK(under_fsrs.easiness_milli == under_sm2.easiness_milli);
    CHECK(under_fsrs.interval_days == under_sm2.interval_days);
    CHECK(under_fsrs.lapses == under_sm2.lapses);
    if (&config == &sm2_config) CHECK(under_fsrs == under_sm2);
    day = *under_fsrs.due_day + static_cast<Day>(rng() % 3);
  }
}

TEST_CASE("an fsrs preview dated before the card's last review counts as that day", "[scheduler]") {
  const SchedulerConfig config{SchedulerKind::kFsrs};
  const fsrs::ReviewLog log = {{10, 4}, {20, 4}};
  const Sm2State state = next_state(next_state(Sm2State{}, 4, 10), 4, 20);
  // Before issue 22 this threw "review 3 is dated before the review before
  // it" and bricked `next`; answering refuses such an answer (answering.h).
  const auto earlier = next_memory_states(log, 19, config.parameters);
  CHECK(earlier == next_memory_states(log, 20, config.parameters));
  CHECK_NOTHROW(next_states(config, state, log, 19));
  // SM-2 never reads the log: the same answer is scheduled as before.
  CHECK(next_states(SchedulerConfig{}, state, log, 19) == preview(state, 19));
}

TEST_CASE("under sm2 the queue key orders exactly as lower EF first", "[scheduler]") {
  std::vector<Sm2State> states;
  for (int ef = kMinEasinessMilli; ef <= 12000; ef += 20) states.push_back({3, ef, 10, 50, 0});
  for (std::size_t i = 0; i < states.size(); ++i)
    for (std::size_t j = 0; j < states.size(); ++j) {
      const int ri = queue_risk(SchedulerKind::kSm2, states[i]);
      const int rj = queue_risk(SchedulerKind::kSm2, states[j]);
      // Higher key first <=> lower EF first; equal keys <=> equal EF.
      CHECK((ri > rj) == (states[i].easiness_milli < states[j].easiness_milli));
      CHECK((ri == rj) == (states[i].easiness_milli == states[j].easiness_milli));
    }
  CHECK(queue_risk(SchedulerKind::kSm2, Sm2State{}) == 10000 - 2500);
  // Only EF counts: the FSRS state, if given, is ignored under sm2.
  CHECK(queue_risk(SchedulerKind::kSm2, Sm2State{}, fsrs::MemoryState{1, 5}) == 7500);
}

TEST_CASE("under fsrs the queue key puts lower stability first", "[scheduler]") {
  const Sm2State state{3, 2500, 10, 50, 0};
  const int low = queue_risk(SchedulerKind::kFsrs, state, fsrs::MemoryState{2.5, 5});
  const int high = queue_risk(SchedulerKind::kFsrs, state, fsrs::MemoryState{40.0, 5});
  CHECK(low > high);
  CHECK(low == 36500000 - 2500);
  CHECK(queue_risk(SchedulerKind::kFsrs, state, fsrs::MemoryState{fsrs::kMinStability, 9}) ==
        36500000 - 1);
  CHECK(queue_risk(SchedulerKind::kFsrs, state, fsrs::MemoryState{fsrs::kMaxStability, 1}) == 0);
  // Difficulty does not enter: R depends on S alone.
  CHECK(queue_risk(SchedulerKind::kFsrs, state, fsrs::MemoryState{2.5, 1}) == low);
  // A card without an FSRS state (never answered) has SM-2's key.
  CHECK(queue_risk(SchedulerKind::kFsrs, state) == queue_risk(SchedulerKind::kSm2, state));
}
