// The JSON shapes README documents for the command line's --json output
// (`next`, `answer`, `card`, `due`, `topics`, `gaps`, `stats`, `plan`,
// `import`, `sync`), as nlohmann values with keys in the documented order.
// recall mcp returns them; the command line is to print them too, so that
// one shape has one definition.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "recall/drill.h"
#include "recall/store.h"

namespace recall {

struct Feedback;
struct Stats;
struct Plan;
struct ImportReport;
struct SyncResult;

using JsonValue = nlohmann::ordered_json;

// {"n","ef":"2.50","interval","due":"YYYY-MM-DD"|null,"lapses"}
JsonValue state_json(const Sm2State& state);
// The card object of `next --json` and `card --json`.
JsonValue card_json(const Card& card);
// The same without "back" and "source" (a key point is often the answer):
// what a card shows before it is revealed.
JsonValue card_front_json(const Card& card);
// [{"grade","interval","due"}] for grades 0..5 answered on `day`.
JsonValue preview_json(const Sm2State& state, Day day);
// One entry of `card --json`'s history.
JsonValue history_json(const ReviewLog& log);
// `answer --json`: {"card","grade","kind","day","state"}.
JsonValue answer_json(const ReviewLog& log);
// `due --json`.
JsonValue due_json(Day day, const QueueInputs& inputs, const Queue& queue);
// `topics --json`: derived confidence keyed by topic id.
JsonValue topics_json(const std::vector<TopicSummary>& topics,
                 const std::map<long long, std::string>& derived);
// `gaps --json`; `cards` holds the recurring cards (for topic and source).
JsonValue gaps_json(Day day, const Feedback& feedback, const std::map<long long, Card>& cards);
JsonValue stats_json(const Stats& stats);
JsonValue plan_json(const Plan& plan);
// `import --json`; kind "tracker" or "deck".
JsonValue import_json(const std::string& path, const char* kind, bool repaired_mojibake,
                 const ImportReport& report);
JsonValue sync_json(const std::string& path, bool dry_run, const SyncResult& result);

}  // namespace recall
