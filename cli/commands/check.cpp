// recall check: integrity, foreign keys, and every card replayed from its
// review log. Exit 1 when anything differs.
#include <iostream>

#include "commands.h"
#include "json.h"
#include "recall/check.h"

namespace recall::cli {

// --json: {"ok":bool,"cards":N,"reviews":N,"problems":[{"area":"integrity"|
// "foreign_key"|"replay"|"derived"|"import","card":ID|null,"review":ID|null,"message":TEXT}]}
int run_check(Context& context, const std::vector<std::string>& args) {
  po::options_description options("check options");
  options.add_options()("json", "print the report as JSON");
  po::variables_map values;
  if (!parse_args("check", args, options, {}, values, "check [--json]")) return 0;
  const CheckReport report = context.store().check();
  if (values.count("json")) {
    Json json;
    json.begin_object().field("ok", report.ok()).field("cards", report.cards_checked)
        .field("reviews", report.reviews_checked).key("problems").begin_array();
    for (const auto& p : report.problems) {
      json.begin_object().field("area", p.area).key("card");
      p.card_id ? json.value(p.card_id) : json.null();
      json.key("review");
      p.review_id ? json.value(p.review_id) : json.null();
      json.field("message", p.message).end_object();
    }
    json.end_array().end_object();
    std::cout << json.str() << "\n";
    return report.ok() ? 0 : 1;
  }
  for (const auto& p : report.problems) {
    std::cout << p.area << ": ";
    if (p.card_id) std::cout << "card " << p.card_id << ": ";
    std::cout << p.message << "\n";
  }
  std::cout << context.db_path() << ": " << (report.ok() ? "ok" : "DIFFERENCES FOUND") << " ("
            << report.cards_checked << " cards, " << report.reviews_checked << " reviews, "
            << report.problems.size() << " problems)\n";
  return report.ok() ? 0 : 1;
}

}  // namespace recall::cli
