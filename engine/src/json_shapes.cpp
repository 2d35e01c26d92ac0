#include "recall/json_shapes.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "recall/feedback.h"
#include "recall/importer.h"
#include "recall/stats.h"

namespace recall {

namespace {

JsonValue optional_day_json(const std::optional<Day>& day) {
  return day ? JsonValue(format_day(*day)) : JsonValue(nullptr);
}

JsonValue days_json(const std::vector<Day>& days) {
  JsonValue out = JsonValue::array();
  for (Day day : days) out.push_back(format_day(day));
  return out;
}

JsonValue ids_json(const std::vector<long long>& ids) {
  JsonValue out = JsonValue::array();
  for (long long id : ids) out.push_back(id);
  return out;
}

// Shares are printed to three decimals, as `stats --json` always has.
JsonValue share_json(std::optional<double> share) {
  return share ? JsonValue(std::round(*share * 1000) / 1000) : JsonValue(nullptr);
}

const char* change_name(GapChange change) {
  switch (change) {
    case GapChange::kNone: return "none";
    case GapChange::kEvidence: return "evidence";
    case GapChange::kRaised: return "raised";
    case GapChange::kResolved: return "resolved";
    case GapChange::kAdded: return "added";
  }
  return "none";
}

int tier_rank(const GapOutcome& gap) {
  const std::string& tier = gap.change == GapChange::kAdded ? gap.new_tier : gap.tier;
  return tier == "high" ? 0 : 1;
}

void counts_into(JsonValue& out, const DomainCounts& c, std::optional<double> retention) {
  out["cards"] = c.cards;
  out["new"] = c.new_cards;
  out["due"] = c.due;
  out["mature"] = c.mature;
  out["retention"] = share_json(retention);
  out["answers_30d"] = c.answers_30d;
  out["lapses"] = c.lapses;
  out["recurring"] = c.recurring;
}

}  // namespace

JsonValue state_json(const Sm2State& state) {
  return JsonValue{{"n", state.repetitions},
              {"ef", format_easiness(state.easiness_milli)},
              {"interval", state.interval_days},
              {"due", optional_day_json(state.due_day)},
              {"lapses", state.lapses}};
}

JsonValue card_json(const Card& card) {
  JsonValue topic = nullptr;
  if (card.topic_id)
    topic = JsonValue{{"label", card.topic_label},
                 {"title", card.topic_title},
                 {"domain", std::string(1, card.domain_letter ? card.domain_letter : '?')},
                 {"domain_name", card.domain_name},
                 {"weight", card.domain_weight}};
  return JsonValue{{"id", card.id},         {"kind", std::string(to_string(card.kind))},
              {"topic", topic},        {"front", card.front},
              {"back", card.back},     {"source", card.source},
              {"tags", card.tags},     {"quality", card.quality},
              {"quality_reason", card.quality_reason}, {"edited", card.edited},
              {"state", state_json(card.state)},
              {"suspended", card.suspended}, {"retired", card.retired}};
}

JsonValue card_front_json(const Card& card) {
  JsonValue out = card_json(card);
  out.erase("back");
  out.erase("source");
  return out;
}

JsonValue preview_json(const Sm2State& state, Day day) {
  JsonValue out = JsonValue::array();
  const auto states = preview(state, day);
  for (int grade = 0; grade <= 5; ++grade)
    out.push_back(JsonValue{{"grade", grade},
                       {"interval", states[grade].interval_days},
                       {"due", optional_day_json(states[grade].due_day)}});
  return out;
}

JsonValue history_json(const ReviewLog& log) {
  return JsonValue{{"day", format_day(log.day)},
              {"at", log.answered_at},
              {"grade", log.grade},
              {"kind", std::string(to_string(log.kind))},
              {"note", log.note ? JsonValue(*log.note) : JsonValue(nullptr)},
              {"before", state_json(log.before)},
              {"after", state_json(log.after)}};
}

JsonValue answer_json(const ReviewLog& log) {
  return JsonValue{{"card", log.card_id},
              {"grade", log.grade},
              {"kind", std::string(to_string(log.kind))},
              {"day", format_day(log.day)},
              {"state", state_json(log.after)}};
}

JsonValue due_json(Day day, const QueueInputs& inputs, const Queue& queue) {
  return JsonValue{{"day", format_day(day)},
              {"due", queue.reviews_total},
              {"new", queue.new_total},
              {"redrill", queue.redrill_total},
              {"due_total", queue.due_total},
              {"new_available", queue.new_available},
              {"reviews_answered", inputs.answered_today.reviews_answered},
              {"new_answered", inputs.answered_today.new_answered}};
}

JsonValue topics_json(const std::vector<TopicSummary>& topics,
                 const std::map<long long, std::string>& derived) {
  JsonValue out = JsonValue::array();
  for (const auto& t : topics) {
    const auto found = derived.find(t.id);
    out.push_back(JsonValue{{"label", t.label},
                       {"title", t.title},
                       {"domain", std::string(1, t.domain_letter ? t.domain_letter : '?')},
                       {"confidence", t.confidence},
                       {"derived_confidence", found != derived.end() ? found->second : ""},
                       {"in_progress", t.in_progress},
                       {"retired", t.retired},
                       {"cards", t.cards},
                       {"new", t.new_cards},
                       {"due", t.due_cards}});
  }
  return out;
}

JsonValue gaps_json(Day day, const Feedback& feedback, const std::map<long long, Card>& cards) {
  std::vector<const GapOutcome*> gaps;
  for (const auto& gap : feedback.gaps) gaps.push_back(&gap);
  std::stable_sort(gaps.begin(), gaps.end(), [](const GapOutcome* a, const GapOutcome* b) {
    return tier_rank(*a) < tier_rank(*b);
  });
  JsonValue gap_list = JsonValue::array();
  for (const GapOutcome* gap : gaps) {
    const bool added = gap->change == GapChange::kAdded;
    gap_list.push_back(JsonValue{{"id", gap->gap_id ? JsonValue(gap->gap_id) : JsonValue(nullptr)},
                            {"text", added ? gap->new_text : gap->text},
                            {"tier", added ? gap->new_tier : gap->tier},
                            {"pending_tier", gap->new_tier},
                            {"change", change_name(gap->change)},
                            {"pending_text", gap->new_text},
                            {"recurring", gap->recurring},
                            {"cards", ids_json(gap->card_ids)},
                            {"misses", gap->misses},
                            {"miss_days", days_json(gap->miss_days)},
                            {"note", gap->note ? JsonValue(*gap->note) : JsonValue(nullptr)}});
  }
  const std::set<long long> by_note(feedback.pattern_card_ids.begin(), feedback.pattern_card_ids.end());
  JsonValue recurring = JsonValue::array();
  for (const auto& miss : feedback.recurring_cards) {
    const auto found = cards.find(miss.card_id);
    recurring.push_back(JsonValue{{"id", miss.card_id},
                             {"topic", found != cards.end() ? found->second.topic_label : ""},
                             {"source", found != cards.end() ? found->second.source : ""},
                             {"failures", miss.failures},
                             {"fail_days", days_json(miss.fail_days)},
                             {"by_note", by_note.count(miss.card_id) > 0}});
  }
  JsonValue patterns = JsonValue::array();
  for (const auto& pattern : feedback.patterns)
    patterns.push_back(JsonValue{{"words", pattern.key},
                            {"note", pattern.note},
                            {"cards", ids_json(pattern.card_ids)},
                            {"days", days_json(pattern.days)},
                            {"failures", pattern.failures},
                            {"recurring", pattern.recurring}});
  return JsonValue{{"day", format_day(day)},
              {"gaps", gap_list},
              {"recurring_cards", recurring},
              {"note_patterns", patterns}};
}

JsonValue stats_json(const Stats& stats) {
  JsonValue domains = JsonValue::array();
  for (const auto& d : stats.domains) {
    JsonValue domain = {{"letter", d.counts.letter ? JsonValue(std::string(1, d.counts.letter)) : JsonValue(nullptr)},
                   {"name", d.counts.name},
                   {"weight", d.counts.weight}};
    counts_into(domain, d.counts, d.retention);
    domain["readiness"] = share_json(d.readiness);
    domains.push_back(std::move(domain));
  }
  JsonValue total = JsonValue::object();
  counts_into(total, stats.total, stats.retention);
  JsonValue forecast = JsonValue::array(), heatmap = JsonValue::array();
  for (const auto& [day, due] : stats.forecast)
    forecast.push_back(JsonValue{{"day", format_day(day)}, {"due", due}});
  for (const auto& [day, answers] : stats.heatmap)
    heatmap.push_back(JsonValue{{"day", format_day(day)}, {"answers", answers}});
  return JsonValue{{"day", format_day(stats.day)},
              {"interview", optional_day_json(stats.interview)},
              {"readiness", share_json(stats.readiness)},
              {"predicted_readiness", share_json(stats.predicted_readiness)},
              {"domains", domains},
              {"total", total},
              {"forecast", forecast},
              {"heatmap", heatmap}};
}

JsonValue plan_json(const Plan& plan) {
  JsonValue days = JsonValue::array(), weak = JsonValue::array();
  for (const auto& day : plan.days)
    days.push_back(JsonValue{{"day", format_day(day.day)}, {"reviews", day.reviews}, {"new", day.new_cards}});
  for (const auto& d : plan.weak) weak.push_back(std::string(1, d.counts.letter));
  return JsonValue{{"today", format_day(plan.today)},
              {"interview", format_day(plan.interview)},
              {"days", days},
              {"new_left_after", plan.new_left_after},
              {"weak", weak}};
}

JsonValue import_json(const std::string& path, const char* kind, bool repaired_mojibake,
                 const ImportReport& report) {
  return JsonValue{{"file", path},
              {"kind", kind},
              {"repaired_mojibake", repaired_mojibake},
              {"added", report.added},
              {"updated", report.updated},
              {"retired", report.retired},
              {"restored", report.restored},
              {"unchanged", report.unchanged},
              {"domains", report.domains},
              {"topics", report.topics},
              {"key_points", report.key_points},
              {"gaps", report.gaps}};
}

JsonValue sync_json(const std::string& path, bool dry_run, const SyncResult& result) {
  auto optional_int = [](const std::optional<int>& v) { return v ? JsonValue(*v) : JsonValue(nullptr); };
  return JsonValue{{"file", path},
              {"evidence", result.evidence},
              {"dry_run", dry_run},
              {"written", result.written},
              {"repaired_mojibake", result.repaired_mojibake},
              {"confidence_changes", result.confidences_changed},
              {"gaps_added", result.gaps_added},
              {"gaps_raised", result.gaps_raised},
              {"gaps_resolved", result.gaps_resolved},
              {"gaps_updated", result.gaps_updated},
              {"readiness_before", optional_int(result.readiness_before)},
              {"readiness_after", optional_int(result.readiness_after)},
              {"diff", result.diff}};
}

}  // namespace recall
