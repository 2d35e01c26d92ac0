// The JSON shapes README documents for the command line's --json output
// (`next`, `answer`, `card`, `cards`, `due`, `topics`, `gaps`, `stats`,
// `plan`, `import`, `sync`, `check`, `brief`), as nlohmann values with keys
// in the documented order. The command line prints them (json_text) and
// recall mcp returns them, so each shape has one definition.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "recall/drill.h"
#include "recall/memory.h"
#include "recall/model.h"

namespace recall {

struct Feedback;
struct Stats;
struct Plan;
struct ImportReport;
struct SyncResult;
struct CheckReport;
struct Brief;

using JsonValue = nlohmann::ordered_json;

// One line of JSON text as the command line prints it (no newline): no
// spaces; every control character (C0 with \b and \f, DEL, C1) escaped as
// \u00XX so none reaches a terminal raw; each byte of invalid UTF-8 read as
// U+FFFD, whatever the stored bytes. Other characters are kept as UTF-8.
std::string json_text(JsonValue value);

// {"n","ef":"2.50","interval","due":"YYYY-MM-DD"|null,"lapses"}
JsonValue state_json(const Sm2State& state);
// The card object of `next --json` and `card --json`.
JsonValue card_json(const Card& card);
// The same without "back" and "source" (a key point is often the answer):
// what a card shows before it is revealed.
JsonValue card_front_json(const Card& card);
// `cards --unreviewed --json` and MCP cards_to_review: {"unreviewed",
// "drafts_waiting","drafts","cards":[card_json + "topic_points","gaps"]}.
JsonValue review_pass_json(const std::vector<ReviewItem>& items, const ReviewCounts& counts);
// `cards --json`: card_json of each.
JsonValue cards_json(const std::vector<Card>& cards);
// `next --json`: {"phase","position","total","card","preview","last_mistake"}
// ("last_mistake": the note of the failure the card comes back from, or null).
JsonValue next_json(const NextCard& next, Day day);
// [{"grade","interval","due"}] for grades 0..5 answered on `day`.
// What each grade would schedule (answering.h answer_outcomes): the grade,
// the interval in days to its due day, the due day. Empty (nullopt) when
// the answer would be a re-drill, which moves no schedule.
JsonValue preview_json(const std::optional<std::array<Sm2State, 6>>& outcomes, Day day);
// One entry of `card --json`'s history.
JsonValue history_json(const ReviewLog& log);
// `card --json`: {"card","history"}.
// `recall card --json`; "memory" is the card's FSRS-6 state (memory.h), null
// for a card never answered.
JsonValue card_detail_json(const Card& card, const std::vector<ReviewLog>& history,
                           const std::optional<CardMemory>& memory);
JsonValue memory_json(const std::optional<CardMemory>& memory);
// `recall stats --calibration --json`: {"models":[{"model","reviews","log_loss","rmse_bins"}]}.
JsonValue calibration_json(const std::vector<ModelCalibration>& models);
// `recall optimize --json`: {"fitted","note","train_reviews","test_reviews",
// "held_out_from","log_loss_before","log_loss_after","better","stored","parameters"}.
JsonValue optimize_json(const OptimizeResult& result);
// `answer --json`: {"card","grade","kind","day","state"}.
JsonValue answer_json(const ReviewLog& log);
// `due --json`.
// With `review`: also "drafts_waiting" (flagged cards the drill holds back
// until reviewed; 0 with setting drafts = drill), "drafts" ("wait" or
// "drill"), "flagged" and "unreviewed" (model.h ReviewCounts).
JsonValue due_json(Day day, const QueueInputs& inputs, const Queue& queue,
                   const std::optional<ReviewCounts>& review = std::nullopt);
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
// `check --json`: {"ok","cards","reviews","problems":[{"area","card","review","message"}]}.
JsonValue check_json(const CheckReport& report);
// `brief --json` on an existing database, and on a missing one.
JsonValue brief_json(const Brief& brief, const std::string& database);
JsonValue brief_missing_json(const std::string& database);

// `export anki --json` and `import anki --json` (anki.h).
struct AnkiExportReport;
struct AnkiImportReport;
JsonValue anki_export_json(const std::string& path, const AnkiExportReport& report);
JsonValue anki_import_json(const std::string& path, const AnkiImportReport& report);

}  // namespace recall
