// What the tutor may not see of the card being drilled: between next_card
// and reveal_card, no reply of recall mcp carries the presented card's
// answer (its back or the key point it was made from), whichever tool built
// the reply (a brief, a gap list, a sync diff, a sibling card's outline).
#pragma once

#include <string>
#include <vector>

#include "recall/json_shapes.h"
#include "recall/model.h"

namespace recall {

// What replaces a withheld answer in a reply.
inline constexpr const char* kWithheld = "[withheld until reveal_card]";

// The texts that give `card`'s answer away: its back and source, whole and
// line by line (list bullets dropped), less anything its front shows (the
// context line, a topic's title) and texts under 2 bytes.
std::vector<std::string> answer_texts(const Card& card);

// How a card is named where its answer must not show (a recurring mistake
// in `brief` and `gaps`): its question, the front without its context line.
std::string question_of(const Card& card);

// Replaces every occurrence of `texts` in the string values of `value` (its
// keys are recall's names, never card text) that starts and ends at a word boundary, longest text first.
// Returns how many were replaced.
int withhold(JsonValue& value, const std::vector<std::string>& texts);

}  // namespace recall
