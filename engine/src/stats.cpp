#include "recall/stats.h"
#include "recall/study.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <unordered_map>

#include "recall/answering.h"
#include "recall/drill.h"
#include "recall/error.h"
#include "recall/interview.h"
#include "recall/memory.h"
#include "recall/settings.h"
#include "recall/store.h"

namespace recall {

namespace {

std::map<Day, int> to_map(const std::vector<std::pair<Day, int>>& days) {
  return std::map<Day, int>(days.begin(), days.end());
}

void add_counts(DomainCounts& sum, const DomainCounts& d) {
  sum.cards += d.cards;
  sum.new_cards += d.new_cards;
  sum.due += d.due;
  sum.mature += d.mature;
  sum.known += d.known;
  sum.lapses += d.lapses;
  sum.recurring += d.recurring;
  sum.answers_30d += d.answers_30d;
  sum.passed_30d += d.passed_30d;
}

double share(int part, int whole) { return whole > 0 ? double(part) / whole : 0.0; }

// Weighted by domain weight over lettered domains; by cards when no domain
// has a weight.
template <typename Value>
double weighted(const std::vector<DomainStats>& domains, const DomainCounts& total, Value value) {
  double sum = 0, weights = 0;
  for (const auto& d : domains) {
    if (d.counts.letter == 0 || d.counts.weight <= 0) continue;
    sum += d.counts.weight * value(d);
    weights += d.counts.weight;
  }
  if (weights > 0) return sum / weights;
  double cards_sum = 0;
  for (const auto& d : domains) cards_sum += d.counts.cards * value(d);
  return total.cards > 0 ? cards_sum / total.cards : 0.0;
}

Day monday_on_or_before(Day day) {
  const int weekday = ((day + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; Monday = 0
  return day - weekday;
}

std::string repeat(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

std::string pad_right(const std::string& text, int width) {
  return text + std::string(std::max(0, width - display_width(text)), ' ');
}

std::string pad_left(const std::string& text, int width) {
  return std::string(std::max(0, width - display_width(text)), ' ') + text;
}

std::string percent(std::optional<double> value) {
  if (!value) return "n/a";
  return std::to_string(static_cast<int>(std::lround(*value * 100))) + "%";
}

// A horizontal bar of `width` cells for a share 0..1, in eighths of a cell.
std::string horizontal_bar(double fraction, int width, bool unicode) {
  static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const int eighths = static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * width * 8));
  const int full = eighths / 8, part = eighths % 8;
  std::string out;
  if (unicode) {
    out = repeat("█", full);
    if (part) out += kEighths[part];
    out += repeat("░", width - full - (part ? 1 : 0));
  } else {
    out = std::string(full, '#');
    if (part) out += part >= 4 ? '+' : '-';
    out += std::string(width - full - (part ? 1 : 0), '.');
  }
  return out;
}

std::string domain_title(const DomainCounts& d) {
  return d.letter ? std::string(1, d.letter) + " " + d.name : d.name;
}

}  // namespace

int display_width(const std::string& text) {
  int width = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++width;
  return width;
}

Stats compute_stats(Day today, std::optional<Day> interview, std::vector<DomainCounts> domains,
                    const std::vector<std::pair<Day, int>>& due_per_day,
                    const std::vector<std::pair<Day, int>>& answers_per_day, int new_per_day) {
  Stats stats;
  stats.day = today;
  stats.interview = interview;
  stats.total.name = "all";
  for (auto& counts : domains) {
    add_counts(stats.total, counts);
    DomainStats d;
    d.counts = std::move(counts);
    if (d.counts.answers_30d > 0) d.retention = share(d.counts.passed_30d, d.counts.answers_30d);
    d.readiness = share(d.counts.known, d.counts.cards);
    stats.domains.push_back(std::move(d));
  }
  if (stats.total.answers_30d > 0)
    stats.retention = share(stats.total.passed_30d, stats.total.answers_30d);
  stats.readiness =
      weighted(stats.domains, stats.total, [](const DomainStats& d) { return d.readiness; });

  if (interview && *interview >= today) {
    const double kept =
        stats.total.answers_30d >= kMinAnswersForRetention ? *stats.retention : kDefaultRetention;
    const long long intro_days = std::max(0, (*interview - kNewCardStopDays) - today);
    const double introduced =
        stats.total.new_cards > 0
            ? std::min(1.0, double(intro_days) * std::max(0, new_per_day) / stats.total.new_cards)
            : 0.0;
    stats.predicted_readiness = weighted(stats.domains, stats.total, [&](const DomainStats& d) {
      if (d.counts.cards == 0) return 0.0;
      return std::min(1.0,
                      (d.counts.known + introduced * d.counts.new_cards) * kept / d.counts.cards);
    });
  }

  Day end = today + kForecastDays - 1;
  if (interview && *interview >= today) end = std::min(end, *interview);
  const auto due = to_map(due_per_day);
  for (Day d = today; d <= end; ++d) {
    auto found = due.find(d);
    stats.forecast.emplace_back(d, found == due.end() ? 0 : found->second);
  }
  const auto answers = to_map(answers_per_day);
  for (Day d = monday_on_or_before(today) - 7 * (kHeatmapWeeks - 1); d <= today; ++d) {
    auto found = answers.find(d);
    stats.heatmap.emplace_back(d, found == answers.end() ? 0 : found->second);
  }
  return stats;
}

namespace {

RecallFigures recall_figures(const RecallSum& sum, int cards, bool interview_ahead) {
  RecallFigures figures;
  figures.studied = sum.studied;
  figures.cards = cards;
  if (sum.studied > 0) {
    figures.today = sum.today / sum.studied;
    if (interview_ahead) figures.on_interview = sum.on_interview / sum.studied;
  }
  return figures;
}

}  // namespace

void add_predicted_recall(Stats& stats, const PredictedRecall& recall) {
  const bool ahead = stats.interview && *stats.interview >= stats.day;
  for (DomainStats& d : stats.domains) {
    const auto found = recall.by_domain.find(d.counts.letter);
    d.recall = recall_figures(found == recall.by_domain.end() ? RecallSum{} : found->second,
                              d.counts.cards, ahead);
  }
  stats.recall = recall_figures(recall.total, stats.total.cards, ahead);
}

Stats load_stats(Store& store, Day today) {
  const Store::ReadScope snapshot(store);  // every figure from one state of the database
  const std::optional<Day> interview = effective_interview_date(store);
  Day end = today + kForecastDays - 1;
  if (interview && *interview >= today) end = std::min(end, *interview);
  const Day heat_from = monday_on_or_before(today) - 7 * (kHeatmapWeeks - 1);
  Stats stats =
      compute_stats(today, interview, store.domain_counts(today), store.due_per_day(today, end),
                    store.answers_per_day(heat_from, today), load_limits(store).new_per_day);
  add_predicted_recall(stats, load_predicted_recall(store, today, interview));
  return stats;
}

namespace {

// One projected answer (grade 4) to `card` on `day`, as answering.cpp
// schedules it: the scheduler in force, then the interview pull-in.
void project_answer(PlanCard& card, Day day, const PlanInputs& in, Day interview,
                    const FinalWeekLoad& load) {
  constexpr int kGrade = 4;
  const fsrs::Parameters& w = in.scheduler.parameters;
  // A card never answered starts its memory here; a studied card whose log
  // FSRS-6 could not read has none (SM-2 alone, as answering.cpp does).
  std::optional<fsrs::MemoryState> memory;
  if (card.memory)
    memory = fsrs::next_state(*card.memory, fsrs::rating_of_grade(kGrade),
                              std::max(0, day - card.last_review), w);
  else if (card.state.is_new())
    memory = fsrs::initial_state(fsrs::rating_of_grade(kGrade), w);
  Sm2State after = next_state(card.state, kGrade, day);
  if (in.scheduler.kind == SchedulerKind::kFsrs && memory)
    after.due_day =
        day + fsrs::next_interval_days(memory->stability, in.scheduler.desired_retention, w);
  const double predicted = memory ? recall_on_interview(*memory, day, interview, w) : 0.0;
  after = apply_interview_rule(after, day, interview, load, {predicted, in.interview_retention});
  card.state = after;
  card.memory = memory;
  card.last_review = day;
}

}  // namespace

Plan compute_plan(const Stats& stats, const PlanInputs& in) {
  Plan plan;
  plan.today = stats.day;
  plan.interview = stats.interview.value_or(stats.day);
  plan.until = std::min<Day>(plan.interview, plan.today + kPlanHorizonDays);
  // Today: what is left in today's queue. It is not projected: from
  // tomorrow on the schedule is taken as it stands, so what is left today
  // is due tomorrow too, as tomorrow's queue will hold it.
  std::vector<PlanDay> daily;
  daily.push_back({plan.today, 1, in.reviews_left_today, in.new_left_today});
  const Day first = plan.today + 1;
  const int span = std::max(0, plan.until - plan.today);  // days first .. until
  std::vector<PlanCard> cards = in.cards;
  // Cards waiting on each day (index day - first); past `until` they leave.
  std::vector<std::vector<std::size_t>> due(static_cast<std::size_t>(span));
  FinalWeekLoad load{};
  const Day week = final_week_start(plan.interview);
  const auto in_final_week = [&](Day d) { return d >= week && d < plan.interview; };
  const auto schedule = [&](std::size_t i) {
    const Day at = std::max(first, cards[i].state.due_day.value_or(first));
    if (in_final_week(cards[i].state.due_day.value_or(first)))
      ++load[static_cast<std::size_t>(*cards[i].state.due_day - week)];
    if (at <= plan.until) due[static_cast<std::size_t>(at - first)].push_back(i);
  };
  for (std::size_t i = 0; i < cards.size(); ++i) schedule(i);
  int remaining = std::max(0, in.new_cards);
  std::vector<std::size_t> waiting;  // past the review limit: tomorrow's first
  for (Day d = first; d <= plan.until; ++d) {
    PlanDay row{d, 1, 0, 0};
    std::vector<std::size_t> today = std::move(waiting);
    waiting.clear();
    for (std::size_t i : due[static_cast<std::size_t>(d - first)]) today.push_back(i);
    const std::size_t room = static_cast<std::size_t>(std::max(0, in.reviews_per_day));
    for (std::size_t k = 0; k < today.size(); ++k) {
      const std::size_t i = today[k];
      if (k >= room) {
        waiting.push_back(i);
        continue;
      }
      ++row.reviews;
      if (in_final_week(*cards[i].state.due_day))
        --load[static_cast<std::size_t>(*cards[i].state.due_day - week)];
      project_answer(cards[i], d, in, plan.interview, load);
      schedule(i);
    }
    if (!new_cards_paused(d, plan.interview)) {
      row.new_cards = std::min(std::max(0, in.new_per_day), remaining);
      remaining -= row.new_cards;
      for (int n = 0; n < row.new_cards; ++n) {
        cards.push_back(PlanCard{});
        project_answer(cards.back(), d, in, plan.interview, load);
        schedule(cards.size() - 1);
      }
    }
    daily.push_back(row);
  }
  plan.new_left_after = remaining;
  // A row per day up to kPlanDailyDays, then a row per week.
  for (const PlanDay& row : daily) {
    const bool weekly = row.day - plan.today >= kPlanDailyDays;
    const bool week_open = !plan.days.empty() &&
                           plan.days.back().day - plan.today >= kPlanDailyDays &&
                           plan.days.back().days < 7;
    if (!weekly || !week_open) {
      plan.days.push_back(row);
      continue;
    }
    PlanDay& week_row = plan.days.back();
    ++week_row.days;
    week_row.reviews += row.reviews;
    week_row.new_cards += row.new_cards;
  }
  // Weak domains: by review evidence only.
  for (const auto& d : stats.domains) {
    if (d.counts.letter == 0 || d.counts.answers_30d < kWeakMinAnswers || !d.retention) continue;
    if (*d.retention < kWeakRetention) plan.weak.push_back(d);
  }
  std::stable_sort(
      plan.weak.begin(), plan.weak.end(), [](const DomainStats& a, const DomainStats& b) {
        return a.counts.weight * (1 - *a.retention) > b.counts.weight * (1 - *b.retention);
      });
  return plan;
}

namespace {

double interview_retention_setting(Store& store) {
  const auto value = store.setting("interview-retention");
  return value ? stored_fraction_setting("interview-retention", *value)
               : kDefaultInterviewRetention;
}

}  // namespace

Plan load_plan(Store& store, Day today) {
  const Stats stats = load_stats(store, today);
  if (!stats.interview)
    throw Error::usage(
        "plan: no interview date (set one with `recall config set interview-date YYYY-MM-DD` or "
        "import a tracker that has one)");
  if (*stats.interview < today)
    throw Error::usage("plan: the interview date " + format_day(*stats.interview) + " has passed");
  PlanInputs in;
  const Queue queue = order_queue(gather_queue(store, today, {}, std::nullopt, 0));
  in.reviews_left_today = queue.reviews_total;
  in.new_left_today = queue.new_total;
  in.new_cards = store.count_new(today, {});
  const Limits limits = load_limits(store);
  in.new_per_day = limits.new_per_day;
  in.reviews_per_day = limits.reviews_per_day;
  in.scheduler = scheduler_config(store, true);
  in.interview_retention = interview_retention_setting(store);
  // Each studied card's schedule, and its FSRS-6 memory as kept with it.
  for (const Card& card : store.cards(std::nullopt, false)) {
    if (card.suspended || card.retired || card.state.is_new()) continue;
    PlanCard planned;
    planned.state = card.state;
    if (card.memory) {
      planned.memory = card.memory->state;
      planned.last_review = card.memory->day;
    } else {
      planned.last_review = today;
    }
    in.cards.push_back(planned);
  }
  return compute_plan(stats, in);
}

std::optional<PlanTomorrow> plan_tomorrow(Store& store, Day today) {
  const std::optional<Day> interview = effective_interview_date(store);
  if (!interview || *interview <= today) return std::nullopt;
  const Plan plan = load_plan(store, today);
  PlanTomorrow check;
  check.day = today + 1;
  for (const PlanDay& row : plan.days)
    if (row.day == check.day && row.days == 1) {
      check.planned_reviews = row.reviews;
      check.planned_new = row.new_cards;
    }
  const Queue queue = order_queue(gather_queue(store, check.day, {}, std::nullopt, 0));
  check.queued_reviews = queue.reviews_total;
  check.queued_new = queue.new_total;
  return check;
}

std::string render_forecast(const std::vector<std::pair<Day, int>>& days, bool unicode) {
  static const char* const kLevels[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  constexpr int kRows = 6;
  int max = 0;
  for (const auto& [day, count] : days) max = std::max(max, count);
  const std::string top = std::to_string(max);
  const int label_width = static_cast<int>(top.size());
  const int n = static_cast<int>(days.size());
  std::string out = "Due cards per day";
  if (!days.empty())
    out += ", " + format_day(days.front().first) + " to " + format_day(days.back().first);
  out += "\n";
  for (int row = kRows - 1; row >= 0; --row) {
    out += pad_left(row == kRows - 1 ? top : "", label_width) + (unicode ? " │" : " |");
    for (const auto& [day, count] : days) {
      int eighths = max > 0 ? static_cast<int>(std::lround(double(count) * kRows * 8 / max)) : 0;
      if (count > 0) eighths = std::max(eighths, 1);
      const int here = std::clamp(eighths - row * 8, 0, 8);
      if (unicode)
        out += kLevels[here];
      else
        out += here == 8 ? '#' : here >= 4 ? '+' : here > 0 ? '.' : ' ';
    }
    out += "\n";
  }
  out +=
      pad_left("0", label_width) + (unicode ? " └" : " +") + repeat(unicode ? "─" : "-", n) + "\n";
  std::string labels(n, ' ');
  for (int i = 0; i + 5 <= n; i += 7) labels.replace(i, 5, format_day(days[i].first).substr(5));
  out += std::string(label_width + 2, ' ') + labels + "\n";
  return out;
}

std::string render_heatmap(const std::vector<std::pair<Day, int>>& days, bool unicode) {
  static const char* const kUnicode[] = {"·", "░", "▒", "▓", "█"};
  static const char kAscii[] = {'.', '-', '+', '*', '#'};
  static const char* const kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::string out = "Answers per day";
  if (days.empty()) return out + ": none\n";
  out += ", " + format_day(days.front().first) + " to " + format_day(days.back().first) + "\n";
  int max = 0;
  for (const auto& [day, count] : days) max = std::max(max, count);
  const Day first = monday_on_or_before(days.front().first);
  const int weeks = (days.back().first - first) / 7 + 1;
  std::map<Day, int> by_day(days.begin(), days.end());
  auto cell = [&](int level) {
    return unicode ? std::string(kUnicode[level]) : std::string(1, kAscii[level]);
  };
  for (int weekday = 0; weekday < 7; ++weekday) {
    out += kWeekdays[weekday];
    for (int week = 0; week < weeks; ++week) {
      const Day d = first + week * 7 + weekday;
      auto found = by_day.find(d);
      out += " ";
      if (found == by_day.end()) {
        out += " ";
        continue;
      }
      const int count = found->second;
      const int level = count == 0 ? 0 : std::max(1, (count * 4 + max - 1) / max);
      out += cell(level);
    }
    out += "\n";
  }
  out += "    less";
  for (int level = 0; level <= 4; ++level) out += " " + cell(level);
  out += " more (max " + std::to_string(max) + ")\n";
  return out;
}

std::string render_retention(const std::vector<DomainStats>& domains, bool unicode) {
  constexpr int kBarWidth = 20;
  std::string out = "Retention by domain, last " + std::to_string(kRetentionWindowDays) + " days\n";
  int name_width = 0;
  for (const auto& d : domains)
    name_width = std::max(name_width, display_width(domain_title(d.counts)));
  for (const auto& d : domains) {
    out += pad_right(domain_title(d.counts), name_width) + "  ";
    out += d.retention ? horizontal_bar(*d.retention, kBarWidth, unicode)
                       : std::string(kBarWidth, ' ');
    out += " " + pad_left(percent(d.retention), 4) + "\n";
  }
  return out;
}

std::string render_stats_text(const Stats& stats, bool unicode) {
  std::string out = "Stats on " + format_day(stats.day);
  if (stats.interview) {
    const int left = *stats.interview - stats.day;
    out += " (interview " + format_day(*stats.interview) +
           (left >= 0 ? ", in " + std::to_string(left) + (left == 1 ? " day)" : " days)")
                      : ", passed)");
  }
  out += "\n\n";
  std::vector<const DomainCounts*> rows;
  for (const auto& d : stats.domains) rows.push_back(&d.counts);
  rows.push_back(&stats.total);
  int name_width = 6;
  for (const auto* row : rows) name_width = std::max(name_width, display_width(domain_title(*row)));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text = pad_right(cells[0], name_width);
    static const int kWidths[] = {0, 4, 6, 5, 5, 7, 6, 7, 6};
    for (std::size_t i = 1; i < cells.size(); ++i) text += pad_left(cells[i], kWidths[i]);
    return text + "\n";
  };
  out += line({"Domain", "Wt", "Cards", "New", "Due", "Mature", "Ret", "Lapses", "Recur"});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const DomainCounts& d = *rows[i];
    const bool total = i + 1 == rows.size();
    std::optional<double> retention;
    if (d.answers_30d > 0) retention = double(d.passed_30d) / d.answers_30d;
    out +=
        line({total ? "All" : domain_title(d),
              total || d.letter == 0 ? "" : std::to_string(d.weight) + "%", std::to_string(d.cards),
              std::to_string(d.new_cards), std::to_string(d.due), std::to_string(d.mature),
              percent(retention), std::to_string(d.lapses), std::to_string(d.recurring)});
  }
  out += "\nReadiness today: " + percent(stats.readiness);
  if (stats.predicted_readiness)
    out += "; predicted on " + format_day(*stats.interview) + ": " +
           percent(stats.predicted_readiness);
  out += "\n" + render_predicted_recall(stats);
  out += "\n\n" + render_forecast(stats.forecast, unicode) + "\n" +
         render_heatmap(stats.heatmap, unicode) + "\n" + render_retention(stats.domains, unicode);
  return out;
}

std::string render_predicted_recall(const Stats& stats) {
  const bool on_interview = stats.recall.on_interview.has_value();
  std::string out = "Predicted recall of studied cards today";
  if (on_interview) out += " / on " + format_day(*stats.interview);
  out += " (coverage: studied / cards)\n";
  auto line = [&](const std::string& name, const RecallFigures& r) {
    out += "  " + pad_right(name, 24) + pad_left(percent(r.today), 5);
    if (on_interview) out += " / " + pad_left(percent(r.on_interview), 4);
    out += "  (" + std::to_string(r.studied) + "/" + std::to_string(r.cards) + ")\n";
  };
  for (const auto& d : stats.domains) line(domain_title(d.counts), d.recall);
  line("All", stats.recall);
  return out;
}

std::string render_plan_text(const Plan& plan, bool unicode) {
  constexpr int kBarWidth = 20;
  std::string out = "Plan until the interview on " + format_day(plan.interview) + " (" +
                    std::to_string(plan.interview - plan.today) + " days)\n";
  if (plan.until < plan.interview)
    out += "The plan covers the next " + std::to_string(plan.until - plan.today) + " days, to " +
           format_day(plan.until) + "; the weeks after it are not projected.\n";
  out +=
      "Today: what is left in today's queue. From tomorrow: the schedule as it stands, what is "
      "left today still due, each day's queue answered.\n\n";
  int max = 1;
  for (const auto& day : plan.days) max = std::max(max, day.reviews + day.new_cards);
  out += "Day         Reviews   New\n";
  for (const auto& day : plan.days) {
    out += format_day(day.day) + pad_left(std::to_string(day.reviews), 9) +
           pad_left(std::to_string(day.new_cards), 6) + "  " +
           horizontal_bar(double(day.reviews + day.new_cards) / max, kBarWidth, unicode);
    const Day last = day.day + day.days - 1;
    if (day.days > 1)
      out += "  week to " + format_day(last);
    else if (day.day == plan.today && day.day != plan.interview)
      out += "  left today";
    if (last >= plan.interview)
      out += "  interview";
    else if (day.days == 1 && new_cards_paused(day.day, plan.interview))
      out += "  no new cards";
    else if (day.days == 1 && day.day >= final_week_start(plan.interview))
      out += "  final week";
    out += "\n";
  }
  if (plan.new_left_after > 0)
    out += "\n" + std::to_string(plan.new_left_after) + " new cards will still be unseen " +
           (plan.until < plan.interview ? "on " + format_day(plan.until) : "on the interview day") +
           "\n";
  out += "\nWeak domains (review evidence: " + std::to_string(kWeakMinAnswers) +
         "+ answers in 30 days, retention below " +
         std::to_string(static_cast<int>(kWeakRetention * 100)) + "%):";
  if (plan.weak.empty()) out += " none";
  out += "\n";
  for (const auto& d : plan.weak)
    out += "  " + domain_title(d.counts) + " (" + std::to_string(d.counts.weight) +
           "%): retention " + percent(d.retention) + " over " +
           std::to_string(d.counts.answers_30d) + " answers, readiness " + percent(d.readiness) +
           "\n";
  return out;
}

}  // namespace recall
