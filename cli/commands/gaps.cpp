#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include "commands.h"
#include "recall/feedback.h"
#include "recall/json_shapes.h"
#include "recall/withhold.h"
#include "terminal.h"

namespace recall::cli {

namespace {

int tier_rank(const GapOutcome& gap) {
  const std::string& tier = gap.change == GapChange::kAdded ? gap.new_tier : gap.tier;
  return tier == "high" ? 0 : 1;
}

std::string days_list(const std::vector<Day>& days) {
  std::string out;
  for (Day day : days) out += (out.empty() ? "" : ", ") + format_day(day);
  return out;
}

std::string ids_list(const std::vector<long long>& ids) {
  std::string out;
  for (long long id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

}  // namespace

int run_gaps(Context& context, const std::vector<std::string>& args) {
  po::options_description options("gaps options");
  options.add_options()("json", "print a JSON object");
  po::variables_map values;
  if (!parse_args("gaps", args, options, {}, values, "gaps [--json]")) return 0;
  Store& store = context.store();
  const Day today = context.today();
  Feedback feedback = feedback_for(store, today);
  std::stable_sort(
      feedback.gaps.begin(), feedback.gaps.end(),
      [](const GapOutcome& a, const GapOutcome& b) { return tier_rank(a) < tier_rank(b); });
  // The recurring cards' topic and question (never the answer), looked up one by one (not every card).
  std::map<long long, Card> cards;
  for (const auto& miss : feedback.recurring_cards)
    if (auto card = store.card(miss.card_id)) cards.emplace(miss.card_id, std::move(*card));
  const std::set<long long> by_note(feedback.pattern_card_ids.begin(),
                                    feedback.pattern_card_ids.end());

  if (values.count("json")) {
    std::cout << json_text(gaps_json(today, feedback, cards)) << "\n";
    return 0;
  }

  int rank = -1;
  for (const auto& gap : feedback.gaps) {
    if (tier_rank(gap) != rank) {
      rank = tier_rank(gap);
      std::cout << (rank == 0 ? "High priority\n" : "Medium priority\n");
    }
    std::cout << "  " << printable(gap.change == GapChange::kAdded ? gap.new_text : gap.text)
              << "\n";
    std::cout << "      cards " << (gap.card_ids.empty() ? "none" : ids_list(gap.card_ids));
    if (gap.misses > 0)
      std::cout << "; missed " << gap.misses << "× (" << days_list(gap.miss_days) << ")";
    if (gap.recurring) std::cout << "; recurring";
    if (gap.note) std::cout << "; note \"" << printable(*gap.note) << "\"";
    if (gap.change == GapChange::kAdded)
      std::cout << "; next sync adds it as " << gap.new_tier;
    else if (gap.change == GapChange::kRaised)
      std::cout << "; next sync raises it to high";
    else if (gap.change == GapChange::kLowered)
      std::cout << "; next sync lowers it to medium";
    else if (gap.change == GapChange::kResolved)
      std::cout << "; next sync resolves it (" << printable(gap.resolution_note) << ")";
    std::cout << "\n";
  }
  if (feedback.gaps.empty()) std::cout << "no open gaps\n";
  if (!feedback.recurring_cards.empty()) std::cout << "Recurring mistakes\n";
  for (const auto& miss : feedback.recurring_cards) {
    const auto found = cards.find(miss.card_id);
    std::cout << "  card " << miss.card_id;
    if (found != cards.end())
      std::cout << " ["
                << (found->second.topic_label.empty() ? "-" : printable(found->second.topic_label))
                << "] " << printable(question_of(found->second));
    std::cout << " — failed " << miss.failures << "× (" << days_list(miss.fail_days) << ")"
              << (by_note.count(miss.card_id) ? " (same mistake note as other cards)" : "") << "\n";
  }
  bool header = false;
  for (const auto& pattern : feedback.patterns) {
    if (!pattern.recurring) continue;
    if (!header) std::cout << "Recurring mistake notes\n";
    header = true;
    std::cout << "  \"" << printable(pattern.note) << "\" — " << pattern.failures << "× on "
              << pattern.days.size() << " days (" << days_list(pattern.days) << "), cards "
              << ids_list(pattern.card_ids) << "\n";
  }
  return 0;
}

}  // namespace recall::cli
