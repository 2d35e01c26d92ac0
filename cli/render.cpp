#include "render.h"

#include "terminal.h"

namespace recall::cli {

std::string due_text(const std::optional<Day>& day) { return day ? format_day(*day) : "new"; }

std::string topic_line(const Card& card) {
  if (!card.topic_id) return "";
  return printable(card.topic_label + " " + card.topic_title);
}

std::string review_text(const ReviewCounts& counts) {
  // No " card N" in it: the drill's piped output names cards that way.
  std::string text = "Card review: ";
  if (counts.drafts_wait)
    text += "drafts waiting for a review before the drill introduces them: " +
            std::to_string(counts.drafts);
  else
    text += "flagged cards drilled without a review (config drafts = drill): " +
            std::to_string(counts.drafts);
  return text + "; cards not yet reviewed: " + std::to_string(counts.unreviewed);
}

}  // namespace recall::cli
