#include "recall/scheduler.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "recall/error.h"

namespace recall {

namespace {

// The FSRS key counts down from the largest stability, so it is never negative.
constexpr long long kMaxStabilityMilli = static_cast<long long>(fsrs::kMaxStability) * 1000;
// The SM-2 key counts down from EF 10.00; larger EFs give negative keys, still in order.

}  // namespace

std::string_view to_string(SchedulerKind kind) {
  return kind == SchedulerKind::kFsrs ? "fsrs" : "sm2";
}

std::optional<SchedulerKind> parse_scheduler(std::string_view text) {
  if (text == "sm2") return SchedulerKind::kSm2;
  if (text == "fsrs") return SchedulerKind::kFsrs;
  return std::nullopt;
}

std::optional<KeptMemory> replay_kept_memory(std::span<const fsrs::Review> log,
                                             const fsrs::Parameters& w) {
  const auto state = fsrs::replay(log, w);
  if (!state) return std::nullopt;
  return KeptMemory{*state, log.back().day};
}

KeptMemory next_kept_memory(const std::optional<KeptMemory>& before, int grade, Day day,
                            const fsrs::Parameters& w) {
  const fsrs::Rating rating = fsrs::rating_of_grade(grade);
  if (!before) return {fsrs::initial_state(rating, w), day};
  return {fsrs::next_state(before->state, rating, fsrs::elapsed_days(before->day, day), w),
          std::max(before->day, day)};
}

std::array<fsrs::MemoryState, 6> next_memory_states(const std::optional<KeptMemory>& before,
                                                    Day day, const fsrs::Parameters& w) {
  std::array<fsrs::MemoryState, 6> states;
  for (int grade = 0; grade <= 5; ++grade)
    states[grade] = next_kept_memory(before, grade, day, w).state;
  return states;
}

std::array<fsrs::MemoryState, 6> next_memory_states(std::span<const fsrs::Review> log, Day day,
                                                    const fsrs::Parameters& w) {
  return next_memory_states(replay_kept_memory(log, w), day, w);
}

std::array<Sm2State, 6> next_states(const SchedulerConfig& config, const Sm2State& state,
                                    std::span<const fsrs::Review> log, Day day) {
  if (config.kind == SchedulerKind::kSm2) return preview(state, day);
  return next_states(config, state, replay_kept_memory(log, config.parameters), day);
}

std::array<Sm2State, 6> next_states(const SchedulerConfig& config, const Sm2State& state,
                                    const std::optional<KeptMemory>& before, Day day) {
  std::array<Sm2State, 6> states = preview(state, day);
  if (config.kind == SchedulerKind::kSm2) return states;
  const auto memory = next_memory_states(before, day, config.parameters);
  for (int grade = 0; grade <= 5; ++grade) {
    states[grade].due_day =
        day + fsrs::next_interval_days(memory[grade].stability, config.desired_retention,
                                       config.parameters);
  }
  return states;
}

int queue_risk(SchedulerKind kind, const Sm2State& state,
               const std::optional<fsrs::MemoryState>& memory) {
  if (kind == SchedulerKind::kFsrs && memory) {
    const long long stability_milli = std::llround(memory->stability * 1000);
    return static_cast<int>(kMaxStabilityMilli - stability_milli);
  }
  return kSm2RiskBase - state.easiness_milli;
}

}  // namespace recall
