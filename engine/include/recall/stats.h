// Where the learner stands: per-domain counts, retention, readiness, the
// forecast of due cards, the review heatmap, the day-by-day plan until the
// interview, and their renderings (terminal text with Unicode blocks or
// ASCII, and a self-contained HTML report). Aggregation and rendering are
// pure; load_* functions read the store with aggregate queries only.
// docs/interview-and-stats.md documents every formula.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "recall/day.h"
#include "recall/fsrs.h"
#include "recall/interview.h"
#include "recall/scheduler.h"
#include "recall/sm2.h"

namespace recall {

class Store;
struct GapRow;

inline constexpr int kMatureIntervalDays = 21;   // interval >= 21 days: mature
inline constexpr int kRetentionWindowDays = 30;  // retention over [today-29, today]
inline constexpr int kForecastDays = 30;         // forecast horizon (or until the interview)
inline constexpr int kHeatmapWeeks = 12;
inline constexpr double kDefaultRetention = 0.9;  // prediction when too few answers
inline constexpr int kMinAnswersForRetention = 20;

// Raw counts per domain, as the store aggregates them.
struct DomainCounts {
  char letter = 0;  // 0: cards without a domain
  std::string name;
  int weight = 0;       // percent
  int cards = 0;        // not retired (suspended included)
  int new_cards = 0;    // never studied
  int due = 0;          // studied, not suspended, due on or before the day
  int mature = 0;       // interval >= 21
  int known = 0;        // studied and last scheduled answer passed (n > 0)
  int lapses = 0;       // sum over cards
  int recurring = 0;    // cards failed on >= 2 days in the last 30
  int answers_30d = 0;  // kind 'review' answers in the retention window
  int passed_30d = 0;   // of which grade >= 3
};

struct TopicCounts {
  long long id = 0;
  std::string label, title, confidence;  // confidence: the tutor's value
  char domain_letter = 0;
  bool in_progress = false;
  int cards = 0, new_cards = 0, known = 0, mature = 0;
  int answers_30d = 0, passed_30d = 0;
};

// Predicted recall (FSRS-6, recall/memory.h) of a group's studied cards:
// the mean R today and on the interview day with no review in between, and
// the coverage beside it (studied / cards).
struct RecallFigures {
  int studied = 0;                     // not retired, answered at least once
  int cards = 0;                       // not retired
  std::optional<double> today;         // nullopt: nothing studied
  std::optional<double> on_interview;  // nullopt: nothing studied or no interview date ahead
  double coverage() const { return cards > 0 ? double(studied) / cards : 0.0; }
};

struct DomainStats {
  DomainCounts counts;
  RecallFigures recall;
  std::optional<double> retention;  // passed/answers over 30 days; nullopt without answers
  double readiness = 0;             // known / cards (0 without cards)
};

struct Stats {
  Day day = 0;
  std::optional<Day> interview;
  std::vector<DomainStats> domains;  // by letter; cards without domain last
  DomainCounts total;                // sums (letter 0, name "all")
  std::optional<double> retention;
  double readiness = 0;                       // today, 0..1
  std::optional<double> predicted_readiness;  // on the interview date
  RecallFigures recall;                       // over every studied card
  std::vector<std::pair<Day, int>> forecast;  // every day today..end, zeros kept
  std::vector<std::pair<Day, int>> heatmap;   // every day of the last 12 weeks
};

// Pure: derives retention, readiness and the prediction from the counts.
// `new_per_day` bounds how many new cards can still be introduced before the
// interview. `due_per_day` / `answers_per_day` may leave out zero days.
Stats compute_stats(Day today, std::optional<Day> interview, std::vector<DomainCounts> domains,
                    const std::vector<std::pair<Day, int>>& due_per_day,
                    const std::vector<std::pair<Day, int>>& answers_per_day, int new_per_day);

struct PredictedRecall;  // recall/memory.h
// Pure: fills every domain's and the total's RecallFigures from the sums.
void add_predicted_recall(Stats& stats, const PredictedRecall& recall);

// Reads the store (effective interview date, limits, aggregates, the memory
// model's replay of every log) and computes.
Stats load_stats(Store& store, Day today);

// The plan until the interview (docs/interview-and-stats.md). Today's row
// is what is left in today's queue; from tomorrow on every day is projected
// from the schedule as it stands (what is left today stays due), each day's
// queue answered and passed (grade 4) under the scheduler and interview rule
// in force, within the daily limits (reviews past the limit wait a day).
struct PlanDay {
  Day day = 0;        // the row's first day
  int days = 1;       // days the row covers: 1, or 7 past kPlanDailyDays (fewer at the end)
  int reviews = 0;    // reviews the queue will hold on those days
  int new_cards = 0;  // planned introductions
};
struct Plan {
  Day today = 0;
  Day interview = 0;
  Day until = 0;                  // the last day covered: the interview, or the horizon before it
  std::vector<PlanDay> days;      // today .. until, inclusive
  int new_left_after = 0;         // new cards still unseen after `until`
  std::vector<DomainStats> weak;  // weakest first
};
// A row per day for the first 90 days, then a row per week up to a year:
// the plan's size is bounded whatever the interview date.
inline constexpr int kPlanDailyDays = 90;
inline constexpr int kPlanHorizonDays = 365;
// Weak: review evidence says so, at least kWeakMinAnswers answers over the
// last 30 days with retention below 0.8; ordered by weight x (1 - retention).
// A domain without that many answers is not judged (nothing studied is not weak).
inline constexpr double kWeakReadiness = 0.6;  // the report's shading of a topic
inline constexpr double kWeakRetention = 0.8;
inline constexpr int kWeakMinAnswers = 10;

// A studied card as the plan projects it.
struct PlanCard {
  Sm2State state;                           // due_day set
  std::optional<fsrs::MemoryState> memory;  // FSRS-6 after its last answer; nullopt: none
  Day last_review = 0;                      // the day of that answer
};
struct PlanInputs {
  int reviews_left_today = 0;   // today's queue as it stands (Queue::reviews_total)
  int new_left_today = 0;       // (Queue::new_total)
  std::vector<PlanCard> cards;  // every studied card in the queue (not suspended or retired)
  int new_cards = 0;            // cards never studied (not suspended or retired)
  int new_per_day = 0;
  int reviews_per_day = 0;
  SchedulerConfig scheduler;
  double interview_retention = kDefaultInterviewRetention;
};

// Pure. REQUIRES: stats.interview set, today <= interview.
Plan compute_plan(const Stats& stats, const PlanInputs& inputs);
// Throws Error(kUsage) when no interview date is set, or it has passed.
Plan load_plan(Store& store, Day today);

// Tomorrow as the plan has it beside tomorrow's queue as it stands (nothing
// else answered today): they agree within a card. nullopt when the plan has
// no tomorrow (the interview is today) or no interview date is set.
struct PlanTomorrow {
  Day day = 0;
  int planned_reviews = 0, planned_new = 0;  // the plan's row for `day`
  int queued_reviews = 0, queued_new = 0;    // order_queue on `day`: what `recall due` says
};
std::optional<PlanTomorrow> plan_tomorrow(Store& store, Day today);

// Terminal charts. `unicode` picks block characters; false gives ASCII only.
// Every line of a chart has the same display width.
std::string render_forecast(const std::vector<std::pair<Day, int>>& days, bool unicode);
std::string render_heatmap(const std::vector<std::pair<Day, int>>& days, bool unicode);
std::string render_retention(const std::vector<DomainStats>& domains, bool unicode);
// Predicted recall per domain and overall, with coverage beside it.
std::string render_predicted_recall(const Stats& stats);
// The whole `recall stats` text: table, readiness, and the three charts.
std::string render_stats_text(const Stats& stats, bool unicode);
std::string render_plan_text(const Plan& plan, bool unicode);

// The report: one self-contained HTML page (inline SVG and CSS, no script,
// no network) with the charts, per-topic confidence and the open gaps.
std::string render_report_html(const Stats& stats, const std::vector<TopicCounts>& topics,
                               const std::vector<GapRow>& open_gaps);
// Loads everything the report needs and renders it.
std::string load_report_html(Store& store, Day today);
// True when `head` (a file's first bytes) starts a page render_report_html
// wrote: it carries a generator marker in its first line.
bool is_report_html(const std::string& head);
// Writes the report to `path` atomically. Refuses (Error kUsage) a protected
// path (paths.h) and, unless `replace`, an existing file that is not an
// earlier recall report.
void write_report_file(Store& store, Day today, const std::string& path, bool replace);

// Display width of UTF-8 text in terminal columns (one per code point).
int display_width(const std::string& text);

}  // namespace recall
