// recall check: integrity, foreign keys, and every card replayed from its
// review log. Exit 1 when anything differs.
#include <chrono>
#include <iostream>
#include <string>

#include "commands.h"
#include "recall/check.h"
#include "recall/json_shapes.h"
#include "recall/study.h"
#include "terminal.h"

namespace recall::cli {

// --json: check_json (json_shapes.h); "area" is "integrity", "foreign_key",
// "replay", "order", "derived", "memory", "links" or "import". --repair: study.h repair_review_log,
// its message before the report (on stderr with --json).
int run_check(Context& context, const std::vector<std::string>& args) {
  po::options_description options("check options");
  options.add_options()("json", "print the report as JSON")(
      "repair",
      "re-date answers dated before an earlier answer of their card (area \"order\") and "
      "recompute kept memory that differs from the log (area \"memory\"), after a backup of "
      "the database beside it");
  po::variables_map values;
  if (!parse_args("check", args, options, {}, values, "check [--json] [--repair]")) return 0;
  if (values.count("repair")) {
    std::string stamp = local_timestamp(std::chrono::system_clock::now());  // 2026-12-03T14:05:09
    std::erase_if(stamp, [](char c) { return c == ':' || c == '-'; });
    const std::string backup = context.db_path() + ".before-repair-" + stamp;
    const LogRepairResult repaired = repair_review_log(context.store(), backup);
    // With --json, stdout holds the report alone.
    std::ostream& out = values.count("json") ? std::cerr : std::cout;
    if (repaired.backup.empty()) {
      out << "no answer is dated before an earlier answer of its card, every card's kept "
             "memory equals its log and no card is linked to a gap the tutor took it away "
             "from: nothing to repair\n";
    } else {
      if (repaired.cards > 0)
        out << "repaired " << repaired.cards << (repaired.cards == 1 ? " card" : " cards") << ": "
            << repaired.redated << (repaired.redated == 1 ? " answer" : " answers")
            << " re-dated to the day of the answer before it\n";
      if (repaired.memory_cards > 0)
        out << "recomputed the FSRS-6 memory kept with every card from its log ("
            << repaired.memory_cards << (repaired.memory_cards == 1 ? " card" : " cards")
            << " differed)\n";
      if (repaired.links > 0)
        out << "took away " << repaired.links << (repaired.links == 1 ? " link" : " links")
            << " of cards to gaps the tutor had taken them away from\n";
      out << "the database before the repair is in " << repaired.backup << "\n";
    }
  }
  const CheckReport report = context.store().check();
  if (values.count("json")) {
    std::cout << json_text(check_json(report)) << "\n";
    return report.ok() ? 0 : 1;
  }
  for (const auto& p : report.problems) {
    std::cout << p.area << ": ";
    if (p.card_id) std::cout << "card " << p.card_id << ": ";
    std::cout << printable(p.message) << "\n";  // may quote a topic label
  }
  std::cout << context.db_path() << ": " << (report.ok() ? "ok" : "DIFFERENCES FOUND") << " ("
            << report.cards_checked << " cards, " << report.reviews_checked << " reviews, "
            << report.problems.size() << " problems)\n";
  return report.ok() ? 0 : 1;
}

}  // namespace recall::cli
