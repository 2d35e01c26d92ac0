#include "render.h"

#include "recall/review.h"
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
    text += "flagged new cards the drill introduces without a review (config drafts = drill): " +
            std::to_string(counts.drafts);
  return text + "; cards not yet reviewed: " + std::to_string(counts.unreviewed);
}

std::string review_advice(const ReviewCounts& counts) {
  const std::string review =
      "review them with your tutor (the recall-cards skill) or yourself (`recall cards "
      "--unreviewed`, then `recall approve`, `recall edit` or `recall retire`)";
  if (drafts_waiting(counts) > 0)
    return "To drill the drafts, " + review +
           ", or drill them unreviewed: `recall config set drafts drill`";
  if (counts.unreviewed > 0) return "To check the cards you drill, " + review;
  return "";
}

std::string waiting_text(const ReviewCounts& counts) {
  if (drafts_waiting(counts) == 0) return "";
  const bool one = counts.drafts == 1;
  return std::to_string(counts.drafts) + (one ? " new card flagged" : " new cards flagged") +
         " for review " + (one ? "waits" : "wait") + " for it before the drill introduces " +
         (one ? "it" : "them") + ". " + review_advice(counts) + ".";
}

}  // namespace recall::cli
