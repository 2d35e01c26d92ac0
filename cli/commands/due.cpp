#include <iostream>

#include "commands.h"
#include "recall/drill.h"
#include "recall/json_shapes.h"
#include "render.h"

namespace recall::cli {

int run_due(Context& context, const std::vector<std::string>& args) {
  po::options_description options("due options");
  options.add_options()("json", "print a JSON object");
  add_filter_options(options);
  po::variables_map values;
  if (!parse_args("due", args, options, {}, values,
                  "due [--json] [--topic L] [--domain X] [--gaps]"))
    return 0;
  Store& store = context.store();
  const Day today = context.today();
  const QueueInputs inputs =
      gather_queue(store, today, resolve_filter(store, filter_from(values)), std::nullopt, 0);
  const Queue queue = order_queue(inputs);
  const int reviews = queue.reviews_total, fresh = queue.new_total;
  const ReviewCounts review = store.review_counts();
  if (values.count("json")) {
    std::cout << json_text(due_json(today, inputs, queue, review)) << "\n";
    return 0;
  }
  std::cout << format_day(today) << ": " << reviews << " due, " << fresh << " new, "
            << queue.redrill_total << " to re-drill";
  if (queue.due_total > reviews)
    std::cout << " (" << queue.due_total << " due before the daily limit)";
  std::cout << "\n" << review_text(review) << ".\n";
  if (const std::string advice = review_advice(review); !advice.empty())
    std::cout << advice << ".\n";
  return 0;
}

}  // namespace recall::cli
