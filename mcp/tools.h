// recall mcp, the tools half: what an AI tutor can do with the learner's
// collection. Every tool calls the engine functions the command line calls
// (the queue of `recall next`, the answer path of `recall answer`, ...);
// nothing here schedules, orders or judges. Each call re-reads the store,
// so a `recall review` in a terminal on the same database is seen at once.
//
// The drill is enforced per server session: reveal_card only for the card
// next_card presented, grade_card only after that card was revealed, so a
// model can neither leak a back before the learner answered nor grade blind.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocol.h"
#include "recall/day.h"
#include "recall/drill.h"
#include "recall/store.h"

namespace recall::mcp {

class RecallTools : public ToolSet {
 public:
  // `today` is asked at every call (a long session may cross the rollover
  // hour); `timestamp` gives the wall-clock time stored with an answer.
  RecallTools(Store& store, std::function<Day()> today, std::function<std::string()> timestamp);

  JsonValue list() override;
  std::optional<JsonValue> call(const std::string& name, const JsonValue& arguments) override;

  struct Tool {
    std::string name, title, description;
    JsonValue input_schema, output_schema;
    bool read_only = false;
    JsonValue (RecallTools::*run)(const JsonValue& arguments);
  };

 private:
  static const std::vector<Tool>& table();
  void withhold_presented_answer(const std::string& tool, JsonValue& result);
  JsonValue next_card(const JsonValue& a);
  JsonValue reveal_card(const JsonValue& a);
  JsonValue grade_card(const JsonValue& a);
  JsonValue record_answer(const JsonValue& a);
  JsonValue undo_last(const JsonValue& a);
  JsonValue card(const JsonValue& a);
  JsonValue edit_card(const JsonValue& a);
  // The review pass and skip_card (review_tools.cpp).
  static std::vector<Tool> review_tools();
  JsonValue cards_to_review(const JsonValue& a);
  JsonValue approve_cards(const JsonValue& a);
  JsonValue edit_cards(const JsonValue& a);
  JsonValue retire_cards(const JsonValue& a);
  JsonValue add_cards(const JsonValue& a);
  JsonValue find_cards(const JsonValue& a);
  JsonValue skip_card(const JsonValue& a);
  // `card` as the model may see it now: without its back and source while
  // it is the presented card and not yet revealed.
  JsonValue visible_card(const Card& card) const;
  JsonValue brief(const JsonValue& a);
  JsonValue gaps(const JsonValue& a);
  JsonValue topics(const JsonValue& a);
  JsonValue stats(const JsonValue& a);
  JsonValue plan(const JsonValue& a);
  JsonValue import_tracker(const JsonValue& a);
  JsonValue export_anki(const JsonValue& a);
  JsonValue import_anki(const JsonValue& a);
  JsonValue sync_tracker(const JsonValue& a);

  Store& store_;
  std::function<Day()> today_;
  std::function<std::string()> timestamp_;
  // The drill of this session: the card next_card last presented, whether
  // it was revealed, the filter it came from, and this session's answers
  // (oldest first) for undo_last. `unrevealed_`: every card next_card
  // presented whose back was not shown since (record_answer refuses them,
  // so no presented card is graded blind). `progress_`: this session's
  // drill answers today under `filter_` (next_card's position and total).
  std::optional<long long> presented_;
  bool revealed_ = false;
  Phase presented_phase_ = Phase::kReview;
  CardFilter filter_;
  std::vector<ReviewLog> answered_;
  std::set<long long> unrevealed_;
  std::set<long long> skipped_;  // skip_card: left for the rest of this session
  SessionProgress progress_;
  Day progress_day_ = 0;
};

// Today's queue under `filter` in counts, as `recall due --json` has them.
JsonValue queue_counts(Store& store, Day today, const CardFilter& filter);

// Argument "domain" (a tool's filter): its one letter as given; nullopt
// without one. Throws Error(kUsage) for anything but a letter.
std::optional<char> domain_of(const JsonValue& a);

// The tools' schema pieces (tools.cpp), for the tools defined in other files.
namespace schema {
JsonValue object(JsonValue properties, std::vector<std::string> required = {});
JsonValue shape(JsonValue properties);
JsonValue typed(const char* type);
JsonValue array_of(JsonValue items);
JsonValue card(bool with_back);
JsonValue counts();
JsonValue card_id();
}  // namespace schema

// Checks `value` against the subset of JSON Schema the tools' input schemas
// use (type, properties, required, additionalProperties: false, minimum,
// maximum, minLength, maxLength, pattern-free strings). The first problem,
// as "grade: must be at most 5", or nullopt when it conforms.
std::optional<std::string> schema_problem(const JsonValue& schema, const JsonValue& value,
                                          const std::string& where = "");

}  // namespace recall::mcp
