#include "recall/stats.h"
#include "recall/study.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "recall/drill.h"
#include "recall/error.h"
#include "recall/interview.h"
#include "recall/memory.h"
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

Plan compute_plan(const Stats& stats, const std::vector<std::pair<Day, int>>& due_per_day,
                  int new_per_day) {
  Plan plan;
  plan.today = stats.day;
  plan.interview = stats.interview.value_or(stats.day);
  const auto due = to_map(due_per_day);
  for (Day d = plan.today; d <= plan.interview; ++d) {
    auto found = due.find(d);
    plan.days.push_back({d, found == due.end() ? 0 : found->second, 0});
  }
  int remaining = stats.total.new_cards;
  // A new card passed on day d is seen again on d+1 and d+7 (SM-2's 1 and 6).
  for (std::size_t i = 0; i < plan.days.size(); ++i) {
    PlanDay& day = plan.days[i];
    if (new_cards_paused(day.day, plan.interview)) continue;
    day.new_cards = std::min(std::max(0, new_per_day), remaining);
    remaining -= day.new_cards;
    for (std::size_t later : {i + 1, i + 7})
      if (later < plan.days.size()) plan.days[later].reviews += day.new_cards;
  }
  plan.new_left_after = remaining;
  for (const auto& d : stats.domains) {
    if (d.counts.letter == 0) continue;
    if (d.readiness < kWeakReadiness || (d.retention && *d.retention < kWeakRetention))
      plan.weak.push_back(d);
  }
  std::stable_sort(
      plan.weak.begin(), plan.weak.end(), [](const DomainStats& a, const DomainStats& b) {
        return a.counts.weight * (1 - a.readiness) > b.counts.weight * (1 - b.readiness);
      });
  return plan;
}

Plan load_plan(Store& store, Day today) {
  const Stats stats = load_stats(store, today);
  if (!stats.interview)
    throw Error::usage(
        "plan: no interview date (set one with `recall config set interview-date YYYY-MM-DD` or "
        "import a tracker that has one)");
  if (*stats.interview < today)
    throw Error::usage("plan: the interview date " + format_day(*stats.interview) + " has passed");
  return compute_plan(stats, store.due_per_day(today, *stats.interview),
                      load_limits(store).new_per_day);
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
                    std::to_string(plan.interview - plan.today) + " days)\n\n";
  int max = 1;
  for (const auto& day : plan.days) max = std::max(max, day.reviews + day.new_cards);
  out += "Day         Reviews   New\n";
  for (const auto& day : plan.days) {
    out += format_day(day.day) + pad_left(std::to_string(day.reviews), 9) +
           pad_left(std::to_string(day.new_cards), 6) + "  " +
           horizontal_bar(double(day.reviews + day.new_cards) / max, kBarWidth, unicode);
    if (day.day == plan.interview)
      out += "  interview";
    else if (new_cards_paused(day.day, plan.interview))
      out += "  no new cards";
    else if (day.day >= final_week_start(plan.interview))
      out += "  final week";
    out += "\n";
  }
  if (plan.new_left_after > 0)
    out += "\n" + std::to_string(plan.new_left_after) +
           " new cards will still be unseen on the interview day\n";
  out += "\nWeak domains:";
  if (plan.weak.empty()) out += " none";
  out += "\n";
  for (const auto& d : plan.weak)
    out += "  " + domain_title(d.counts) + " (" + std::to_string(d.counts.weight) +
           "%): readiness " + percent(d.readiness) + ", retention " + percent(d.retention) + "\n";
  return out;
}

}  // namespace recall
