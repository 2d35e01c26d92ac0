#include <cmath>
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "json.h"
#include "terminal.h"
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

}  // namespace

int run_stats(Context& context, const std::vector<std::string>& args) {
  po::options_description options("stats options");
  options.add_options()("json", "print a JSON object (docs/interview-and-stats.md)")
      ("ascii", "draw charts with ASCII only");
  po::variables_map values;
  if (!parse_args("stats", args, options, {}, values, "stats [--json] [--ascii]")) return 0;
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
  json.key("domains").begin_array();
  for (const auto& d : stats.domains) {
    json.begin_object().key("letter");
    if (d.counts.letter)
      json.value(std::string(1, d.counts.letter));
    else
      json.null();
    json.field("name", d.counts.name).field("weight", d.counts.weight);
    write_counts(json, d.counts, d.retention);
    json.field("readiness", rounded(d.readiness)).end_object();
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
