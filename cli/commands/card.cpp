#include <cmath>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "recall/error.h"
#include "recall/json_shapes.h"
#include "recall/memory.h"
#include "render.h"
#include "terminal.h"

namespace recall::cli {

namespace {
std::string format_memory(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}
}  // namespace

int run_card(Context& context, const std::vector<std::string>& args) {
  po::options_description options("card options");
  options.add_options()("card-id", po::value<std::string>()->required(), "the card")(
      "json", "print a JSON object");
  po::positional_options_description positional;
  positional.add("card-id", 1);
  po::variables_map values;
  if (!parse_args("card", args, options, positional, values, "card CARD_ID [--json]")) return 0;
  const long long id = parse_card_id(values["card-id"].as<std::string>());
  Store& store = context.store();
  const auto card = store.card(id);
  if (!card) throw Error::data("no card with id " + std::to_string(id));
  const auto history = store.reviews_for_card(id);
  const auto memory = load_card_memory(store, *card, context.today());
  if (values.count("json")) {
    std::cout << json_text(card_detail_json(*card, history, memory)) << "\n";
    return 0;
  }
  std::cout << "card " << card->id << " (" << to_string(card->kind) << ")";
  if (card->topic_id) std::cout << " — " << topic_line(*card);
  if (card->retired) std::cout << " [retired]";
  std::cout << "\n\nfront:\n"
            << printable(card->front, true) << "\n\nback:\n"
            << printable(card->back, true) << "\n\n";
  const auto& s = card->state;
  std::cout << "n " << s.repetitions << "  EF " << format_easiness(s.easiness_milli)
            << "  interval " << s.interval_days << "d  due " << due_text(s.due_day) << "  lapses "
            << s.lapses << "\n";
  if (card->reviewed_by.empty())
    std::cout << "review: not yet reviewed"
              << (card->quality == "review" ? " (flagged: " + printable(card->quality_reason) + ")"
                                            : "")
              << "\n";
  else
    std::cout << "review: " << card->reviewed_as << " by the " << card->reviewed_by
              << (card->reviewed_day ? " on " + format_day(*card->reviewed_day) : "")
              << (card->review_reason.empty() ? "" : ": " + printable(card->review_reason)) << "\n";
  if (memory)
    std::cout << "memory (FSRS-6): stability " << format_memory(memory->stability)
              << "d  difficulty " << format_memory(memory->difficulty) << "  recall chance today "
              << std::lround(memory->retrievability * 100) << "%\n";
  if (history.empty()) {
    std::cout << "no reviews yet\n";
    return 0;
  }
  std::cout << "\nhistory:\n";
  for (const auto& log : history) {
    std::cout << "  " << format_day(log.day) << "  grade " << log.grade << "  "
              << to_string(log.kind) << "  -> " << log.after.interval_days << "d, due "
              << due_text(log.after.due_day);
    if (log.note) std::cout << "  note: " << printable(*log.note);
    std::cout << "\n";
  }
  return 0;
}

}  // namespace recall::cli
