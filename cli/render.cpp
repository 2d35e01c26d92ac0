#include "render.h"

#include "terminal.h"

namespace recall::cli {

std::string due_text(const std::optional<Day>& day) { return day ? format_day(*day) : "new"; }

std::string topic_line(const Card& card) {
  if (!card.topic_id) return "";
  return printable(card.topic_label + " " + card.topic_title);
}

}  // namespace recall::cli
