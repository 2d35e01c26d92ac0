// The scheduler interface: what a card's next due day is after each grade,
// and the key the queue orders a tier by. Pure functions: no I/O, no clock,
// no store. SM-2 (recall/sm2.h) is the default; FSRS-6 (recall/fsrs.h) is
// the option the "scheduler" setting selects.
//
// The memory state of a card is one row under every scheduler:
//   - Sm2State (n, EF, interval, due, lapses) is kept for every card, and its
//     n, EF, interval and lapses are always SM-2's own values. They depend on
//     the grades alone (never on the due day), so switching from fsrs back to
//     sm2 loses nothing: SM-2 carries on from exactly where it would be.
//   - FSRS's stability and difficulty are not stored: they are the replay of
//     the card's review log (fsrs::replay), so nothing new is trusted.
//   - Only due_day depends on the scheduler: under fsrs it is the FSRS-6
//     interval at the desired retention, counted from the answer.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "recall/day.h"
#include "recall/fsrs.h"
#include "recall/sm2.h"

namespace recall {

enum class SchedulerKind { kSm2, kFsrs };

// "sm2", "fsrs": the spellings of the "scheduler" setting.
std::string_view to_string(SchedulerKind kind);
// nullopt unless `text` is exactly "sm2" or "fsrs".
std::optional<SchedulerKind> parse_scheduler(std::string_view text);

// The queue risk of a card never answered (queue_risk of a new SM-2 state;
// schema.sql's default for cards.risk).
// SM-2's risk is kSm2RiskBase - EF (queue_risk).
inline constexpr int kSm2RiskBase = 10000;
inline constexpr int kInitialRisk = kSm2RiskBase - kInitialEasinessMilli;

inline constexpr double kDefaultDesiredRetention = 0.9;

struct SchedulerConfig {
  SchedulerKind kind = SchedulerKind::kSm2;
  double desired_retention = kDefaultDesiredRetention;     // fsrs only; 0 < r <= 1
  fsrs::Parameters parameters = fsrs::kDefaultParameters;  // fsrs only
};

// A card's FSRS-6 memory state after its latest answer (every answer,
// re-drills included), kept with its row (model.h Card::memory, schema 10) and written in each
// answer's transaction, so no read replays the card's log. Computed with the
// parameters in force (memory.h fsrs_parameters); `recall check` verifies it
// equals the replay of the log.
struct KeptMemory {
  fsrs::MemoryState state;
  Day day = 0;  // the latest answer's day
  bool operator==(const KeptMemory&) const = default;
};

// The memory kept with a card whose log, in replay order, is `log`
// (nullopt: never answered): what an upgrade, new parameters, an undo or a
// merge of phone answers write, and what `recall check` compares with.
std::optional<KeptMemory> replay_kept_memory(std::span<const fsrs::Review> log,
                                             const fsrs::Parameters& w);
// The memory kept after one more answer of `grade` on `day`: equal to the
// replay of the log with that answer appended (a day before `before->day`
// counts as that day, as in fsrs::elapsed_days).
KeptMemory next_kept_memory(const std::optional<KeptMemory>& before, int grade, Day day,
                            const fsrs::Parameters& w);
// FSRS-6's memory state after answering each grade 0..5 on `day` from the
// memory `before` it: next_kept_memory's state for each grade.
std::array<fsrs::MemoryState, 6> next_memory_states(const std::optional<KeptMemory>& before,
                                                    Day day, const fsrs::Parameters& w);
// As next_states below, from the card's kept memory instead of its log.
std::array<Sm2State, 6> next_states(const SchedulerConfig& config, const Sm2State& state,
                                    const std::optional<KeptMemory>& memory, Day day);

// FSRS-6's memory state after answering each grade 0..5 on `day`, `log`
// being the card's answers before this one (every answer, re-drills
// included, as Store::memory_log returns them). Equal to
// fsrs::replay(log + {day, grade}): a `day` before the log's last review
// counts as that day (fsrs::elapsed_days), so a preview never fails. Throws
// recall::Error (data) as fsrs::check_log does for a grade outside 0..5.
std::array<fsrs::MemoryState, 6> next_memory_states(std::span<const fsrs::Review> log, Day day,
                                                    const fsrs::Parameters& w);

// One outcome per grade 0..5 for an answer on `day` (`log` as above).
//   kSm2 : exactly preview(state, day); `log` is not read.
//   kFsrs: n, EF, interval and lapses are preview(state, day)'s; due_day is
//          day + fsrs::next_interval_days(S after the answer,
//          desired_retention, parameters). A failed grade (< 3) follows
//          FSRS too: its post-lapse stability gives the interval, at least
//          one day (so a failure comes back tomorrow while S is short). The
//          same-day re-drill that follows a failure is FSRS's relearning
//          step: its answer, through the short-term formula, sets the due day
//          the card leaves the session with.
// The interview rule (recall/interview.h) is applied to the chosen outcome
// afterwards, under either scheduler.
std::array<Sm2State, 6> next_states(const SchedulerConfig& config, const Sm2State& state,
                                    std::span<const fsrs::Review> log, Day day);

// The key the queue orders cards by within a tier (same due day and domain
// weight): higher = more at risk, first. Computed when a card is answered and
// kept with its row, so it depends only on the state saved then.
//   kSm2 : 10000 - EF*1000, i.e. lower easiness first, exactly the order the
//          queue has always used (the key keeps decreasing past EF 10, so
//          the order stays exact even there).
//   kFsrs: 36,500,000 - S*1000 (S rounded to thousandths of a day), i.e.
//          lower stability first. At a due day chosen for the same desired
//          retention every card's recall is about the same; the one with the
//          lowest S loses recall fastest for each day it waits.
//          Without `memory` (a card never answered has no FSRS state) the
//          SM-2 key is returned.
// The two keys are on different scales: after the setting changes, cards
// answered under the other scheduler keep their key until recomputed.
int queue_risk(SchedulerKind kind, const Sm2State& state,
               const std::optional<fsrs::MemoryState>& memory = std::nullopt);

}  // namespace recall
