#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "json.h"
#include "terminal.h"
#include "recall/stats.h"

namespace recall::cli {


int run_plan(Context& context, const std::vector<std::string>& args) {
  po::options_description options("plan options");
  options.add_options()("json", "print a JSON object (docs/interview-and-stats.md)")
      ("ascii", "draw bars with ASCII only");
  po::variables_map values;
  if (!parse_args("plan", args, options, {}, values, "plan [--json] [--ascii]")) return 0;
  const Plan plan = load_plan(context.store(), context.today());
  if (!values.count("json")) {
    std::cout << printable(render_plan_text(plan, locale_is_utf8() && !values.count("ascii")), true);
    return 0;
  }
  Json json;
  json.begin_object().field("today", format_day(plan.today)).field("interview", format_day(plan.interview));
  json.key("days").begin_array();
  for (const auto& day : plan.days)
    json.begin_object().field("day", format_day(day.day)).field("reviews", day.reviews)
        .field("new", day.new_cards).end_object();
  json.end_array().field("new_left_after", plan.new_left_after).key("weak").begin_array();
  for (const auto& d : plan.weak) json.value(std::string(1, d.counts.letter));
  json.end_array().end_object();
  std::cout << json.str() << "\n";
  return 0;
}

}  // namespace recall::cli
