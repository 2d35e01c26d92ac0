#include "tools.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <utility>

#include "recall/anki.h"
#include "recall/answering.h"
#include "recall/brief.h"
#include "recall/deck.h"
#include "recall/drill.h"
#include "recall/error.h"
#include "recall/feedback.h"
#include "recall/files.h"
#include "recall/importer.h"
#include "recall/interview.h"
#include "recall/json_shapes.h"
#include "recall/memory.h"
#include "recall/sm2.h"
#include "recall/stats.h"
#include "recall/study.h"
#include "recall/text.h"
#include "recall/tracker.h"
#include "recall/withhold.h"

namespace recall::mcp {

std::optional<char> domain_of(const JsonValue& a) {
  if (!a.contains("domain")) return std::nullopt;
  const std::string letter = a["domain"].get<std::string>();
  if (letter.size() != 1 || !std::isalpha(static_cast<unsigned char>(letter[0])))
    throw Error::usage("domain: '" + letter + "' is not a domain letter (A, B, ...)");
  return letter[0];
}

JsonValue queue_counts(Store& store, Day today, const CardFilter& filter) {
  const QueueInputs inputs = gather_queue(store, today, filter, std::nullopt, 0);
  return due_json(today, inputs, order_queue(inputs));
}

namespace {

// A failure the model can act on: a tool result with isError, one line.
struct ToolFailure {
  std::string reason;
};

// ---- the engine calls, in one place (answering.h owns the answer use
// case; these are what `recall next`, `due`, `answer` do, and nothing
// more) ----

// `recall answer`'s path (grade_card), or the tutor's record of an answer
// heard in conversation (record_answer: record_observed_answer).
ReviewLog record(Store& store, long long card_id, int grade, Day today, const std::string& at,
                 const std::optional<std::string>& note, bool from_tutor) {
  if (from_tutor) return record_observed_answer(store, card_id, grade, today, at, note);
  return answer_card(store, {card_id, grade, today, at, note, AnswerSource::kLearner});
}

// ---- arguments ----

Card existing_card(Store& store, long long id) {
  auto card = store.card(id);
  if (!card) throw ToolFailure{"no card with id " + std::to_string(id)};
  return std::move(*card);
}

long long card_id_of(const JsonValue& a) { return a.at("card_id").get<long long>(); }

std::optional<std::string> note_of(const JsonValue& a) {
  const auto it = a.find("note");
  if (it == a.end() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

char upper(char letter) {
  return static_cast<char>(std::toupper(static_cast<unsigned char>(letter)));
}

CardFilter filter_of(const JsonValue& a) {
  CardFilter filter;
  if (a.contains("topic")) filter.topic_label = a["topic"].get<std::string>();
  if (const auto letter = domain_of(a)) filter.domain_letter = upper(*letter);
  filter.gaps_only = a.value("gaps_only", false);
  return filter;
}

// ---- schemas ----

// import_tracker's and sync_tracker's consent to an import that retires
// most cards made from key points (refused without it).
const JsonValue kAllowMassRetire = {
    {"type", "boolean"},
    {"description",
     "retire the cards of key points the tracker no longer lists even when they are most of them "
     "(only when the tracker really dropped them; a layout read wrong looks the same)"}};

JsonValue object_schema(JsonValue properties, std::vector<std::string> required = {}) {
  JsonValue schema = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = required;
  schema["additionalProperties"] = false;
  return schema;
}

JsonValue no_arguments() { return {{"type", "object"}, {"additionalProperties", false}}; }

JsonValue card_id_property() {
  return {{"type", "integer"}, {"minimum", 1}, {"description", "the card's id (from next_card)"}};
}
JsonValue grade_property() {
  return {{"type", "integer"},
          {"minimum", 0},
          {"maximum", 5},
          {"description",
           "0 blackout, 1 wrong but familiar, 2 wrong but easy once seen, "
           "3 right but hard, 4 right after some hesitation, 5 perfect"}};
}
JsonValue note_property(const char* what) {
  return {{"type", "string"},
          {"maxLength", kMaxNoteLength},
          {"description", std::string(what) + " (one line, at most " +
                              std::to_string(kMaxNoteLength) + " characters)"}};
}

JsonValue typed(const char* type) { return {{"type", type}}; }
JsonValue nullable(const char* type) { return {{"type", {type, "null"}}}; }
JsonValue array_of(JsonValue items) { return {{"type", "array"}, {"items", std::move(items)}}; }

// Open output objects: keys may be added, as README promises for the JSON.
JsonValue shape(JsonValue properties) {
  std::vector<std::string> required;
  for (const auto& [key, value] : properties.items()) required.push_back(key);
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", required}};
}

JsonValue state_schema() {
  return shape({{"n", typed("integer")},
                {"ef", typed("string")},
                {"interval", typed("integer")},
                {"due", nullable("string")},
                {"lapses", typed("integer")}});
}

JsonValue card_schema(bool with_back) {
  JsonValue topic = shape({{"label", typed("string")},
                           {"title", typed("string")},
                           {"domain", typed("string")},
                           {"domain_name", typed("string")},
                           {"weight", typed("integer")}});
  topic["type"] = {"object", "null"};
  JsonValue properties = {{"id", typed("integer")},
                          {"kind", typed("string")},
                          {"topic", topic},
                          {"front", typed("string")}};
  if (with_back) {
    properties["back"] = typed("string");
    properties["source"] = typed("string");
  }
  properties["tags"] = typed("string");
  properties["quality"] = {{"type", "string"}, {"enum", {"ok", "review"}}};
  properties["quality_reason"] = typed("string");
  properties["state"] = state_schema();
  properties["suspended"] = typed("boolean");
  properties["retired"] = typed("boolean");
  return shape(std::move(properties));
}

JsonValue preview_schema() {
  return array_of(shape(
      {{"grade", typed("integer")}, {"interval", typed("integer")}, {"due", typed("string")}}));
}

JsonValue counts_schema() {
  return shape({{"day", typed("string")},
                {"due", typed("integer")},
                {"new", typed("integer")},
                {"redrill", typed("integer")},
                {"due_total", typed("integer")},
                {"new_available", typed("integer")},
                {"reviews_answered", typed("integer")},
                {"new_answered", typed("integer")}});
}

JsonValue answer_schema(bool with_remaining) {
  JsonValue properties = {{"card", typed("integer")},
                          {"grade", typed("integer")},
                          {"kind", {{"type", "string"}, {"enum", {"review", "redrill", "tutor"}}}},
                          {"day", typed("string")},
                          {"state", state_schema()}};
  if (with_remaining) properties["remaining"] = counts_schema();
  return shape(std::move(properties));
}

JsonValue history_schema() {
  return array_of(shape({{"day", typed("string")},
                         {"at", typed("string")},
                         {"grade", typed("integer")},
                         {"kind", typed("string")},
                         {"note", nullable("string")},
                         {"before", state_schema()},
                         {"after", state_schema()}}));
}

}  // namespace

const std::vector<RecallTools::Tool>& RecallTools::table() {
  using T = RecallTools;
  static const std::vector<T::Tool> tools = {
      {"brief", "Session brief",
       "What to know at the start of a session, as `recall brief --json`: cards due and new today, "
       "the recurring mistakes with their notes, the weakest topics by review evidence, the open "
       "gaps drilling has not fixed, and the interview date. Facts only.",
       no_arguments(),
       shape({{"database", typed("string")},
              {"exists", typed("boolean")},
              {"day", typed("string")},
              {"due", typed("integer")},
              {"new", typed("integer")},
              {"redrill", typed("integer")},
              {"recurring", typed("array")},
              {"weakest_topics", typed("array")},
              {"gaps", typed("array")}}),
       true, &T::brief},
      {"next_card", "Next card",
       "The card to ask now: the head of today's review queue (the drill's order and daily "
       "limits), "
       "front and context only, never the answer, and last_mistake: the learner's note on the "
       "failure a card comes back from (else null). Ask the learner the front, hear the answer, "
       "then call reveal_card. Fails when nothing is left today.",
       object_schema(
           {{"topic",
             {{"type", "string"},
              {"minLength", 1},
              {"maxLength", 64},
              {"description", "only this topic's cards, by label (A.8)"}}},
            {"domain",
             {{"type", "string"},
              {"minLength", 1},
              {"maxLength", 1},
              {"description", "only this domain's cards (A..F)"}}},
            {"gaps_only",
             {{"type", "boolean"},
              {"description", "only cards linked to knowledge gaps or recurring mistakes"}}}}),
       shape({{"phase", {{"type", "string"}, {"enum", {"review", "new", "redrill"}}}},
              {"position", typed("integer")},
              {"total", typed("integer")},
              {"card", card_schema(false)},
              {"last_mistake", nullable("string")}}),
       false, &T::next_card},
      {"reveal_card", "Reveal the answer",
       "The back of the card next_card presented (only that card), after the learner answered, "
       "with "
       "the interval each grade 0-5 would give (none for a re-drill, which moves no schedule). "
       "Compare the learner's answer with it, then grade_card.",
       object_schema({{"card_id", card_id_property()}}, {"card_id"}),
       shape({{"card_id", typed("integer")},
              {"front", typed("string")},
              {"back", typed("string")},
              {"source", typed("string")},
              {"preview", preview_schema()}}),
       false, &T::reveal_card},
      {"grade_card", "Grade the revealed card",
       "Records the grade (0-5) of the card just revealed, as the terminal drill would; a note "
       "says "
       "what went wrong, in the learner's words (kept for mistakes). Returns the new state and "
       "what "
       "is left today.",
       object_schema({{"card_id", card_id_property()},
                      {"grade", grade_property()},
                      {"note", note_property("what went wrong, in the learner's words")}},
                     {"card_id", "grade"}),
       answer_schema(true), false, &T::grade_card},
      {"record_answer", "Record an answer heard in conversation",
       "Records a grade for a card the learner answered in conversation, outside the drill (logged "
       "as kind 'tutor'; the same SM-2 and same-day rules as a drill answer). Not for the card "
       "next_card presented: reveal and grade that one.",
       object_schema({{"card_id", card_id_property()},
                      {"grade", grade_property()},
                      {"note", note_property("what the learner said or got wrong (may be empty)")}},
                     {"card_id", "grade", "note"}),
       answer_schema(false), false, &T::record_answer},
      {"undo_last", "Undo the last answer",
       "Reverts the last answer recorded by this session that still stands (state and log "
       "restored exactly), as the terminal drill's undo does. Fails when this session recorded "
       "none, or that answer's card was answered again since; an answer another recall already "
       "undid is skipped with a message.",
       no_arguments(),
       shape({{"card", typed("integer")},
              {"grade", typed("integer")},
              {"kind", typed("string")},
              {"day", typed("string")},
              {"state", state_schema()}}),
       false, &T::undo_last},
      {"card", "One card",
       "One card: content, SM-2 state, FSRS-6 memory and review history (as `recall card "
       "--json`), and `card.gaps`: the ids of the open gaps it drills. The back is withheld "
       "while the card is presented in the drill and not yet revealed.",
       object_schema({{"card_id", card_id_property()}}, {"card_id"}),
       shape({{"card", {{"type", "object"}}},
              {"memory", {{"type", {"object", "null"}}}},
              {"history", history_schema()}}),
       true, &T::card},
      {"edit_card", "Edit a card's text",
       "Sets a card's front, back or both (as `recall edit`): one transaction; the card keeps its "
       "schedule and history, is marked edited (tracker imports and deck regeneration keep the "
       "text) and its quality becomes ok. Text without the context line keeps the card's.",
       object_schema(
           {{"card_id", card_id_property()},
            {"front",
             {{"type", "string"},
              {"minLength", 1},
              {"maxLength", Store::kMaxCardText},
              {"description", "the new question (at most " + std::to_string(Store::kMaxCardText) +
                                  " characters)"}}},
            {"back",
             {{"type", "string"},
              {"minLength", 1},
              {"maxLength", Store::kMaxCardText},
              {"description", "the new answer (at most " + std::to_string(Store::kMaxCardText) +
                                  " characters)"}}}},
           {"card_id"}),
       shape({{"card", {{"type", "object"}}}}), false, &T::edit_card},
      {"gaps", "Knowledge gaps",
       "Open knowledge gaps by tier with their evidence, the recurring mistakes and the mistake "
       "notes seen across cards (as `recall gaps --json`).",
       no_arguments(),
       shape({{"day", typed("string")},
              {"gaps", typed("array")},
              {"recurring_cards", typed("array")},
              {"note_patterns", typed("array")}}),
       true, &T::gaps},
      {"topics", "Topics",
       "Every topic with its card counts, the tutor's confidence and the confidence the review "
       "evidence supports (as `recall topics --json`).",
       no_arguments(),
       shape({{"topics", array_of(shape({{"label", typed("string")},
                                         {"title", typed("string")},
                                         {"domain", typed("string")},
                                         {"confidence", typed("string")},
                                         {"derived_confidence", typed("string")},
                                         {"in_progress", typed("boolean")},
                                         {"retired", typed("boolean")},
                                         {"cards", typed("integer")},
                                         {"new", typed("integer")},
                                         {"due", typed("integer")}}))}}),
       true, &T::topics},
      {"stats", "Statistics",
       "Per-domain counts, retention, readiness, the 30-day forecast and the review heatmap (as "
       "`recall stats --json`).",
       no_arguments(),
       shape({{"day", typed("string")},
              {"interview", nullable("string")},
              {"readiness", typed("number")},
              {"predicted_readiness", nullable("number")},
              {"domains", typed("array")},
              {"total", typed("object")},
              {"forecast", typed("array")},
              {"heatmap", typed("array")}}),
       true, &T::stats},
      {"plan", "Plan until the interview",
       "Day by day until the interview date: expected reviews and new cards, and the weak domains "
       "(as `recall plan --json`). Fails when no interview date is set.",
       no_arguments(),
       shape({{"today", typed("string")},
              {"interview", typed("string")},
              {"days", typed("array")},
              {"new_left_after", typed("integer")},
              {"weak", array_of(typed("string"))}}),
       true, &T::plan},
      {"import_tracker", "Import a tracker",
       "Imports a study tracker (or a deck file) into cards, as `recall import`: safe to repeat; "
       "cards keep their schedule across edits. An import that would retire most cards made from "
       "key points is refused unless allow_mass_retire.",
       object_schema({{"path",
                       {{"type", "string"},
                        {"minLength", 1},
                        {"maxLength", 4096},
                        {"description", "the tracker's path (relative: to the server's folder)"}}},
                      {"allow_mass_retire", kAllowMassRetire}},
                     {"path"}),
       shape({{"file", typed("string")},
              {"kind", typed("string")},
              {"repaired_mojibake", typed("boolean")},
              {"added", typed("integer")},
              {"updated", typed("integer")},
              {"retired", typed("integer")},
              {"restored", typed("integer")},
              {"reordered", typed("integer")},
              {"unchanged", typed("integer")},
              {"domains", typed("integer")},
              {"topics", typed("integer")},
              {"key_points", typed("integer")},
              {"gaps", typed("integer")}}),
       false, &T::import_tracker},
      {"export_anki", "Export the cards for Anki",
       "Writes the cards as an Anki package (.apkg) for the learner's phone, as `recall export "
       "anki`: one deck per domain, notes that keep their identity across edits. with_schedule: "
       "studied cards carry their interval (a first export).",
       object_schema({{"path",
                       {{"type", "string"},
                        {"minLength", 1},
                        {"maxLength", 4096},
                        {"description", "the .apkg to write (relative: to the server's folder)"}}},
                      {"domain", {{"type", "string"}, {"minLength", 1}, {"maxLength", 1}}},
                      {"topic", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}}},
                      {"with_schedule", {{"type", "boolean"}}},
                      {"include_drafts", {{"type", "boolean"}}}},
                     {"path"}),
       shape({{"file", typed("string")},
              {"notes", typed("integer")},
              {"decks", typed("integer")},
              {"scheduled", typed("integer")},
              {"drafts_left_out", typed("integer")},
              {"suspended_left_out", typed("integer")}}),
       false, &T::export_anki},
      {"import_anki", "Import the phone's answers",
       "Adds the answers given in Anki (an .apkg or .colpkg the learner exported on the phone) to "
       "the review log, as `recall import anki`: safe to repeat (a second import adds nothing). "
       "dry_run: say what would be added.",
       object_schema({{"path", {{"type", "string"}, {"minLength", 1}, {"maxLength", 4096}}},
                      {"dry_run", {{"type", "boolean"}}}},
                     {"path", "dry_run"}),
       shape({{"file", typed("string")},
              {"layout", typed("string")},
              {"dry_run", typed("boolean")},
              {"answers_read", typed("integer")},
              {"added", typed("integer")},
              {"duplicates", typed("integer")},
              {"cards", typed("integer")},
              {"replayed", typed("integer")},
              {"not_rated", typed("integer")},
              {"future", typed("integer")},
              {"foreign_notes", typed("integer")},
              {"foreign_answers", typed("integer")}}),
       false, &T::import_anki},
      {"sync_tracker", "Write evidence back into the tracker",
       "Imports the tracker, then writes review evidence back into it (confidence, knowledge gaps, "
       "readiness), as `recall sync`. dry_run: only the diff, nothing written. Without path: the "
       "tracker last imported.",
       object_schema(
           {{"path", {{"type", "string"}, {"minLength", 1}, {"maxLength", 4096}}},
            {"dry_run", {{"type", "boolean"}, {"description", "show the diff, write nothing"}}},
            {"allow_mass_retire", kAllowMassRetire}},
           {"dry_run"}),
       shape({{"file", typed("string")},
              {"evidence", typed("boolean")},
              {"dry_run", typed("boolean")},
              {"written", typed("boolean")},
              {"repaired_mojibake", typed("boolean")},
              {"confidence_changes", typed("integer")},
              {"gaps_added", typed("integer")},
              {"gaps_raised", typed("integer")},
              {"gaps_lowered", typed("integer")},
              {"gaps_resolved", typed("integer")},
              {"gaps_updated", typed("integer")},
              {"readiness_before", nullable("integer")},
              {"readiness_after", nullable("integer")},
              {"diff", typed("string")}}),
       false, &T::sync_tracker},
  };
  static const std::vector<T::Tool> all = [] {
    std::vector<T::Tool> joined = tools;
    for (auto& tool : review_tools()) joined.push_back(std::move(tool));
    return joined;
  }();
  return all;
}

namespace schema {
JsonValue object(JsonValue properties, std::vector<std::string> required) {
  return object_schema(std::move(properties), std::move(required));
}
JsonValue shape(JsonValue properties) { return recall::mcp::shape(std::move(properties)); }
JsonValue typed(const char* type) { return recall::mcp::typed(type); }
JsonValue array_of(JsonValue items) { return recall::mcp::array_of(std::move(items)); }
JsonValue card(bool with_back) { return card_schema(with_back); }
JsonValue counts() { return counts_schema(); }
JsonValue card_id() { return card_id_property(); }
}  // namespace schema

namespace {

JsonValue text_result(const std::string& text, bool is_error) {
  JsonValue result = {{"content", {{{"type", "text"}, {"text", text}}}}};
  if (is_error) result["isError"] = true;
  return result;
}

bool has_type(const JsonValue& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return false;
}

}  // namespace

std::optional<std::string> schema_problem(const JsonValue& schema, const JsonValue& value,
                                          const std::string& where) {
  const std::string name = where.empty() ? "arguments" : where;
  if (const auto type = schema.find("type"); type != schema.end()) {
    bool ok = false;
    std::string wanted;
    for (const auto& t : type->is_array() ? *type : JsonValue::array({*type})) {
      ok = ok || has_type(value, t.get<std::string>());
      wanted += (wanted.empty() ? "" : " or ") + t.get<std::string>();
    }
    if (!ok)
      return name + ": must be " + (wanted == "integer" ? "a whole number" : "of type " + wanted);
  }
  if (value.is_number()) {
    if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>())
      return name + ": must be at least " + schema["minimum"].dump();
    if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>())
      return name + ": must be at most " + schema["maximum"].dump();
  }
  if (value.is_string()) {
    // In characters (code points), as the engine counts and README states.
    const std::size_t length = code_point_count(value.get_ref<const std::string&>());
    if (schema.contains("minLength") && length < schema["minLength"].get<std::size_t>())
      return name + ": must not be empty";
    if (schema.contains("maxLength") && length > schema["maxLength"].get<std::size_t>())
      return name + ": longer than " + schema["maxLength"].dump() + " characters";
  }
  if (!value.is_object()) return std::nullopt;
  const JsonValue properties = schema.value("properties", JsonValue::object());
  for (const auto& key : schema.value("required", JsonValue::array()))
    if (!value.contains(key.get<std::string>()))
      return name + ": " + key.get<std::string>() + " is required";
  for (const auto& [key, item] : value.items()) {
    const auto property = properties.find(key);
    if (property == properties.end()) {
      if (schema.value("additionalProperties", true) == false)
        return name + ": unknown argument '" + key + "'";
      continue;
    }
    if (auto problem = schema_problem(*property, item, key)) return problem;
  }
  return std::nullopt;
}

RecallTools::RecallTools(Store& store, std::function<Day()> today,
                         std::function<std::string()> timestamp)
    : store_(store), today_(std::move(today)), timestamp_(std::move(timestamp)) {}

JsonValue RecallTools::list() {
  JsonValue tools = JsonValue::array();
  for (const Tool& tool : table())
    tools.push_back(
        {{"name", tool.name},
         {"title", tool.title},
         {"description", tool.description},
         {"inputSchema", tool.input_schema},
         {"outputSchema", tool.output_schema},
         {"annotations", {{"readOnlyHint", tool.read_only}, {"openWorldHint", false}}}});
  return tools;
}

std::optional<JsonValue> RecallTools::call(const std::string& name, const JsonValue& arguments) {
  const auto& tools = table();
  const auto tool =
      std::find_if(tools.begin(), tools.end(), [&](const Tool& t) { return t.name == name; });
  if (tool == tools.end()) return std::nullopt;
  JsonValue result;
  try {
    if (auto problem = schema_problem(tool->input_schema, arguments)) throw ToolFailure{*problem};
    JsonValue structured = (this->*(tool->run))(arguments);
    // Withheld in the value, then written out: the text and structuredContent agree.
    withhold_presented_answer(name, structured);
    result = text_result(to_line(structured), false);
    result["structuredContent"] = std::move(structured);
    return result;
  } catch (const ToolFailure& failure) {
    result = text_result(failure.reason, true);
  } catch (const std::exception& e) {
    // recall::Error (no such card, a file that is not a tracker, SQLite
    // failures naming the database) and anything unforeseen: the model
    // reads the reason; the server goes on.
    result = text_result(e.what(), true);
  }
  withhold_presented_answer(name, result);
  return result;
}

// The one gate every reply passes: while a card is presented and not
// revealed, its answer is withheld from whatever any tool returned (next_card
// shows only its front; reveal_card is the way to the back).
void RecallTools::withhold_presented_answer(const std::string& tool, JsonValue& result) {
  if (!presented_ || revealed_ || tool == "reveal_card") return;
  std::optional<Card> card;
  try {
    card = store_.card(*presented_);
  } catch (const std::exception&) {
  }
  if (card) withhold(result, answer_texts(*card));
}

JsonValue RecallTools::next_card(const JsonValue& a) {
  const CardFilter filter = resolve_filter(store_, filter_of(a));  // unknown: an error
  const Day today = today_();
  // Position and total count this session's answers today under this filter.
  if (filter != filter_ || today != progress_day_) progress_ = {};
  progress_day_ = today;
  filter_ = filter;
  const auto head = recall::next_card(store_, today, filter, progress_, skipped_);
  if (!head) throw ToolFailure{finished_day(store_, today, filter, skipped_.size())};
  const Card& card = head->card;
  presented_ = card.id;
  presented_phase_ = head->item.phase;
  revealed_ = false;
  unrevealed_.insert(card.id);
  return {{"phase", std::string(to_string(head->item.phase))},
          {"position", head->position},
          {"total", head->total},
          {"card", card_front_json(card)},
          {"last_mistake", head->last_mistake ? JsonValue(*head->last_mistake) : JsonValue()}};
}

JsonValue RecallTools::reveal_card(const JsonValue& a) {
  const long long id = card_id_of(a);
  if (presented_ != id)
    throw ToolFailure{"card " + std::to_string(id) + " is not the card next_card presented" +
                      (presented_ ? " (card " + std::to_string(*presented_) + ")" : " (none yet)") +
                      "; call next_card"};
  const Card card = existing_card(store_, id);
  revealed_ = true;
  unrevealed_.erase(id);
  return {{"card_id", id},
          {"front", card.front},
          {"back", card.back},
          {"source", card.source},
          {"preview", preview_json(schedule_preview(store_, card, today_()), today_())}};
}

JsonValue RecallTools::grade_card(const JsonValue& a) {
  const long long id = card_id_of(a);
  if (presented_ != id || !revealed_)
    throw ToolFailure{"card " + std::to_string(id) + " has not been revealed in this session: " +
                      "next_card, then reveal_card, then grade_card"};
  existing_card(store_, id);
  const Day today = today_();
  const ReviewLog log =
      record(store_, id, a["grade"].get<int>(), today, timestamp_(), note_of(a), false);
  answered_.push_back(log);
  if (today == progress_day_)
    ++(presented_phase_ == Phase::kRedrill ? progress_.redrill : progress_.main);
  presented_.reset();
  revealed_ = false;
  JsonValue out = answer_json(log);
  out["remaining"] = queue_counts(store_, today, filter_);
  return out;
}

JsonValue RecallTools::record_answer(const JsonValue& a) {
  const long long id = card_id_of(a);
  // Any card next_card presented and not revealed since, not only the
  // last one: a later next_card (another filter) does not unlock it.
  if (unrevealed_.count(id))
    throw ToolFailure{"card " + std::to_string(id) +
                      " was presented by next_card and not revealed: present it with next_card, "
                      "reveal_card it, then grade_card, rather than record_answer"};
  existing_card(store_, id);
  const ReviewLog log =
      record(store_, id, a["grade"].get<int>(), today_(), timestamp_(), note_of(a), true);
  answered_.push_back(log);
  if (presented_ == id) presented_.reset();
  return answer_json(log);
}

JsonValue RecallTools::undo_last(const JsonValue&) {
  if (answered_.empty()) throw ToolFailure{"this session has recorded no answer to undo"};
  // The terminal drill's rule (answering.h undo_own_answer).
  const ReviewLog undone = undo_own_answer(store_, answered_);
  // The card is in hand again, its back already seen: grade it again with
  // grade_card (recall-drill: "undo_last once, then grade again").
  presented_ = undone.card_id;
  revealed_ = true;
  unrevealed_.erase(undone.card_id);
  presented_phase_ = undone.kind == ReviewKind::kRedrill ? Phase::kRedrill : Phase::kReview;
  if (undone.kind != ReviewKind::kTutor && undone.day == progress_day_) {
    int& done = presented_phase_ == Phase::kRedrill ? progress_.redrill : progress_.main;
    if (done > 0) --done;
  }
  return {{"card", undone.card_id},
          {"grade", undone.grade},
          {"kind", std::string(to_string(undone.kind))},
          {"day", format_day(undone.day)},
          {"state", state_json(undone.before)}};
}

JsonValue RecallTools::card(const JsonValue& a) {
  const long long id = card_id_of(a);
  const Card card = existing_card(store_, id);
  // As `recall card --json`, memory included; the back withheld while presented.
  JsonValue detail =
      card_detail_json(card, store_.reviews_for_card(id), load_card_memory(store_, card, today_()));
  detail["card"] = visible_card(card);
  // The open gaps it drills, as cards_to_review and the edit replies say.
  detail["card"]["gaps"] = store_.gaps_of_card(id);
  return detail;
}

JsonValue RecallTools::edit_card(const JsonValue& a) {
  const long long id = card_id_of(a);
  std::optional<std::string> front, back;
  if (a.contains("front")) front = a["front"].get<std::string>();
  if (a.contains("back")) back = a["back"].get<std::string>();
  const Card card = edit_card_text(store_, id, front, back, "tutor", today_());
  return {{"card", visible_card(card)}};
}

JsonValue RecallTools::brief(const JsonValue&) {
  return brief_json(load_brief(store_, today_()), store_.path());
}

JsonValue RecallTools::gaps(const JsonValue&) {
  const Day today = today_();
  const Feedback feedback = feedback_for(store_, today);
  std::map<long long, Card> cards;
  for (const auto& miss : feedback.recurring_cards)
    if (auto card = store_.card(miss.card_id)) cards.emplace(miss.card_id, std::move(*card));
  return gaps_json(today, feedback, cards);
}

JsonValue RecallTools::topics(const JsonValue&) {
  const auto topics = store_.topics(today_());
  std::map<long long, std::string> derived;
  for (auto& [id, confidence] : derived_confidences(store_, topics)) derived[id] = confidence;
  return {{"topics", topics_json(topics, derived)}};
}

JsonValue RecallTools::stats(const JsonValue&) { return stats_json(load_stats(store_, today_())); }

JsonValue RecallTools::plan(const JsonValue&) { return plan_json(load_plan(store_, today_())); }

JsonValue RecallTools::import_tracker(const JsonValue& a) {
  const std::string path = a["path"].get<std::string>();
  const FileImport imported =
      import_file(store_, path, today_(), {}, a.value("allow_mass_retire", false));
  return import_json(path, imported.deck ? "deck" : "tracker", imported.repaired_mojibake,
                     imported.report);
}

JsonValue RecallTools::export_anki(const JsonValue& a) {
  const std::string path = a["path"].get<std::string>();
  AnkiExportOptions options;
  if (const auto letter = domain_of(a)) options.domain_letter = upper(*letter);
  if (a.contains("topic")) options.topic_label = a["topic"].get<std::string>();
  options.with_schedule = a.value("with_schedule", false);
  options.include_drafts = a.value("include_drafts", false);
  return anki_export_json(
      path, recall::export_anki(store_, path, options, today_(), std::chrono::system_clock::now()));
}

JsonValue RecallTools::import_anki(const JsonValue& a) {
  const std::string path = a["path"].get<std::string>();
  return anki_import_json(path,
                          recall::import_anki(store_, path, a["dry_run"].get<bool>(), today_()));
}

JsonValue RecallTools::sync_tracker(const JsonValue& a) {
  std::string path;
  if (a.contains("path")) {
    path = a["path"].get<std::string>();
  } else if (auto remembered = store_.tracker_path()) {
    path = *remembered;
  } else {
    throw ToolFailure{"no path given and no tracker imported yet (call import_tracker)"};
  }
  SyncOptions options;
  options.dry_run = a["dry_run"].get<bool>();
  options.allow_mass_retire = a.value("allow_mass_retire", false);
  return sync_json(path, options.dry_run, recall::sync_tracker(store_, path, today_(), options));
}

}  // namespace recall::mcp
