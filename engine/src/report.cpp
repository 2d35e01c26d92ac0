// `recall report`: one self-contained HTML page. Inline CSS and SVG only, no
// script, no external resource, so it opens the same offline in any browser.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "recall/stats.h"
#include "recall/store.h"

namespace recall {

namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string pct(std::optional<double> value) {
  return value ? std::to_string(static_cast<int>(std::lround(*value * 100))) + "%" : "n/a";
}

std::string num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

std::string forecast_svg(const std::vector<std::pair<Day, int>>& days) {
  constexpr double kWidth = 900, kHeight = 200, kLeft = 40, kBottom = 30;
  int max = 1;
  for (const auto& [day, count] : days) max = std::max(max, count);
  const double slot = days.empty() ? 0 : (kWidth - kLeft) / days.size();
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"200\" "
                    "viewBox=\"0 0 900 200\" role=\"img\" aria-label=\"due cards per day\">";
  svg += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(kHeight - kBottom) + "\" x2=\"" + num(kWidth) +
         "\" y2=\"" + num(kHeight - kBottom) + "\" stroke=\"#888\"/>";
  svg += "<text x=\"0\" y=\"14\" class=\"axis\">" + std::to_string(max) + "</text>";
  for (std::size_t i = 0; i < days.size(); ++i) {
    const double h = (kHeight - kBottom - 10) * days[i].second / max;
    const double x = kLeft + i * slot + 1;
    svg += "<rect x=\"" + num(x) + "\" y=\"" + num(kHeight - kBottom - h) + "\" width=\"" +
           num(std::max(1.0, slot - 2)) + "\" height=\"" + num(h) + "\" fill=\"#3b7dd8\"><title>" +
           format_day(days[i].first) + ": " + std::to_string(days[i].second) + "</title></rect>";
    if (i % 7 == 0)
      svg += "<text x=\"" + num(x) + "\" y=\"" + num(kHeight - 10) + "\" class=\"axis\">" +
             format_day(days[i].first).substr(5) + "</text>";
  }
  return svg + "</svg>";
}

std::string heatmap_svg(const std::vector<std::pair<Day, int>>& days) {
  static const char* const kColours[] = {"#ebedf0", "#c6e48b", "#7bc96f", "#239a3b", "#196127"};
  static const char* const kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  constexpr int kCell = 16, kLeft = 40;
  int max = 1;
  for (const auto& [day, count] : days) max = std::max(max, count);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(kLeft + kCell * (kHeatmapWeeks + 1)) + "\" height=\"" +
                    std::to_string(kCell * 7 + 4) + "\" role=\"img\" aria-label=\"answers per day\">";
  for (int w = 0; w < 7; ++w)
    svg += "<text x=\"0\" y=\"" + std::to_string(w * kCell + 12) + "\" class=\"axis\">" + kWeekdays[w] + "</text>";
  if (days.empty()) return svg + "</svg>";
  const Day first = days.front().first;  // a Monday (compute_stats aligns it)
  for (const auto& [day, count] : days) {
    const int index = day - first;
    const int level = count == 0 ? 0 : std::max(1, (count * 4 + max - 1) / max);
    svg += "<rect x=\"" + std::to_string(kLeft + (index / 7) * kCell) + "\" y=\"" +
           std::to_string((index % 7) * kCell) + "\" width=\"" + std::to_string(kCell - 2) +
           "\" height=\"" + std::to_string(kCell - 2) + "\" fill=\"" + kColours[level] + "\"><title>" +
           format_day(day) + ": " + std::to_string(count) + "</title></rect>";
  }
  return svg + "</svg>";
}

std::string retention_svg(const std::vector<DomainStats>& domains) {
  constexpr int kRow = 26, kLabel = 260, kBar = 400;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kLabel + kBar + 60) +
                    "\" height=\"" + std::to_string(kRow * std::max<std::size_t>(1, domains.size())) +
                    "\" role=\"img\" aria-label=\"retention by domain\">";
  for (std::size_t i = 0; i < domains.size(); ++i) {
    const auto& d = domains[i];
    const int y = static_cast<int>(i) * kRow;
    const std::string name = d.counts.letter ? std::string(1, d.counts.letter) + ". " + d.counts.name : d.counts.name;
    svg += "<text x=\"0\" y=\"" + std::to_string(y + 17) + "\">" + escape(name) + "</text>";
    svg += "<rect x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" +
           std::to_string(kBar) + "\" height=\"18\" fill=\"#eee\"/>";
    if (d.retention)
      svg += "<rect x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" +
             num(kBar * *d.retention) + "\" height=\"18\" fill=\"" +
             (*d.retention >= kWeakRetention ? "#2e9d4f" : "#d8823b") + "\"/>";
    svg += "<text x=\"" + std::to_string(kLabel + kBar + 8) + "\" y=\"" + std::to_string(y + 17) + "\">" +
           pct(d.retention) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace

std::string render_report_html(const Stats& stats, const std::vector<TopicCounts>& topics,
                               const std::vector<GapRow>& open_gaps) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>recall report " + format_day(stats.day) + "</title><style>"
      "body{font-family:system-ui,sans-serif;margin:2em;color:#222;background:#fff;max-width:960px}"
      "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
      "text-align:right}td:first-child,th:first-child,td.text{text-align:left}"
      "th{background:#f3f3f3}.axis{font-size:11px;fill:#555}svg text{font-size:13px}"
      ".big{font-size:1.6em;font-weight:bold}.weak{color:#b34700}"
      "</style></head><body>\n";
  html += "<h1>recall report, " + format_day(stats.day) + "</h1>\n";
  html += "<p class=\"big\">Readiness today: " + pct(stats.readiness);
  if (stats.interview) {
    html += " &middot; interview " + format_day(*stats.interview);
    if (stats.predicted_readiness) html += ", predicted " + pct(stats.predicted_readiness);
  }
  html += "</p>\n<h2>Domains</h2>\n<table><tr><th>Domain</th><th>Weight</th><th>Cards</th><th>New</th>"
          "<th>Due</th><th>Mature</th><th>Retention (30 d)</th><th>Lapses</th><th>Recurring</th>"
          "<th>Readiness</th></tr>\n";
  for (const auto& d : stats.domains) {
    const auto& c = d.counts;
    html += "<tr><td>" + escape(c.letter ? std::string(1, c.letter) + ". " + c.name : c.name) + "</td><td>" +
            std::to_string(c.weight) + "%</td><td>" + std::to_string(c.cards) + "</td><td>" +
            std::to_string(c.new_cards) + "</td><td>" + std::to_string(c.due) + "</td><td>" +
            std::to_string(c.mature) + "</td><td>" + pct(d.retention) + "</td><td>" +
            std::to_string(c.lapses) + "</td><td>" + std::to_string(c.recurring) + "</td><td>" +
            pct(d.readiness) + "</td></tr>\n";
  }
  html += "</table>\n<h2>Due cards, next days</h2>\n" + forecast_svg(stats.forecast) +
          "\n<h2>Answers, last 12 weeks</h2>\n" + heatmap_svg(stats.heatmap) +
          "\n<h2>Retention by domain, last 30 days</h2>\n" + retention_svg(stats.domains) + "\n";
  html += "<h2>Topics</h2>\n<table><tr><th>Topic</th><th>Title</th><th>Tutor's confidence</th>"
          "<th>Cards</th><th>Known</th><th>Retention (30 d)</th></tr>\n";
  for (const auto& t : topics) {
    std::optional<double> retention;
    if (t.answers_30d > 0) retention = double(t.passed_30d) / t.answers_30d;
    const double known = t.cards > 0 ? double(t.known) / t.cards : 0.0;
    html += std::string("<tr") + (known < kWeakReadiness ? " class=\"weak\"" : "") + "><td>" +
            escape(t.label) + "</td><td class=\"text\">" + escape(t.title) + (t.in_progress ? " (in progress)" : "") +
            "</td><td class=\"text\">" + escape(t.confidence) + "</td><td>" + std::to_string(t.cards) +
            "</td><td>" + pct(known) + "</td><td>" + pct(retention) + "</td></tr>\n";
  }
  html += "</table>\n<h2>Open gaps</h2>\n";
  if (open_gaps.empty()) html += "<p>None.</p>\n";
  else {
    html += "<ul>\n";
    for (const auto& gap : open_gaps)
      html += "<li><strong>" + escape(gap.tier) + "</strong>" + (gap.recurring ? " (recurring)" : "") +
              ": " + escape(gap.text) + "</li>\n";
    html += "</ul>\n";
  }
  html += "</body></html>\n";
  return html;
}

std::string load_report_html(Store& store, Day today) {
  std::vector<GapRow> open;
  for (auto& gap : store.gaps())
    if (gap.tier == "high" || gap.tier == "medium") open.push_back(std::move(gap));
  return render_report_html(load_stats(store, today), store.topic_counts(today), open);
}

}  // namespace recall
