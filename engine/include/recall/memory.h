// The memory model in the product: a card's FSRS-6 memory state is the
// replay of its review log, kept with the card as each answer is saved
// (model.h KeptMemory; `recall check` verifies it), predicted
// recall per domain and topic, calibration of the models on the learner's own
// log, and fitting the parameters to it. docs/memory-model.md has the rules.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "recall/calibration.h"
#include "recall/day.h"
#include "recall/fsrs.h"
#include "recall/fsrs_optimizer.h"
#include "recall/model.h"
#include "recall/settings.h"

namespace recall {

class Store;
struct CardMemoryLog;  // recall/store.h

// The setting that holds fitted parameters (`recall optimize`).
inline constexpr const char* kFsrsParametersSetting = "fsrs-parameters";

// 21 numbers joined by commas, each in its shortest exact form.
std::string format_parameters(const fsrs::Parameters& w);
// nullopt unless `text` is 21 comma-separated finite numbers within
// fsrs-rs's bounds (clip_parameters leaves them unchanged).
std::optional<fsrs::Parameters> parse_parameters(const std::string& text);

// The parameters in force: the stored fit, else FSRS-6's defaults. Throws
// Error(kData) naming the setting (and `path`) when the stored value is not
// valid parameters.
fsrs::Parameters fsrs_parameters(Store& store);
fsrs::Parameters fsrs_parameters(const StoredSettings& settings, const std::string& path);
// The parameters every card's kept memory is computed with, from the stored
// value of fsrs-parameters (nullopt: none): as above, but a value that is
// not valid counts as the defaults (only a hand edit stores one; the
// database must still open and answer, and `config unset` mend it).
fsrs::Parameters kept_memory_parameters(const std::optional<std::string>& stored);
bool has_fitted_parameters(Store& store);

struct CardMemory {
  double stability = 0;
  double difficulty = 0;
  double retrievability = 0;  // on the day asked
  Day last_review = 0;
};

// The card's kept memory (model.h KeptMemory) and its R on `day` (an
// earlier day than its last answer counts as 0 days elapsed); nullopt for a
// card never answered.
std::optional<CardMemory> card_memory(const std::optional<KeptMemory>& kept, Day day,
                                      const fsrs::Parameters& w);
// `card`'s memory under the parameters in force (read from `store`).
std::optional<CardMemory> load_card_memory(Store& store, const Card& card, Day day);
// The same for a card read by id (nullopt too when there is no such card).
std::optional<CardMemory> load_card_memory(Store& store, long long card_id, Day day);

// Whether two kept memories agree: the same day, stability and difficulty
// within a relative 1e-9 (a database may move to a machine whose floating
// point contracts differently).
bool same_memory(const std::optional<KeptMemory>& a, const std::optional<KeptMemory>& b);

// Predicted recall of a group of cards: sums over its studied cards.
struct RecallSum {
  int studied = 0;
  double today = 0;         // sum of R on the day
  double on_interview = 0;  // sum of R on the interview day, no review in between
};
struct PredictedRecall {
  std::map<char, RecallSum> by_domain;      // 0: cards without a domain
  std::map<long long, RecallSum> by_topic;  // 0: cards without a topic
  RecallSum total;
};
// Over the cards that are not retired and have been answered. Pure.
PredictedRecall predicted_recall(std::span<const CardKeptMemory> cards, Day today,
                                 std::optional<Day> interview, const fsrs::Parameters& w);
// The share of a topic's `cards` (not retired) expected to be recalled
// today: the sum of R over its studied cards / cards; new cards count 0.
double topic_expected_recall(const PredictedRecall& recall, long long topic_id, int cards);
PredictedRecall load_predicted_recall(Store& store, Day today, std::optional<Day> interview);

// `recall stats --calibration`: the three models scored on the whole log.
struct ModelCalibration {
  std::string model;                               // "fsrs6-default", "fsrs6-fitted", "sm2"
  std::optional<calibration::Calibration> result;  // nullopt: nothing to score / no fit stored
};
std::vector<ModelCalibration> calibrate_models(std::span<const CardMemoryLog> cards,
                                               const std::optional<fsrs::Parameters>& fitted);
std::vector<ModelCalibration> load_calibration(Store& store);

// `recall optimize`: the fit from FSRS-6's defaults (so the same log always
// gives the same parameters, whatever was stored before), and whether its
// parameters were stored: only when they beat the defaults on the held-out
// reviews, and not on a dry run.
struct OptimizeResult {
  fsrs::FitResult fit;
  bool stored = false;
};
OptimizeResult optimize_parameters(Store& store, bool dry_run);

}  // namespace recall
