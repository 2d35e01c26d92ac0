// SM-2 against a table of hand-checked steps (each checked with exact
// fractions, rounding half up, EF floor 1.3, interval cap 36,500 days).
#include <catch2/catch.hpp>

#include "recall/sm2.h"

using recall::Sm2State;

namespace {

struct Step {
  int n, ef, interval, lapses, grade;
  int want_n, want_ef, want_interval, want_lapses;
};

// Day 100 is "today" for every step; due = 100 + interval.
constexpr recall::Day kToday = 100;

const Step kSteps[] = {
    {0, 2500, 0, 0, 5, 1, 2600, 1, 0},           {1, 2600, 1, 0, 5, 2, 2700, 6, 0},
    {2, 2700, 6, 0, 5, 3, 2800, 16, 0},          {3, 2800, 16, 0, 5, 4, 2900, 45, 0},
    {4, 2900, 45, 0, 5, 5, 3000, 131, 0},        {5, 3000, 131, 0, 5, 6, 3100, 393, 0},
    {0, 2500, 0, 0, 0, 0, 1700, 1, 0},           {0, 1700, 1, 0, 0, 0, 1300, 1, 0},
    {0, 1300, 1, 0, 0, 0, 1300, 1, 0},           {0, 2500, 0, 0, 4, 1, 2500, 1, 0},
    {1, 2500, 1, 0, 4, 2, 2500, 6, 0},           {2, 2500, 6, 0, 4, 3, 2500, 15, 0},
    {3, 2500, 15, 0, 4, 4, 2500, 38, 0},         {4, 2500, 38, 0, 4, 5, 2500, 95, 0},
    {0, 2500, 0, 0, 3, 1, 2360, 1, 0},           {1, 2360, 1, 0, 3, 2, 2220, 6, 0},
    {2, 2220, 6, 0, 3, 3, 2080, 13, 0},          {3, 2080, 13, 0, 3, 4, 1940, 27, 0},
    {4, 1940, 27, 0, 2, 0, 1620, 1, 1},          {3, 2500, 15, 0, 1, 0, 1960, 1, 1},
    {6, 3100, 393, 0, 0, 0, 2300, 1, 1},         {5, 2500, 95, 2, 2, 0, 2180, 1, 3},
    {0, 2300, 1, 1, 4, 1, 2300, 1, 1},           {1, 2300, 1, 1, 5, 2, 2400, 6, 1},
    {2, 2400, 6, 1, 5, 3, 2500, 14, 1},          {2, 1300, 6, 0, 3, 3, 1300, 8, 0},
    {3, 1300, 8, 0, 3, 4, 1300, 10, 0},          {4, 1300, 10, 0, 5, 5, 1400, 13, 0},
    {1, 1400, 1, 0, 2, 0, 1300, 1, 1},           {0, 1300, 1, 1, 1, 0, 1300, 1, 1},
    {2, 2500, 5, 0, 4, 3, 2500, 13, 0},          {2, 1500, 3, 0, 4, 3, 1500, 5, 0},
    {2, 1700, 5, 0, 5, 3, 1800, 9, 0},           {2, 2300, 5, 0, 3, 3, 2160, 12, 0},
    {2, 2500, 6, 0, 3, 3, 2360, 15, 0},          {2, 2500, 6, 0, 2, 0, 2180, 1, 1},
    {1, 2500, 1, 0, 3, 2, 2360, 6, 0},           {1, 2500, 1, 0, 2, 0, 2180, 1, 1},
    {10, 3000, 20000, 0, 5, 11, 3100, 36500, 0}, {11, 3100, 36500, 0, 4, 12, 3100, 36500, 0},
    {0, 2500, 0, 0, 2, 0, 2180, 1, 0},           {0, 2500, 0, 0, 1, 0, 1960, 1, 0},
    {3, 2800, 16, 0, 3, 4, 2660, 45, 0},         {4, 2660, 45, 0, 4, 5, 2660, 120, 0},
    {5, 2660, 120, 0, 0, 0, 1860, 1, 1},         {2, 2600, 6, 0, 5, 3, 2700, 16, 0},
    {2, 2360, 6, 0, 4, 3, 2360, 14, 0}};

}  // namespace

TEST_CASE("SM-2 matches the hand-checked table step by step", "[sm2]") {
  for (const Step& s : kSteps) {
    Sm2State before{s.n, s.ef, s.interval,
                    s.n == 0 && s.interval == 0 ? std::nullopt : std::optional<recall::Day>(90),
                    s.lapses};
    const Sm2State after = recall::next_state(before, s.grade, kToday);
    INFO("from n=" << s.n << " ef=" << s.ef << " I=" << s.interval << " grade " << s.grade);
    CHECK(after.repetitions == s.want_n);
    CHECK(after.easiness_milli == s.want_ef);
    CHECK(after.interval_days == s.want_interval);
    CHECK(after.lapses == s.want_lapses);
    REQUIRE(after.due_day.has_value());
    CHECK(*after.due_day == kToday + s.want_interval);
  }
}

TEST_CASE("a new card starts at n=0, EF 2.50, interval 0 and is not due", "[sm2]") {
  const Sm2State fresh;
  CHECK(fresh.repetitions == 0);
  CHECK(fresh.easiness_milli == 2500);
  CHECK(fresh.interval_days == 0);
  CHECK(fresh.is_new());
}

TEST_CASE("a long run of 5s grows the interval and never passes the cap", "[sm2]") {
  Sm2State state;
  recall::Day day = 0;
  int previous = 0;
  for (int i = 0; i < 40; ++i) {
    state = recall::next_state(state, 5, day);
    CHECK(state.interval_days >= previous);
    CHECK(state.interval_days <= recall::kMaxIntervalDays);
    previous = state.interval_days;
    day = *state.due_day;
  }
  CHECK(state.interval_days == recall::kMaxIntervalDays);
  CHECK(state.repetitions == 40);
}

TEST_CASE("a long run of 0s holds EF at the 1.3 floor and the interval at 1 day", "[sm2]") {
  Sm2State state = recall::next_state(Sm2State{}, 5, 0);
  for (int i = 0; i < 20; ++i) state = recall::next_state(state, 0, i + 1);
  CHECK(state.easiness_milli == recall::kMinEasinessMilli);
  CHECK(state.interval_days == 1);
  CHECK(state.repetitions == 0);
  CHECK(state.lapses == 1);  // only the first failure ended a learned run
}

TEST_CASE("preview shows what every grade would schedule", "[sm2]") {
  const Sm2State state{2, 2500, 6, 50, 0};
  const auto all = recall::preview(state, 56);
  CHECK(all[0].interval_days == 1);
  CHECK(all[2].interval_days == 1);
  CHECK(all[3].interval_days == 15);
  CHECK(all[4].interval_days == 15);
  CHECK(all[5].interval_days == 15);
  CHECK(*all[5].due_day == 71);
  CHECK(all[5].easiness_milli == 2600);
}

TEST_CASE("EF is shown with two decimals", "[sm2]") {
  CHECK(recall::format_easiness(2500) == "2.50");
  CHECK(recall::format_easiness(2360) == "2.36");
  CHECK(recall::format_easiness(1300) == "1.30");
  CHECK(recall::format_easiness(3100) == "3.10");
}
