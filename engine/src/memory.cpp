#include "recall/memory.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "recall/error.h"
#include "recall/store.h"

namespace recall {

std::string format_parameters(const fsrs::Parameters& w) {
  std::string text;
  for (std::size_t i = 0; i < w.size(); ++i) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, w[i]);
    if (i) text += ',';
    text.append(buffer, end);
  }
  return text;
}

std::optional<fsrs::Parameters> parse_parameters(const std::string& text) {
  fsrs::Parameters w{};
  const char* at = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < fsrs::kParameterCount; ++i) {
    if (i > 0) {
      if (at == end || *at != ',') return std::nullopt;
      ++at;
    }
    const auto [next, ec] = std::from_chars(at, end, w[i]);
    if (ec != std::errc() || !std::isfinite(w[i])) return std::nullopt;
    at = next;
  }
  if (at != end || fsrs::clip_parameters(w) != w) return std::nullopt;
  return w;
}

bool has_fitted_parameters(Store& store) {
  return store.setting(kFsrsParametersSetting).has_value();
}

namespace {

fsrs::Parameters parameters_from(const std::optional<std::string>& text, const std::string& path) {
  if (!text) return fsrs::kDefaultParameters;
  const auto w = parse_parameters(*text);
  if (!w)
    throw Error::data(path + ": setting " + kFsrsParametersSetting +
                      " is not 21 numbers within FSRS-6's bounds (`recall config unset " +
                      kFsrsParametersSetting + "` restores the defaults)");
  return *w;
}

}  // namespace

fsrs::Parameters fsrs_parameters(Store& store) {
  return parameters_from(store.setting(kFsrsParametersSetting), store.path());
}

fsrs::Parameters fsrs_parameters(const StoredSettings& settings, const std::string& path) {
  return parameters_from(stored_value(settings, kFsrsParametersSetting), path);
}

fsrs::Parameters kept_memory_parameters(const std::optional<std::string>& stored) {
  if (!stored) return fsrs::kDefaultParameters;
  return parse_parameters(*stored).value_or(fsrs::kDefaultParameters);
}

std::optional<CardMemory> card_memory(const std::optional<KeptMemory>& kept, Day day,
                                      const fsrs::Parameters& w) {
  if (!kept) return std::nullopt;
  const double elapsed = std::max(0, day - kept->day);
  return CardMemory{kept->state.stability, kept->state.difficulty,
                    fsrs::retrievability(elapsed, kept->state.stability, w), kept->day};
}

std::optional<CardMemory> load_card_memory(Store& store, const Card& card, Day day) {
  return card_memory(card.memory, day, fsrs_parameters(store));
}

std::optional<CardMemory> load_card_memory(Store& store, long long card_id, Day day) {
  const auto card = store.card(card_id);
  if (!card) return std::nullopt;
  return load_card_memory(store, *card, day);
}

bool same_memory(const std::optional<KeptMemory>& a, const std::optional<KeptMemory>& b) {
  if (!a || !b) return a.has_value() == b.has_value();
  const auto near = [](double x, double y) {
    return std::abs(x - y) <= 1e-9 * std::max({1.0, std::abs(x), std::abs(y)});
  };
  return a->day == b->day && near(a->state.stability, b->state.stability) &&
         near(a->state.difficulty, b->state.difficulty);
}

PredictedRecall predicted_recall(std::span<const CardKeptMemory> cards, Day today,
                                 std::optional<Day> interview, const fsrs::Parameters& w) {
  PredictedRecall result;
  for (const CardKeptMemory& card : cards) {
    if (card.retired) continue;
    const auto memory = card_memory(card.memory, today, w);
    const double on_interview =
        interview ? fsrs::retrievability(std::max(0, *interview - memory->last_review),
                                         memory->stability, w)
                  : 0.0;
    for (RecallSum* sum :
         {&result.by_domain[card.domain_letter], &result.by_topic[card.topic_id], &result.total}) {
      ++sum->studied;
      sum->today += memory->retrievability;
      sum->on_interview += on_interview;
    }
  }
  return result;
}

double topic_expected_recall(const PredictedRecall& recall, long long topic_id, int cards) {
  const auto found = recall.by_topic.find(topic_id);
  if (cards <= 0 || found == recall.by_topic.end()) return 0;
  return std::min(1.0, found->second.today / cards);
}

PredictedRecall load_predicted_recall(Store& store, Day today, std::optional<Day> interview) {
  return predicted_recall(store.kept_memories(), today, interview, fsrs_parameters(store));
}

std::vector<ModelCalibration> calibrate_models(std::span<const CardMemoryLog> cards,
                                               const std::optional<fsrs::Parameters>& fitted) {
  std::vector<fsrs::ReviewLog> logs;
  logs.reserve(cards.size());
  // score_reviews hands the predictor each log in place: its address finds
  // the card's SM-2 intervals.
  std::unordered_map<const fsrs::Review*, const std::vector<int>*> intervals;
  for (const CardMemoryLog& card : cards) logs.push_back(card.log);
  for (std::size_t i = 0; i < cards.size(); ++i)
    if (!logs[i].empty()) intervals[logs[i].data()] = &cards[i].intervals_before;
  const auto sm2 = calibration::sm2_predictor([&](std::span<const fsrs::Review> log) {
    std::vector<int> result = *intervals.at(log.data());
    for (int& interval : result) interval = std::max(1, interval);
    return result;
  });
  std::vector<ModelCalibration> result;
  result.push_back({"fsrs6-default", calibration::calibrate(logs, calibration::fsrs_predictor())});
  result.push_back(
      {"fsrs6-fitted",
       fitted ? calibration::calibrate(logs, calibration::fsrs_predictor(*fitted)) : std::nullopt});
  result.push_back({"sm2", calibration::calibrate(logs, sm2)});
  return result;
}

std::vector<ModelCalibration> load_calibration(Store& store) {
  std::optional<fsrs::Parameters> fitted;
  if (has_fitted_parameters(store)) fitted = fsrs_parameters(store);
  return calibrate_models(store.memory_logs(), fitted);
}

OptimizeResult optimize_parameters(Store& store, bool dry_run) {
  std::vector<fsrs::ReviewLog> logs;
  for (CardMemoryLog& card : store.memory_logs()) logs.push_back(std::move(card.log));
  OptimizeResult result;
  result.fit = fsrs::fit(logs);
  if (result.fit.fitted && result.fit.better && !dry_run) {
    store.set_setting(kFsrsParametersSetting, format_parameters(result.fit.parameters));
    result.stored = true;
  }
  return result;
}

}  // namespace recall
