#include "recall/json_shapes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "recall/anki.h"
#include "recall/brief.h"
#include "recall/check.h"
#include "recall/feedback.h"
#include "recall/importer.h"
#include "recall/review.h"
#include "recall/stats.h"
#include "recall/text.h"
#include "recall/withhold.h"

namespace recall {

namespace {

// The value, or null when there is none.
template <class T>
JsonValue or_null(const std::optional<T>& value) {
  return value ? JsonValue(*value) : JsonValue(nullptr);
}

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

// Shares are printed to three decimals, as `stats --json` always has; a
// whole share as an integer ("0", "1"), as the command line's printf("%.4g")
// wrote it, where nlohmann would write "0.0".
JsonValue share_json(std::optional<double> share) {
  if (!share || !std::isfinite(*share)) return nullptr;
  const double rounded = std::round(*share * 1000) / 1000;
  if (rounded == std::floor(rounded) && std::fabs(rounded) < 1e15)
    return static_cast<long long>(rounded);
  return rounded;
}

JsonValue id_or_null(long long id) { return id ? JsonValue(id) : JsonValue(nullptr); }

// Each byte of invalid UTF-8 becomes U+FFFD (text.h utf8_step), as the
// command line has always written it; nlohmann's own replacement would
// fold a cut sequence into one U+FFFD.
void make_valid_utf8(std::string& text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const Utf8Step step = utf8_step(text, at);
    if (!step.valid) break;
    at += step.length;
  }
  if (at == text.size()) return;
  std::string out = text.substr(0, at);
  while (at < text.size()) {
    const Utf8Step step = utf8_step(text, at);
    if (step.valid)
      out.append(text, at, step.length);
    else
      out += "\xEF\xBF\xBD";
    at += step.length;
  }
  text = std::move(out);
}

void make_strings_valid(JsonValue& value) {
  if (value.is_string())
    make_valid_utf8(value.get_ref<std::string&>());
  else if (value.is_structured())
    for (auto& item : value) make_strings_valid(item);
}

// nlohmann writes \b and \f as such and DEL and C1 raw; a terminal may act
// on DEL and C1, so they are escaped as \u00XX too (as are \b and \f, as
// before). The text is valid UTF-8 here: 0xC2 is always a lead byte.
std::string escape_remaining_controls(const std::string& dumped) {
  std::string out;
  out.reserve(dumped.size());
  char buffer[8];
  for (std::size_t i = 0; i < dumped.size(); ++i) {
    const auto c = static_cast<unsigned char>(dumped[i]);
    const auto next = i + 1 < dumped.size() ? static_cast<unsigned char>(dumped[i + 1]) : 0;
    if (c == '\\' && next) {
      if (next == 'b')
        out += "\\u0008";
      else if (next == 'f')
        out += "\\u000c";
      else
        out.append(dumped, i, 2);
      ++i;
    } else if (c == 0x7F || (c == 0xC2 && next >= 0x80 && next <= 0x9F)) {
      std::snprintf(buffer, sizeof buffer, "\\u%04x",
                    c == 0x7F ? 0x7Fu : static_cast<unsigned>(next));
      out += buffer;
      if (c == 0xC2) ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

const char* change_name(GapChange change) {
  switch (change) {
    case GapChange::kNone:
      return "none";
    case GapChange::kEvidence:
      return "evidence";
    case GapChange::kRaised:
      return "raised";
    case GapChange::kLowered:
      return "lowered";
    case GapChange::kResolved:
      return "resolved";
    case GapChange::kAdded:
      return "added";
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

std::string json_text(JsonValue value) {
  make_strings_valid(value);
  // `replace` only for keys, which are ours and ASCII: nothing invalid is left.
  return escape_remaining_controls(
      value.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace));
}

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
  return JsonValue{{"id", card.id},
                   {"kind", std::string(to_string(card.kind))},
                   {"topic", topic},
                   // Its topic's domain, or the one a card without topic is filed under.
                   {"domain", card.domain_letter ? JsonValue(std::string(1, card.domain_letter))
                                                 : JsonValue(nullptr)},
                   {"front", card.front},
                   {"back", card.back},
                   {"source", card.source},
                   {"tags", card.tags},
                   {"quality", card.quality},
                   {"quality_reason", card.quality_reason},
                   {"edited", card.edited},
                   {"state", state_json(card.state)},
                   {"suspended", card.suspended},
                   {"retired", card.retired},
                   {"reviewed", card.reviewed_by.empty()
                                    ? JsonValue(nullptr)
                                    : JsonValue{{"by", card.reviewed_by},
                                                {"as", card.reviewed_as},
                                                {"day", optional_day_json(card.reviewed_day)},
                                                {"reason", card.review_reason}}}};
}

JsonValue card_front_json(const Card& card) {
  JsonValue out = card_json(card);
  out.erase("back");
  out.erase("source");
  return out;
}

JsonValue review_pass_json(const std::vector<ReviewItem>& items, const ReviewCounts& counts) {
  JsonValue cards = JsonValue::array();
  for (const ReviewItem& item : items) {
    JsonValue card = card_json(item.card);
    card["topic_points"] = item.topic_points;
    card["gaps"] = item.gaps;
    cards.push_back(std::move(card));
  }
  return JsonValue{{"unreviewed", counts.unreviewed},
                   {"drafts_waiting", drafts_waiting(counts)},
                   {"drafts", counts.drafts_wait ? "wait" : "drill"},
                   {"cards", std::move(cards)}};
}

JsonValue cards_json(const std::vector<Card>& cards) {
  JsonValue out = JsonValue::array();
  for (const Card& card : cards) out.push_back(card_json(card));
  return out;
}

JsonValue next_json(const NextCard& next, Day day) {
  return JsonValue{{"phase", std::string(to_string(next.item.phase))},
                   {"position", next.position},
                   {"total", next.total},
                   {"card", card_json(next.card)},
                   {"preview", preview_json(next.outcomes, day)},
                   {"last_mistake", or_null(next.last_mistake)}};
}

JsonValue preview_json(const std::optional<std::array<Sm2State, 6>>& maybe, Day day) {
  JsonValue out = JsonValue::array();
  if (!maybe) return out;  // the answer moves no schedule: nothing to preview
  const std::array<Sm2State, 6>& outcomes = *maybe;
  for (int grade = 0; grade <= 5; ++grade) {
    const Sm2State& s = outcomes[grade];
    // SM-2's due day is day + interval; FSRS's is its own, SM-2's kept interval aside.
    out.push_back(JsonValue{{"grade", grade},
                            {"interval", s.due_day ? *s.due_day - day : s.interval_days},
                            {"due", optional_day_json(s.due_day)}});
  }
  return out;
}

JsonValue history_json(const ReviewLog& log) {
  return JsonValue{{"day", format_day(log.day)},
                   {"at", log.answered_at},
                   {"grade", log.grade},
                   {"kind", std::string(to_string(log.kind))},
                   {"note", or_null(log.note)},
                   {"source", std::string(to_string(log.source))},
                   {"button", log.button ? JsonValue(log.button) : JsonValue(nullptr)},
                   {"before", state_json(log.before)},
                   {"after", state_json(log.after)}};
}

JsonValue memory_json(const std::optional<CardMemory>& memory) {
  if (!memory) return nullptr;
  return JsonValue{{"stability", memory->stability},
                   {"difficulty", memory->difficulty},
                   {"retrievability", memory->retrievability}};
}

JsonValue card_detail_json(const Card& card, const std::vector<ReviewLog>& history,
                           const std::optional<CardMemory>& memory) {
  JsonValue logs = JsonValue::array();
  for (const ReviewLog& log : history) logs.push_back(history_json(log));
  return JsonValue{{"card", card_json(card)}, {"memory", memory_json(memory)}, {"history", logs}};
}

JsonValue optimize_json(const OptimizeResult& result) {
  const fsrs::FitResult& fit = result.fit;
  auto five = [](std::optional<double> value) -> JsonValue {
    if (!value) return nullptr;
    return std::round(*value * 1e5) / 1e5;
  };
  JsonValue parameters = JsonValue::array();
  for (double w : fit.parameters) parameters.push_back(w);
  return JsonValue{{"fitted", fit.fitted},
                   {"note", fit.note},
                   {"train_reviews", static_cast<long long>(fit.train_reviews)},
                   {"test_reviews", static_cast<long long>(fit.test_reviews)},
                   {"held_out_from", optional_day_json(fit.held_out_from)},
                   {"log_loss_before", five(fit.log_loss_before)},
                   {"log_loss_after", five(fit.log_loss_after)},
                   {"better", fit.better},
                   {"stored", result.stored},
                   {"parameters", parameters}};
}

JsonValue calibration_json(const std::vector<ModelCalibration>& models) {
  JsonValue out = JsonValue::array();
  auto four = [](double value) { return std::round(value * 1e4) / 1e4; };
  for (const auto& m : models) {
    JsonValue model = {{"model", m.model}};
    if (m.result) {
      model["reviews"] = static_cast<long long>(m.result->reviews);
      model["log_loss"] = four(m.result->log_loss);
      model["rmse_bins"] = four(m.result->rmse_bins);
    } else {
      model["reviews"] = 0;
      model["log_loss"] = nullptr;
      model["rmse_bins"] = nullptr;
    }
    out.push_back(std::move(model));
  }
  return JsonValue{{"models", out}};
}

JsonValue answer_json(const ReviewLog& log) {
  return JsonValue{{"card", log.card_id},
                   {"grade", log.grade},
                   {"kind", std::string(to_string(log.kind))},
                   {"day", format_day(log.day)},
                   {"state", state_json(log.after)}};
}

static JsonValue review_counts_json(JsonValue out, const std::optional<ReviewCounts>& review) {
  if (!review) return out;
  out["drafts_waiting"] = drafts_waiting(*review);
  out["drafts"] = review->drafts_wait ? "wait" : "drill";
  out["flagged"] = review->flagged;
  out["unreviewed"] = review->unreviewed;
  return out;
}

JsonValue due_json(Day day, const QueueInputs& inputs, const Queue& queue,
                   const std::optional<ReviewCounts>& review) {
  return review_counts_json(JsonValue{{"day", format_day(day)},
                                      {"due", queue.reviews_total},
                                      {"new", queue.new_total},
                                      {"redrill", queue.redrill_total},
                                      {"due_total", queue.due_total},
                                      {"new_available", queue.new_available},
                                      {"reviews_answered", inputs.answered_today.reviews_answered},
                                      {"new_answered", inputs.answered_today.new_answered}},
                            review);
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
                                 {"note", or_null(gap->note)}});
  }
  const std::set<long long> by_note(feedback.pattern_card_ids.begin(),
                                    feedback.pattern_card_ids.end());
  JsonValue recurring = JsonValue::array();
  for (const auto& miss : feedback.recurring_cards) {
    const auto found = cards.find(miss.card_id);
    recurring.push_back(
        JsonValue{{"id", miss.card_id},
                  {"topic", found != cards.end() ? found->second.topic_label : ""},
                  {"question", found != cards.end() ? question_of(found->second) : ""},
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

namespace {

// Predicted recall beside its coverage: "studied", "coverage",
// "predicted_recall", "predicted_recall_on_interview" (memory.h).
void recall_into(JsonValue& out, const RecallFigures& recall) {
  out["studied"] = recall.studied;
  out["coverage"] = share_json(recall.coverage());
  out["predicted_recall"] = share_json(recall.today);
  out["predicted_recall_on_interview"] = share_json(recall.on_interview);
}

}  // namespace

JsonValue stats_json(const Stats& stats) {
  JsonValue domains = JsonValue::array();
  for (const auto& d : stats.domains) {
    JsonValue domain = {{"letter", d.counts.letter ? JsonValue(std::string(1, d.counts.letter))
                                                   : JsonValue(nullptr)},
                        {"name", d.counts.name},
                        {"weight", d.counts.weight}};
    counts_into(domain, d.counts, d.retention);
    domain["readiness"] = share_json(d.readiness);
    recall_into(domain, d.recall);
    domains.push_back(std::move(domain));
  }
  JsonValue total = JsonValue::object();
  counts_into(total, stats.total, stats.retention);
  JsonValue forecast = JsonValue::array(), heatmap = JsonValue::array();
  for (const auto& [day, due] : stats.forecast)
    forecast.push_back(JsonValue{{"day", format_day(day)}, {"due", due}});
  for (const auto& [day, answers] : stats.heatmap)
    heatmap.push_back(JsonValue{{"day", format_day(day)}, {"answers", answers}});
  JsonValue out = {{"day", format_day(stats.day)},
                   {"interview", optional_day_json(stats.interview)},
                   {"readiness", share_json(stats.readiness)},
                   {"predicted_readiness", share_json(stats.predicted_readiness)}};
  recall_into(out, stats.recall);
  out["domains"] = domains;
  out["total"] = total;
  out["forecast"] = forecast;
  out["heatmap"] = heatmap;
  return out;
}

JsonValue plan_json(const Plan& plan) {
  JsonValue days = JsonValue::array(), weak = JsonValue::array();
  for (const auto& day : plan.days) {
    JsonValue row{{"day", format_day(day.day)}, {"reviews", day.reviews}, {"new", day.new_cards}};
    if (day.days > 1) row["days"] = day.days;  // a week's row, past the daily ones
    days.push_back(std::move(row));
  }
  for (const auto& d : plan.weak) weak.push_back(std::string(1, d.counts.letter));
  JsonValue out{{"today", format_day(plan.today)}, {"interview", format_day(plan.interview)}};
  out["until"] = format_day(plan.until);  // the interview, or a year ahead at most
  out["days"] = std::move(days);
  out["new_left_after"] = plan.new_left_after;
  out["weak"] = std::move(weak);
  return out;
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
                   {"reordered", report.reordered},
                   {"unchanged", report.unchanged},
                   {"domains", report.domains},
                   {"topics", report.topics},
                   {"key_points", report.key_points},
                   {"gaps", report.gaps}};
}

JsonValue sync_json(const std::string& path, bool dry_run, const SyncResult& result) {
  return JsonValue{{"file", path},
                   {"evidence", result.evidence},
                   {"dry_run", dry_run},
                   {"written", result.written},
                   {"repaired_mojibake", result.repaired_mojibake},
                   {"confidence_changes", result.confidences_changed},
                   {"gaps_added", result.gaps_added},
                   {"gaps_raised", result.gaps_raised},
                   {"gaps_lowered", result.gaps_lowered},
                   {"gaps_resolved", result.gaps_resolved},
                   {"gaps_updated", result.gaps_updated},
                   {"readiness_before", or_null(result.readiness_before)},
                   {"readiness_after", or_null(result.readiness_after)},
                   {"diff", result.diff}};
}

}  // namespace recall

namespace recall {

JsonValue check_json(const CheckReport& report) {
  JsonValue problems = JsonValue::array();
  for (const auto& p : report.problems)
    problems.push_back(JsonValue{{"area", p.area},
                                 {"card", id_or_null(p.card_id)},
                                 {"review", id_or_null(p.review_id)},
                                 {"message", p.message}});
  return JsonValue{{"ok", report.ok()},
                   {"cards", report.cards_checked},
                   {"reviews", report.reviews_checked},
                   {"problems", problems}};
}

JsonValue brief_missing_json(const std::string& database) {
  return JsonValue{{"database", database}, {"exists", false}};
}

JsonValue brief_json(const Brief& brief, const std::string& database) {
  JsonValue recurring = JsonValue::array(), weakest = JsonValue::array(), gaps = JsonValue::array();
  for (const auto& m : brief.mistakes)
    recurring.push_back(JsonValue{{"card", m.card_id},
                                  {"topic", m.topic_label},
                                  {"question", m.question},
                                  {"failures", m.failures},
                                  {"fail_days", days_json(m.fail_days)},
                                  {"notes", m.notes}});
  for (const auto& t : brief.weakest)
    weakest.push_back(
        JsonValue{{"label", t.label},
                  {"title", t.title},
                  {"confidence", t.confidence},
                  {"evidence", t.evidence ? JsonValue(std::string(to_string(*t.evidence)))
                                          : JsonValue(nullptr)},
                  {"graded", t.graded},
                  {"passed", t.passed},
                  {"days", t.days}});
  for (const auto& g : brief.gaps)
    gaps.push_back(JsonValue{{"id", id_or_null(g.gap_id)},
                             {"text", g.text},
                             {"tier", g.tier},
                             {"recurring", g.recurring},
                             {"misses", g.misses},
                             {"miss_days", days_json(g.miss_days)},
                             {"cards", ids_json(g.card_ids)}});
  return JsonValue{{"database", database},
                   {"exists", true},
                   {"day", format_day(brief.day)},
                   {"cards", brief.cards},
                   {"due", brief.due},
                   {"new", brief.fresh},
                   {"redrill", brief.redrill},
                   {"interview", optional_day_json(brief.interview)},
                   {"days_to_interview",
                    brief.interview ? JsonValue(*brief.interview - brief.day) : JsonValue(nullptr)},
                   {"recurring_total", brief.mistakes_total},
                   {"recurring", recurring},
                   {"weakest_topics", weakest},
                   {"gaps_total", brief.gaps_total},
                   {"gaps", gaps},
                   {"flagged", brief.flagged},
                   {"drafts_waiting", drafts_waiting(brief.review)},
                   {"drafts", brief.review.drafts_wait ? "wait" : "drill"},
                   {"unreviewed", brief.review.unreviewed},
                   {"tracker", or_null(brief.tracker)},
                   {"last_synced", optional_day_json(brief.sync.last_synced)},
                   {"answers_waiting", brief.sync.answers_waiting},
                   {"tutor_readiness", or_null(brief.sync.tutor_readiness)},
                   {"recall_readiness", or_null(brief.sync.recall_readiness)}};
}

JsonValue anki_export_json(const std::string& path, const AnkiExportReport& report) {
  return JsonValue{{"file", path},
                   {"notes", report.notes},
                   {"decks", report.decks},
                   {"scheduled", report.scheduled},
                   {"drafts_left_out", report.drafts_left_out},
                   {"suspended_left_out", report.suspended_left_out}};
}

JsonValue anki_import_json(const std::string& path, const AnkiImportReport& report) {
  return JsonValue{{"file", path},
                   {"layout", report.layout},
                   {"dry_run", report.dry_run},
                   {"answers_read", report.answers_read},
                   {"added", report.added},
                   {"duplicates", report.duplicates},
                   {"cards", report.cards},
                   {"replayed", report.rows_replayed},
                   {"not_rated", report.not_rated},
                   {"future", report.future},
                   {"foreign_notes", report.foreign_notes},
                   {"foreign_answers", report.foreign_answers}};
}

}  // namespace recall
