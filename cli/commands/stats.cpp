#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "json.h"
#include "terminal.h"
#include "recall/memory.h"
#include "recall/stats.h"

namespace recall::cli {

namespace {

double rounded(double share) { return std::round(share * 1000) / 1000; }

void optional_share(Json& json, const char* key, std::optional<double> share) {
  json.key(key);
  if (share)
    json.value(rounded(*share));
  else
    json.null();
}

void write_counts(Json& json, const DomainCounts& c, std::optional<double> retention) {
  json.field("cards", c.cards).field("new", c.new_cards).field("due", c.due).field("mature", c.mature);
  optional_share(json, "retention", retention);
  json.field("answers_30d", c.answers_30d).field("lapses", c.lapses).field("recurring", c.recurring);
}

// "studied", "coverage", "predicted_recall", "predicted_recall_on_interview".
void write_recall(Json& json, const RecallFigures& r) {
  json.field("studied", r.studied).field("coverage", rounded(r.coverage()));
  optional_share(json, "predicted_recall", r.today);
  optional_share(json, "predicted_recall_on_interview", r.on_interview);
}

int print_calibration(Store& store, bool as_json) {
  const auto models = load_calibration(store);
  if (as_json) {
    Json json;
    json.begin_object().key("models").begin_array();
    for (const auto& m : models) {
      json.begin_object().field("model", m.model);
      if (m.result) {
        json.field("reviews", static_cast<long long>(m.result->reviews))
            .field("log_loss", std::round(m.result->log_loss * 1e4) / 1e4)
            .field("rmse_bins", std::round(m.result->rmse_bins * 1e4) / 1e4);
      } else {
        json.field("reviews", 0).key("log_loss").null().key("rmse_bins").null();
      }
      json.end_object();
    }
    json.end_array().end_object();
    std::cout << json.str() << "\n";
    return 0;
  }
  std::cout << "Calibration on this log (reviews a day or more after the previous one, each\n"
               "predicted from the reviews before it; lower is better)\n\n"
            << "model             reviews  log loss  RMSE(bins)\n";
  for (const auto& m : models) {
    char row[128];
    if (m.result)
      std::snprintf(row, sizeof row, "%-16s %8zu  %8.4f  %10.4f\n", m.model.c_str(), m.result->reviews,
                    m.result->log_loss, m.result->rmse_bins);
    else
      std::snprintf(row, sizeof row, "%-16s %8s  %8s  %10s\n", m.model.c_str(), "0", "n/a", "n/a");
    std::cout << row;
  }
  if (!models[1].result) std::cout << "\nfsrs6-fitted: no fitted parameters stored (see `recall optimize`)\n";
  return 0;
}

}  // namespace

int run_stats(Context& context, const std::vector<std::string>& args) {
  po::options_description options("stats options");
  options.add_options()("json", "print a JSON object (docs/interview-and-stats.md)")
      ("ascii", "draw charts with ASCII only")
      ("calibration", "how well FSRS-6 and SM-2 predict this log (docs/memory-model.md)");
  po::variables_map values;
  if (!parse_args("stats", args, options, {}, values, "stats [--json] [--ascii] [--calibration]"))
    return 0;
  if (values.count("calibration")) return print_calibration(context.store(), values.count("json") > 0);
  const Stats stats = load_stats(context.store(), context.today());
  if (!values.count("json")) {
    std::cout << printable(render_stats_text(stats, locale_is_utf8() && !values.count("ascii")), true);
    return 0;
  }
  Json json;
  json.begin_object().field("day", format_day(stats.day)).key("interview");
  if (stats.interview)
    json.value(format_day(*stats.interview));
  else
    json.null();
  json.field("readiness", rounded(stats.readiness));
  optional_share(json, "predicted_readiness", stats.predicted_readiness);
  write_recall(json, stats.recall);
  json.key("domains").begin_array();
  for (const auto& d : stats.domains) {
    json.begin_object().key("letter");
    if (d.counts.letter)
      json.value(std::string(1, d.counts.letter));
    else
      json.null();
    json.field("name", d.counts.name).field("weight", d.counts.weight);
    write_counts(json, d.counts, d.retention);
    json.field("readiness", rounded(d.readiness));
    write_recall(json, d.recall);
    json.end_object();
  }
  json.end_array().key("total").begin_object();
  write_counts(json, stats.total, stats.retention);
  json.end_object().key("forecast").begin_array();
  for (const auto& [day, due] : stats.forecast)
    json.begin_object().field("day", format_day(day)).field("due", due).end_object();
  json.end_array().key("heatmap").begin_array();
  for (const auto& [day, answers] : stats.heatmap)
    json.begin_object().field("day", format_day(day)).field("answers", answers).end_object();
  json.end_array().end_object();
  std::cout << json.str() << "\n";
  return 0;
}

}  // namespace recall::cli
