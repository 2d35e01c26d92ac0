#include "render.h"

#include "terminal.h"

namespace recall::cli {

std::string due_text(const std::optional<Day>& day) { return day ? format_day(*day) : "new"; }

void write_state(Json& json, const Sm2State& state) {
  json.begin_object()
      .field("n", state.repetitions)
      .field("ef", format_easiness(state.easiness_milli))
      .field("interval", state.interval_days);
  json.key("due");
  if (state.due_day)
    json.value(format_day(*state.due_day));
  else
    json.null();
  json.field("lapses", state.lapses).end_object();
}

std::string topic_line(const Card& card) {
  if (!card.topic_id) return "";
  return printable(card.topic_label + " " + card.topic_title);
}

void write_card(Json& json, const Card& card) {
  json.begin_object().field("id", card.id).field("kind", to_string(card.kind));
  json.key("topic");
  if (card.topic_id) {
    json.begin_object()
        .field("label", card.topic_label)
        .field("title", card.topic_title)
        .field("domain", std::string(1, card.domain_letter ? card.domain_letter : '?'))
        .field("domain_name", card.domain_name)
        .field("weight", card.domain_weight)
        .end_object();
  } else {
    json.null();
  }
  json.field("front", card.front).field("back", card.back).field("source", card.source);
  json.field("tags", card.tags).field("quality", card.quality)
      .field("quality_reason", card.quality_reason).field("edited", card.edited);
  json.key("state");
  write_state(json, card.state);
  json.field("suspended", card.suspended).field("retired", card.retired).end_object();
}

}  // namespace recall::cli
