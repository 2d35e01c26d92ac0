#include <iostream>

#include "commands.h"
#include "recall/answering.h"
#include "render.h"

namespace recall::cli {

int run_undo(Context& context, const std::vector<std::string>& args) {
  po::options_description options("undo options");
  po::variables_map values;
  if (!parse_args("undo", args, options, {}, values, "undo")) return 0;
  const auto undone = undo_last_answer(context.store());
  if (!undone) {
    std::cout << "nothing to undo\n";
    return 0;
  }
  std::cout << "undid grade " << undone->grade << " on card " << undone->card_id << " ("
            << format_day(undone->day) << "); due " << due_text(undone->before.due_day)
            << " again\n";
  return 0;
}

}  // namespace recall::cli
