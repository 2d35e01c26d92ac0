#include <iostream>

#include "commands.h"
#include "recall/answering.h"
#include "recall/day.h"
#include "recall/error.h"
#include "recall/json_shapes.h"
#include "recall/text.h"
#include "render.h"

namespace recall::cli {

int run_answer(Context& context, const std::vector<std::string>& args) {
  po::options_description options("answer options");
  options.add_options()("card-id", po::value<std::string>()->required(), "the card")(
      "grade", po::value<std::string>()->required(), "0..5 (0 blackout ... 5 perfect)")(
      "note", po::value<std::string>(), "what went wrong, in your words")(
      "json", "print the new state as JSON");
  po::positional_options_description positional;
  positional.add("card-id", 1).add("grade", 1);
  po::variables_map values;
  if (!parse_args("answer", args, options, positional, values,
                  "answer CARD_ID GRADE [--note TEXT] [--json]"))
    return 0;
  const long long id = parse_card_id(values["card-id"].as<std::string>());
  const int grade = parse_grade(values["grade"].as<std::string>());
  std::optional<std::string> note;
  if (values.count("note") && !values["note"].as<std::string>().empty()) {
    note = values["note"].as<std::string>();
    require_valid_note(*note, "--note");
  }
  const ReviewLog log = answer_card(
      context.store(),
      {id, grade, context.today(), local_timestamp(std::chrono::system_clock::now()), note});
  if (values.count("json")) {
    std::cout << json_text(answer_json(log)) << "\n";
    return 0;
  }
  if (log.kind == ReviewKind::kRedrill) {
    std::cout << "card " << id << ": re-drill answer " << grade
              << " recorded; schedule unchanged (due " << due_text(log.after.due_day) << ")\n";
  } else {
    std::cout << "card " << id << ": grade " << grade << ", next in " << log.after.interval_days
              << (log.after.interval_days == 1 ? " day" : " days") << ", due "
              << due_text(log.after.due_day) << " (EF " << format_easiness(log.after.easiness_milli)
              << ")\n";
  }
  return 0;
}

}  // namespace recall::cli
