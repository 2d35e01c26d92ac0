// Text and JSON renderings shared by several commands.
#pragma once

#include <string>

#include "json.h"
#include "recall/drill.h"
#include "recall/store.h"

namespace recall::cli {

// {"n":..,"ef":"2.50","interval":..,"due":"YYYY-MM-DD"|null,"lapses":..}
void write_state(Json& json, const Sm2State& state);
// The card object used by `next --json` and `card --json`.
void write_card(Json& json, const Card& card);
// "A.8 Evaluation Metrics - AUC-ROC" or "" for a card without topic,
// printable (terminal.h).
std::string topic_line(const Card& card);
std::string due_text(const std::optional<Day>& day);

}  // namespace recall::cli
