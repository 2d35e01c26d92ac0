// FSRS-6 against ts-fsrs: tests/data/fsrs/vectors.json (README.md there says
// how it is made) replayed through recall::fsrs, plus the model's own rules.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "recall/fsrs.h"

namespace fsrs = recall::fsrs;

namespace {

constexpr double kRelative = 1e-6;

bool close(double got, double want) { return std::fabs(got - want) <= kRelative * std::fabs(want); }

nlohmann::json load_vectors() {
  const std::string path = std::string(RECALL_SOURCE_DIR) + "/tests/data/fsrs/vectors.json";
  std::ifstream in(path);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

fsrs::Parameters parameters_of(const nlohmann::json& list) {
  REQUIRE(list.size() == fsrs::kParameterCount);
  fsrs::Parameters w{};
  for (int i = 0; i < fsrs::kParameterCount; ++i) w[i] = list[i].get<double>();
  return w;
}

// One mismatch, said so that a failure names the plan and the step.
struct Mismatch {
  std::size_t plan, step;
  std::string what;
  double got, want;
};

std::string describe(const Mismatch& m) {
  char text[200];
  std::snprintf(text, sizeof text, "plan %zu step %zu %s: got %.12g want %.12g", m.plan, m.step,
                m.what.c_str(), m.got, m.want);
  return text;
}

}  // namespace

TEST_CASE("fsrs: every step of the ts-fsrs vectors matches to 1e-6 relative", "[fsrs]") {
  const nlohmann::json vectors = load_vectors();
  std::vector<fsrs::Parameters> sets;
  for (const auto& list : vectors.at("parameter_sets")) sets.push_back(parameters_of(list));
  REQUIRE(sets.front() == fsrs::kDefaultParameters);

  std::vector<Mismatch> mismatches;
  std::size_t checked = 0, same_day = 0, long_gaps = 0;
  const auto& plans = vectors.at("plans");
  for (std::size_t p = 0; p < plans.size(); ++p) {
    const auto& plan = plans[p];
    const fsrs::Parameters& w = sets.at(plan.at("parameter_set").get<std::size_t>());
    const double retention = plan.at("retention").get<double>();
    fsrs::ReviewLog log;
    fsrs::MemoryState state;
    const auto& steps = plan.at("steps");
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const auto& step = steps[k];
      const fsrs::Review review{step[0].get<recall::Day>(), step[1].get<int>()};
      const fsrs::Rating rating = fsrs::rating_of_grade(review.grade);
      auto check = [&](const char* what, double got, double want) {
        if (!close(got, want)) mismatches.push_back({p, k, what, got, want});
      };
      if (k == 0) {
        state = fsrs::initial_state(rating, w);
      } else {
        const int elapsed = review.day - log.back().day;
        same_day += elapsed == 0;
        long_gaps += elapsed > 365;
        check("R", fsrs::retrievability(elapsed, state.stability, w), step[2].get<double>());
        state = fsrs::next_state(state, rating, elapsed, w);
      }
      check("S", state.stability, step[3].get<double>());
      check("D", state.difficulty, step[4].get<double>());
      const int interval = fsrs::next_interval_days(state.stability, retention, w);
      if (interval != step[5].get<int>()) {
        mismatches.push_back({p, k, "interval", double(interval), step[5].get<double>()});
      }
      log.push_back(review);
      ++checked;
    }
    // The whole-log replay is the same walk.
    const auto replayed = fsrs::replay(log, w);
    REQUIRE(replayed.has_value());
    CHECK(*replayed == state);
  }
  for (std::size_t i = 0; i < mismatches.size() && i < 10; ++i)
    UNSCOPED_INFO(describe(mismatches[i]));
  CHECK(mismatches.empty());
  // The vectors cover what they claim to.
  CHECK(plans.size() >= 300);
  CHECK(same_day >= 500);
  CHECK(long_gaps >= 100);
  INFO(checked << " reviews checked");
  CHECK(checked >= 5000);
}

// Hand-checked values from fsrs-rs's own unit tests (src/model.rs, f32, so
// compared to 1e-5): the model's pieces one by one.
TEST_CASE("fsrs: the forgetting curve, R(S, S) = 0.9 and the interval inverts it", "[fsrs]") {
  const std::pair<double, double> ts[] = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 4}, {5, 2}};
  const double want[] = {1.0, 0.9403443, 0.9253786, 0.9185229, 0.9, 0.8261359};
  for (int i = 0; i < 6; ++i) {
    CHECK(fsrs::retrievability(ts[i].first, ts[i].second) == Approx(want[i]).epsilon(1e-5));
  }
  // Exact but for ts-fsrs's rounding to 8 decimals.
  CHECK(fsrs::next_interval(37.5, 0.9) == Approx(37.5).epsilon(1e-8));
  CHECK(fsrs::retrievability(fsrs::next_interval(12.0, 0.8), 12.0) == Approx(0.8).epsilon(1e-7));
  CHECK(fsrs::next_interval_days(0.3, 0.9) == 1);      // never under a day
  CHECK(fsrs::next_interval_days(1e6, 0.9) == 36500);  // capped
  CHECK(fsrs::next_interval_days(2.6, 0.9) == 3);      // rounded
  CHECK(fsrs::next_interval_days(2.4, 0.9) == 2);
}

TEST_CASE("fsrs: grades map onto ratings 0-2 Again, 3 Hard, 4 Good, 5 Easy", "[fsrs]") {
  using fsrs::Rating;
  const Rating want[] = {Rating::kAgain, Rating::kAgain, Rating::kAgain,
                         Rating::kHard,  Rating::kGood,  Rating::kEasy};
  for (int grade = 0; grade <= 5; ++grade) CHECK(fsrs::rating_of_grade(grade) == want[grade]);
}

TEST_CASE("fsrs: first answer, same-day and later answers follow FSRS-6's rules", "[fsrs]") {
  using fsrs::Rating;
  const auto& w = fsrs::kDefaultParameters;
  // First answer: S = w[G-1], D = w4 - e^(w5 (G-1)) + 1, clamped to [1, 10].
  CHECK(fsrs::initial_state(Rating::kGood).stability == w[2]);
  CHECK(fsrs::initial_state(Rating::kGood).difficulty ==
        Approx(w[4] - std::exp(2 * w[5]) + 1).margin(1e-8));
  CHECK(fsrs::initial_state(Rating::kEasy).difficulty == 1.0);
  // Same day (elapsed 0), from S = 5 (fsrs-rs stability_short_term).
  const fsrs::MemoryState five{5.0, 5.0};
  const double short_term[] = {1.596818, 5.0, 5.0, 8.12961};
  // D' from D = 5 (fsrs-rs next_difficulty then mean_reversion).
  const double difficulty[] = {8.341763, 6.6659956, 4.990228, 3.3144615};
  for (int r = 1; r <= 4; ++r) {
    const auto next = fsrs::next_state(five, static_cast<Rating>(r), 0);
    CHECK(next.stability == Approx(short_term[r - 1]).epsilon(1e-5));
    CHECK(next.difficulty == Approx(difficulty[r - 1]).epsilon(1e-5));
  }
  // A day later the long-term rules apply: a pass raises S, a lapse lowers it.
  CHECK(fsrs::next_state(five, Rating::kGood, 5).stability > 5.0);
  CHECK(fsrs::next_state(five, Rating::kAgain, 5).stability < 5.0);
  // A lapse never leaves S above S / e^(w17 w18).
  const fsrs::MemoryState strong{1000.0, 1.0};
  CHECK(fsrs::next_state(strong, Rating::kAgain, 1).stability <=
        1000.0 / std::exp(w[17] * w[18]) + 1e-9);
}

TEST_CASE("fsrs: replaying a review log walks the steps and checks the log", "[fsrs]") {
  const fsrs::ReviewLog log = {{100, 4}, {100, 2}, {101, 4}, {110, 5}, {400, 1}};
  const auto states = fsrs::replay_states(log);
  REQUIRE(states.size() == log.size());
  fsrs::MemoryState m = fsrs::initial_state(fsrs::Rating::kGood);
  CHECK(states[0] == m);
  m = fsrs::next_state(m, fsrs::Rating::kAgain, 0);
  CHECK(states[1] == m);
  m = fsrs::next_state(m, fsrs::Rating::kGood, 1);
  m = fsrs::next_state(m, fsrs::Rating::kEasy, 9);
  m = fsrs::next_state(m, fsrs::Rating::kAgain, 290);
  CHECK(states[4] == m);
  CHECK(fsrs::replay(log) == m);
  CHECK_FALSE(fsrs::replay(fsrs::ReviewLog{}).has_value());

  // A review dated before the one before it counts as the same day: no
  // replay fails on a log out of day order (issue 22).
  const fsrs::ReviewLog backwards = {{100, 4}, {99, 4}};
  CHECK(fsrs::replay(backwards) ==
        fsrs::next_state(fsrs::initial_state(fsrs::Rating::kGood), fsrs::Rating::kGood, 0));
  CHECK(fsrs::elapsed_days(100, 99) == 0);
  CHECK(fsrs::elapsed_days(99, 100) == 1);
  const fsrs::ReviewLog bad_grade = {{100, 6}};
  CHECK_THROWS_WITH(fsrs::replay(bad_grade), "review log: review 1 has grade 6 (0..5 expected)");
}
