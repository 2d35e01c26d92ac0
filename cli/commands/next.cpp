#include <iostream>

#include "commands.h"
#include "recall/drill.h"
#include "recall/error.h"
#include "recall/json_shapes.h"
#include "render.h"
#include "terminal.h"

namespace recall::cli {

int run_next(Context& context, const std::vector<std::string>& args) {
  po::options_description options("next options");
  options.add_options()("json", "print a JSON object (null when nothing is left today)");
  add_filter_options(options);
  po::variables_map values;
  if (!parse_args("next", args, options, {}, values,
                  "next [--json] [--topic L] [--domain X] [--gaps]"))
    return 0;
  const Day today = context.today();
  Store& store = context.store();
  const auto next = next_card(store, today, resolve_filter(store, filter_from(values)));
  const bool json_output = values.count("json") > 0;
  if (!next) {
    std::cout << (json_output
                      ? "null"
                      : "nothing due today (" + format_day(today) + "): today's queue is finished")
              << "\n";
    if (!json_output)
      if (const std::string text = waiting_text(store.review_counts()); !text.empty())
        std::cout << text << "\n";
    return 0;
  }
  if (json_output) {
    std::cout << json_text(next_json(*next, today)) << "\n";
    return 0;
  }
  const Card* card = &next->card;
  const int position = next->position, total = next->total;
  const QueueItem& item = next->item;
  std::cout << "card " << card->id << " (" << to_string(item.phase) << " " << position << "/"
            << total << ")";
  if (card->topic_id) std::cout << " — " << topic_line(*card);
  std::cout << "\n\n"
            << printable(card->front, true) << "\n\n---\n"
            << printable(card->back, true) << "\n";
  return 0;
}

}  // namespace recall::cli
