// Text renderings shared by several commands (the JSON shapes are
// recall/json_shapes.h).
#pragma once

#include <string>

#include "recall/drill.h"
#include "recall/store.h"

namespace recall::cli {

// "A.8 Evaluation Metrics - AUC-ROC" or "" for a card without topic,
// printable (terminal.h).
std::string topic_line(const Card& card);
std::string due_text(const std::optional<Day>& day);
// The review pass in one sentence, without a final full stop: "Card review:
// drafts waiting for a review before the drill introduces them: 3; cards not
// yet reviewed: 40" (setting drafts = drill says the flagged cards are
// drilled without a review).
std::string review_text(const ReviewCounts& counts);
// What the learner can do about it, one sentence without a final full stop,
// or "" when every card has been reviewed: while drafts wait, review them
// (the tutor's recall-cards skill, or `recall cards --unreviewed` and
// approve / edit / retire) or drill them unreviewed (`recall config set
// drafts drill`).
std::string review_advice(const ReviewCounts& counts);
// Why the drill has no new card while drafts wait, with review_advice, one
// line ending in a full stop; "" when no draft waits.
std::string waiting_text(const ReviewCounts& counts);

}  // namespace recall::cli
