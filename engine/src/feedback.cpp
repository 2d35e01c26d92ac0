// The feedback rules: pure functions from the review log to confidence,
// recurring mistakes, note patterns, gap outcomes and readiness.
// docs/feedback.md states every rule and threshold.
#include "recall/feedback.h"
#include "recall/rules.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "recall/identity.h"
#include "recall/text.h"
#include "gap_words.h"

namespace recall {

namespace {

constexpr std::string_view kLevels[] = {"Low", "Medium", "Medium-High", "High"};
constexpr std::string_view kTimes = "\xC3\x97";       // "×"

bool is_open(GapTier tier) { return tier == GapTier::kHigh || tier == GapTier::kMedium; }

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string count_text(int n) { return std::to_string(n) + std::string(kTimes); }

void add_day(std::vector<Day>& days, Day day) {
  if (std::find(days.begin(), days.end(), day) == days.end()) {
    days.push_back(day);
    std::sort(days.begin(), days.end());
  }
}

const std::set<std::string>& stop_words() {
  static const std::set<std::string> words = {
      "a",    "an",    "the",  "and", "or",   "but",  "of",    "to",    "in",   "on",
      "at",   "for",   "with", "by",  "from", "as",   "is",    "are",   "was",  "were",
      "be",   "been",  "it",   "its", "this", "that", "these", "those", "i",    "me",
      "my",   "again", "once", "so",  "then", "than", "too",   "very",  "just", "up",
      "into", "about", "had",  "has", "have", "did",  "do",    "does"};
  return words;
}

}  // namespace

std::string_view to_string(Confidence level) { return kLevels[static_cast<int>(level)]; }

std::optional<Confidence> parse_confidence(std::string_view text) {
  const std::string wanted = lower_ascii(text);
  for (int i = 0; i < 4; ++i)
    if (lower_ascii(kLevels[i]) == wanted) return static_cast<Confidence>(i);
  return std::nullopt;
}

ConfidenceEvidence confidence_evidence(const std::vector<const ReviewOutcome*>& topic_reviews,
                                       const TopicAnswers& studied) {
  ConfidenceEvidence e;
  std::vector<Day> days;
  days.reserve(topic_reviews.size());
  for (const ReviewOutcome* r : topic_reviews) {
    if (r->kind == ReviewKind::kRedrill) continue;
    ++e.graded;
    if (!is_failure(r->grade))
      ++e.passed;
    else
      ++e.lapses;
    days.push_back(r->day);
  }
  std::sort(days.begin(), days.end());
  e.days = static_cast<int>(std::unique(days.begin(), days.end()) - days.begin());
  // Summed as integers, divided once: the store's kept evidence
  // (Store::topic_answers) computes the same figures the same way.
  if (studied.studied > 0) {
    e.mean_easiness = static_cast<double>(studied.easiness_milli) / 1000.0 / studied.studied;
    e.mean_interval = static_cast<double>(studied.interval_days) / studied.studied;
  }
  return e;
}

ConfidenceEvidence confidence_evidence(const std::vector<const ReviewOutcome*>& topic_reviews,
                                       const std::vector<const Card*>& topic_cards) {
  TopicAnswers studied;
  for (const Card* card : topic_cards) {
    if (card->retired || !card->state.due_day) continue;
    ++studied.studied;
    studied.easiness_milli += card->state.easiness_milli;
    studied.interval_days += card->state.interval_days;
  }
  return confidence_evidence(topic_reviews, studied);
}

namespace {

// The success rate each level starts at (High also needs grown cards).
constexpr double kLevelFloor[] = {0.0, 0.5, 0.75, 0.9};

double success_rate(const ConfidenceEvidence& e) {
  return e.graded > 0 ? static_cast<double>(e.passed) / e.graded : 0;
}

}  // namespace

std::optional<Confidence> evidence_level(const ConfidenceEvidence& e, const FeedbackRules& rules) {
  if (e.graded < rules.confidence_min_reviews || e.days < rules.confidence_min_days)
    return std::nullopt;
  const double rate = success_rate(e);
  if (rate < kLevelFloor[1]) return Confidence::kLow;
  if (rate < kLevelFloor[2]) return Confidence::kMedium;
  if (rate < kLevelFloor[3]) return Confidence::kMediumHigh;
  if (e.mean_easiness >= 2.3 && e.mean_interval >= 6) return Confidence::kHigh;
  return Confidence::kMediumHigh;
}

std::string next_confidence(const std::string& current, const ConfidenceEvidence& evidence,
                            const FeedbackRules& rules) {
  const auto now = parse_confidence(current);
  const auto target = evidence_level(evidence, rules);
  if (!now || !target || *now == *target) return current;
  // Down only on evidence against the value: its success rate below the
  // value's floor by more than the margin. Cards not grown yet (a fresh
  // import) and a rate at the scheduler's own target (~90%) are no such
  // evidence; raising needs the full floor and, for High, grown cards.
  if (*target < *now && success_rate(evidence) >= kLevelFloor[static_cast<int>(*now)] -
                                                      rules.confidence_hold_margin - 1e-9)
    return current;
  const int step = *target > *now ? 1 : -1;
  return std::string(to_string(static_cast<Confidence>(static_cast<int>(*now) + step)));
}

bool has_no_model_answer(const Card& card) {
  return card.quality == "review" &&
         card.quality_reason.find("no model answer") != std::string::npos;
}

std::string normalise_note(std::string_view note) {
  std::string out, word;
  auto flush = [&] {
    if (!word.empty() && !stop_words().count(word)) out += (out.empty() ? "" : " ") + word;
    word.clear();
  };
  for (char c : note) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80)
      word += static_cast<char>(std::tolower(u));
    else if (c != '\'')
      flush();
  }
  flush();
  return out;
}

std::string strip_gap_evidence(std::string_view text) {
  return std::string(split_gap_evidence(text).words);
}

namespace {

// `text` in at most `max` code points: whole when it fits, else cut at the
// last word boundary that leaves room for "…" (mid-word only when a single
// word is longer), with the punctuation before the cut dropped.
std::string shorten_at_word(const std::string& text, std::size_t max) {
  if (code_point_count(text) <= max || max < 2) return text;
  std::size_t i = 0, count = 0, last_space = std::string::npos, hard = 0;
  while (i < text.size() && count < max - 1) {
    if (text[i] == ' ') last_space = i;
    next_code_point(text, i);
    ++count;
    hard = i;
  }
  if (i < text.size() && text[i] == ' ') last_space = i;
  std::size_t cut = last_space != std::string::npos && last_space > 0 ? last_space : hard;
  while (cut > 0 && std::string_view(" ,;:-(").find(text[cut - 1]) != std::string_view::npos) --cut;
  return text.substr(0, cut) + "\xE2\x80\xA6";  // "…"
}

// A point as a line recall writes names it: in the tracker's own words (the
// key point, the gap's or the checklist item's text) on one line, whole up
// to gap_point_chars code points, else cut at a word with "…"; never the
// card's question, which is recall's prose ("Fill in the blank: ____ ...").
// A card with no such words (added by hand) names no point, nor does a
// topic's outline card or a point worded as its topic's title: the line
// names the topic already.
std::string point_name(const Card& card, const FeedbackRules& rules) {
  const std::string words = one_line(trim(card.source));
  if (card.kind == CardKind::kTopic || equals_no_case(words, trim(card.topic_title))) return "";
  return shorten_at_word(words, static_cast<std::size_t>(rules.gap_point_chars));
}

// A topic's name in a line recall writes: "A.8 Evaluation Metrics - AUC-ROC".
std::string topic_name(const Card& card) {
  return gap_words::topic_name(card.topic_label, card.topic_title);
}

bool starts_with(std::string_view text, std::string_view head) {
  return text.size() >= head.size() && text.substr(0, head.size()) == head;
}

// Which failures count: all, those after the tutor resolved a gap of the
// card, or those after the tutor's last judgment of it (resolved, or a line
// of recall's on its topic deleted).
enum class Since { kEver, kResolution, kJudgment };

// One card's misses for each card with an answer that counts, and its
// latest failure with a note in the window.
struct MissBook {
  std::map<long long, CardMisses> misses;
  std::unordered_map<long long, const ReviewOutcome*> last_noted;
};

}  // namespace

Feedback derive_feedback(const std::vector<GapRow>& gaps, const std::vector<Card>& cards,
                         const std::vector<ReviewOutcome>& reviews, Day today,
                         const FeedbackRules& rules, const RecallLines& recall,
                         const GapLinker* linked) {
  const Day window_start = today - (rules.window_days - 1);
  std::unordered_map<long long, const Card*> card_by_id;
  card_by_id.reserve(cards.size());
  // A card recall flagged as having no model answer was graded against
  // nothing: its answers neither evidence nor resolve a gap.
  std::unordered_set<long long> answerless;
  for (const auto& card : cards) {
    card_by_id[card.id] = &card;
    if (has_no_model_answer(card)) answerless.insert(card.id);
  }

  // Per-card misses and the run of passes since the last failure: gathered
  // by hash (one lookup per logged answer), then kept in card id order.
  // `counts(r)`: whether the answer is evidence for this book.
  auto gather = [&](const auto& counts) {
    MissBook book;
    std::unordered_map<long long, CardMisses> gathered;
    for (const auto& r : reviews) {
      // A re-drill is practice the same day, after the failure it follows: it
      // neither adds a miss ("missed 189×" for nine cards) nor counts as recall.
      if (r.day > today || answerless.count(r.card_id) || r.kind == ReviewKind::kRedrill ||
          !counts(r))
        continue;
      CardMisses& m = gathered[r.card_id];
      m.card_id = r.card_id;
      if (is_failure(r.grade)) {
        // A resolved run before this failure: the card starts afresh.
        if (m.streak >= rules.resolve_streak &&
            m.streak_last - m.streak_first >= rules.resolve_span_days)
          m.fresh_fail_days.clear();
        ++m.failures;
        add_day(m.fail_days, r.day);
        if (r.day >= window_start) {
          ++m.window_failures;
          add_day(m.window_fail_days, r.day);
          add_day(m.fresh_fail_days, r.day);
          if (r.note && !trim(*r.note).empty()) book.last_noted[r.card_id] = &r;
        }
        m.streak = 0;
      } else {
        if (m.streak == 0) m.streak_first = r.day;
        ++m.streak;
        m.streak_last = r.day;
      }
    }
    book.misses = std::map<long long, CardMisses>(std::make_move_iterator(gathered.begin()),
                                                  std::make_move_iterator(gathered.end()));
    for (auto& [id, m] : book.misses)
      m.recurring = static_cast<int>(m.window_fail_days.size()) >= rules.recurring_fail_days;
    return book;
  };
  const MissBook all = gather([](const ReviewOutcome&) { return true; });
  const std::map<long long, CardMisses>& misses = all.misses;
  // The cards of gaps the tutor resolved or deleted, each with the latest
  // such day, and their misses after it. Resolved: the day the tutor
  // resolved a gap of the card. Judged: that, or the day sync found a line of
  // recall's on its topic deleted.
  std::unordered_map<long long, Day> resolved_on, judged_on;
  const auto keep_later = [](std::unordered_map<long long, Day>& days, long long id, Day day) {
    Day& kept = days[id];
    kept = std::max(kept, day);
  };
  MissBook after_resolution, after_judgment;
  // A card's misses: all of them, or those after the tutor resolved a gap
  // of the card (or judged it: Since); nullptr when none count.
  auto book_of = [&](long long id, Since since) -> const MissBook& {
    if (since == Since::kResolution && resolved_on.count(id)) return after_resolution;
    if (since == Since::kJudgment && judged_on.count(id)) return after_judgment;
    return all;
  };
  auto miss_of = [&](long long id, Since since) -> const CardMisses* {
    const MissBook& book = book_of(id, since);
    const auto found = book.misses.find(id);
    return found == book.misses.end() ? nullptr : &found->second;
  };
  auto noted_of = [&](long long id, Since since) -> const ReviewOutcome* {
    const MissBook& book = book_of(id, since);
    const auto found = book.last_noted.find(id);
    return found == book.last_noted.end() ? nullptr : found->second;
  };

  // Mistake-note patterns across cards and topics.
  Feedback result;
  std::map<std::string, NotePattern> patterns;
  std::map<std::string, std::vector<Day>> window_days;
  for (const auto& r : reviews) {
    if (r.day > today || !is_failure(r.grade) || !r.note || r.kind == ReviewKind::kRedrill)
      continue;
    const std::string key = normalise_note(*r.note);
    if (key.empty()) continue;
    NotePattern& p = patterns[key];
    p.key = key;
    p.note = one_line(*r.note);  // as the tracker will hold it (old notes were not checked)
    ++p.failures;
    add_day(p.days, r.day);
    if (r.day >= window_start) add_day(window_days[key], r.day);
    if (std::find(p.card_ids.begin(), p.card_ids.end(), r.card_id) == p.card_ids.end())
      p.card_ids.push_back(r.card_id);
  }
  std::set<long long> recurring;
  for (const auto& [id, m] : misses)
    if (m.recurring) recurring.insert(id);
  std::set<long long> by_pattern;  // cards of a recurring note pattern
  for (auto& [key, p] : patterns) {
    p.recurring = static_cast<int>(window_days[key].size()) >= rules.recurring_fail_days;
    if (!p.recurring) continue;
    for (long long id : p.card_ids) {
      by_pattern.insert(id);
      if (recurring.insert(id).second) result.pattern_card_ids.push_back(id);
    }
  }
  auto resolved_run = [&](long long id, Since since) {
    const CardMisses* found = miss_of(id, since);
    if (!found) return false;
    const CardMisses& m = *found;
    return m.streak >= rules.resolve_streak &&
           m.streak_last - m.streak_first >= rules.resolve_span_days;
  };

  // What a group of cards shows: recall's suffix, and whether it is cleared.
  struct Evidence {
    std::string suffix;
    bool cleared = false;  // every failed card recalled in a resolved run
    int window_days = 0;   // distinct failure days in the window
    int streak = 0, span = 0;
    std::optional<std::string> note;
    // What the suffix counts: the failures in the window, or all of them
    // when the window holds none, and their distinct days.
    int count = 0;
    std::vector<Day> days;
  };
  auto evidence_of = [&](const std::vector<long long>& ids, Since since) {
    Evidence e;
    int window = 0, all = 0;
    Day window_since = today, all_since = today;
    std::set<Day> days, all_days;
    const ReviewOutcome* noted = nullptr;
    bool any_failed = false, all_runs = true;
    e.streak = 1 << 30;
    e.span = 1 << 30;
    for (long long id : ids) {
      const CardMisses* found = miss_of(id, since);
      if (!found || found->failures == 0) continue;
      const CardMisses& m = *found;
      const auto c = card_by_id.find(id);
      if (c != card_by_id.end() && c->second->retired) continue;
      any_failed = true;
      all += m.failures;
      all_since = std::min(all_since, m.fail_days.front());
      window += m.window_failures;
      if (!m.window_fail_days.empty())
        window_since = std::min(window_since, m.window_fail_days.front());
      days.insert(m.window_fail_days.begin(), m.window_fail_days.end());
      all_days.insert(m.fail_days.begin(), m.fail_days.end());
      if (const ReviewOutcome* n = noted_of(id, since); n && (!noted || n->id > noted->id))
        noted = n;
      if (resolved_run(id, since)) {
        e.streak = std::min(e.streak, m.streak);
        e.span = std::min(e.span, m.streak_last - m.streak_first);
      } else {
        all_runs = false;
      }
    }
    e.window_days = static_cast<int>(days.size());
    if (noted) e.note = evidence_note(*noted->note);
    if (!any_failed) return e;
    e.count = window > 0 ? window : all;
    const std::set<Day>& counted = window > 0 ? days : all_days;
    e.days.assign(counted.begin(), counted.end());
    e.cleared = all_runs;
    if (e.cleared) {
      e.suffix = recalled_evidence(e.streak, e.span);
      return e;
    }
    const Day first = window > 0 ? window_since : all_since;
    e.suffix = missed_evidence(e.count, first, e.note);
    return e;
  };

  // The cards a gap's words name (GapLinker), beside the import's links.
  std::optional<CardGapLinker> own;
  const GapLinker& linker = linked ? *linked : own.emplace(cards);
  auto link_cards = [&linker](std::string_view base, std::vector<long long> ids) {
    return linker.link(base, std::move(ids));
  };
  // A gap the tutor resolved (a row of Recently Resolved that is not one
  // recall wrote, or a line of recall's the tutor moved there): no line of
  // recall's counts its cards' failures on or before the row's date again.
  for (const auto& gap : gaps) {
    if (!gap.in_tracker || is_open(gap.tier) || !gap.resolved_day) continue;
    if (recall.keys.count(gap.gap_key) && gap.note.rfind("Recalled ", 0) == 0) continue;
    for (long long id : cards_of_gap(linker, gap.text, gap)) {
      keep_later(resolved_on, id, *gap.resolved_day);
      keep_later(judged_on, id, *gap.resolved_day);
    }
  }
  // So is a line of recall's the tutor deleted: its topic's cards count only
  // their failures after the day sync found it gone.
  if (!recall.dismissed.empty()) {
    std::map<long long, std::string> topic_prefixes;  // topic id -> topic_key of its name
    for (const auto& card : cards) {
      if (card.retired || !card.topic_id || card.topic_label.empty()) continue;
      auto prefix = topic_prefixes.find(card.topic_id);
      if (prefix == topic_prefixes.end())
        prefix = topic_prefixes.emplace(card.topic_id, topic_key(topic_name(card))).first;
      for (const auto& [key, on] : recall.dismissed)
        if (!prefix->second.empty() && starts_with(key, prefix->second))
          keep_later(judged_on, card.id, on);
    }
  }
  const auto after = [&](const std::unordered_map<long long, Day>& days) {
    return gather([&](const ReviewOutcome& r) {
      const auto found = days.find(r.card_id);
      return found != days.end() && r.day > found->second;
    });
  };
  if (!resolved_on.empty()) after_resolution = after(resolved_on);
  if (!judged_on.empty()) after_judgment = after(judged_on);
  std::set<long long> linked_anywhere;
  std::set<long long> topics_with_gap;
  int recall_open = 0;
  std::set<std::string> open_keys;
  struct ResolvedRow {
    std::string words;
    Day day;
  };
  std::vector<ResolvedRow> recall_rows;  // recall's rows in Recently Resolved
  std::set<std::string> tutor_keys;      // every key a line of the tutor holds
  for (const auto& gap : gaps) {
    if (!gap.in_tracker) continue;
    const bool mine = recall.keys.count(gap.gap_key) > 0;
    if (!is_open(gap.tier)) {
      if (mine && gap.note.rfind("Recalled ", 0) == 0)
        recall_rows.push_back({gap.text, gap.resolved_day.value_or(0)});
      else
        tutor_keys.insert(gap.gap_key);
      continue;
    }
    if (!mine) tutor_keys.insert(gap.gap_key);
    open_keys.insert(gap.gap_key);
    GapOutcome out;
    out.gap_id = gap.id;
    out.gap_key = gap.gap_key;
    out.base = gap.text;
    out.evidence = gap.note;
    out.text = gap.text + gap.note;
    out.tier = std::string(to_string(gap.tier));
    out.by_recall = mine;
    if (mine) ++recall_open;
    out.card_ids = cards_of_gap(linker, out.base, gap);
    for (long long id : out.card_ids) {
      linked_anywhere.insert(id);
      if (const auto c = card_by_id.find(id); c != card_by_id.end() && c->second->topic_id)
        topics_with_gap.insert(c->second->topic_id);
    }
    // Failures the tutor has judged are not evidence: a tutor's line counts
    // from a resolution of its cards, recall's own from the last judgment of
    // its topic. One with no failure after it keeps what it says until its
    // cards clear it (evidence never vanishes from a line without an answer).
    Evidence e = evidence_of(out.card_ids, mine ? Since::kJudgment : Since::kResolution);
    if (e.count == 0 && !e.cleared) e = evidence_of(out.card_ids, Since::kEver);
    out.misses = e.count;
    out.miss_days = e.days;
    // Recurring: the tracker says so (its words), a card of it failed on two
    // days or shares a recurring note, or the tracker called it recurring
    // and it failed again in the window.
    bool evidence_recurring = false;
    for (long long id : out.card_ids) {
      if (recurring.count(id)) evidence_recurring = true;
      const auto found = misses.find(id);
      if (gap.recurring && found != misses.end() && found->second.window_failures > 0)
        evidence_recurring = true;
    }
    out.recurring = gap.recurring || evidence_recurring;
    out.note = e.note;
    out.new_evidence = e.suffix;
    out.new_tier = out.tier;
    out.new_text = out.base + out.new_evidence;
    // A line of recall's that the tutor moved to another tier stays where
    // the tutor put it: recall updates its evidence, never its tier again.
    const bool movable = mine && recall.placed.count(gap.gap_key) == 0;
    if (movable && e.cleared) {
      // recall's own line, cleared by the evidence: to Recently Resolved.
      out.new_tier = "resolved";
      out.new_text = out.base;
      out.resolution_note = "Recalled " + count_text(e.streak) + " over " + std::to_string(e.span) +
                            " days in review";
      out.change = GapChange::kResolved;
    } else if (movable && gap.tier == GapTier::kMedium && e.window_days >= rules.high_fail_days) {
      out.new_tier = "high";
      out.change = GapChange::kRaised;
    } else if (movable && gap.tier == GapTier::kHigh && e.window_days > 0 &&
               e.window_days < rules.high_fail_days) {
      // recall's own High line whose window no longer holds the failure
      // days that raised it: its tier follows the evidence its suffix states
      // ("missed N× since …"). With no failure left in the window it stays
      // until its evidence clears it.
      out.new_tier = "medium";
      out.change = GapChange::kLowered;
    } else if (out.new_evidence != out.evidence) {
      out.change = GapChange::kEvidence;
    }
    result.gaps.push_back(std::move(out));
  }

  // New lines: cards failed on two days since their last resolved run (or of
  // a recurring note), linked to no open gap, on a topic with none; one line
  // per topic, the most failed first, a few per sync.
  std::map<long long, std::vector<long long>> groups;  // topic id (or -card id) -> cards
  // A card the tutor judged counts only its failures after that.
  auto fresh_misses = [&](long long id) -> const CardMisses& {
    return *miss_of(id, Since::kJudgment);
  };
  for (const auto& entry : misses) {
    const long long id = entry.first;
    const CardMisses* counted = miss_of(id, Since::kJudgment);
    if (!counted) continue;
    const CardMisses& m = *counted;
    const auto c = card_by_id.find(id);
    if (c == card_by_id.end() || c->second->retired || m.fresh_fail_days.empty()) continue;
    if (linked_anywhere.count(id) || resolved_run(id, Since::kJudgment)) continue;
    if (c->second->topic_id && topics_with_gap.count(c->second->topic_id)) continue;
    // A note pattern of before the tutor's judgment of the card is judged too.
    const bool enough = static_cast<int>(m.fresh_fail_days.size()) >= rules.recurring_fail_days ||
                        (by_pattern.count(id) > 0 && !judged_on.count(id));
    if (!enough) continue;
    groups[c->second->topic_id ? c->second->topic_id : -id].push_back(id);
  }
  struct Candidate {
    GapOutcome gap;
    int days = 0, failures = 0;
  };
  std::vector<Candidate> candidates;
  for (auto& [group, ids] : groups) {
    // Named by its points, most failed first: failure days, then failures.
    std::stable_sort(ids.begin(), ids.end(), [&](long long a, long long b) {
      const CardMisses &ma = fresh_misses(a), &mb = fresh_misses(b);
      if (ma.fresh_fail_days.size() != mb.fresh_fail_days.size())
        return ma.fresh_fail_days.size() > mb.fresh_fail_days.size();
      return ma.window_failures > mb.window_failures;
    });
    Candidate candidate;
    GapOutcome& out = candidate.gap;
    const Card& first = *card_by_id[ids.front()];
    std::string points;
    std::set<std::string> seen;
    std::set<Day> days;
    for (long long id : ids) {
      const CardMisses& m = fresh_misses(id);
      candidate.failures += m.window_failures;
      days.insert(m.fresh_fail_days.begin(), m.fresh_fail_days.end());
      const std::string point = point_name(*card_by_id[id], rules);
      if (!point.empty() && static_cast<int>(seen.size()) < rules.gap_line_points_max &&
          seen.insert(point).second)
        points += (points.empty() ? "" : "; ") + point;
    }
    candidate.days = static_cast<int>(days.size());
    out.card_ids = ids;
    std::sort(out.card_ids.begin(), out.card_ids.end());
    out.topic_id = first.topic_id;
    out.by_recall = true;
    out.recurring = true;  // two days, or a recurring note: that is the rule
    out.change = GapChange::kAdded;
    out.base = one_line(!first.topic_id  ? points
                        : points.empty() ? topic_name(first)
                                         : topic_name(first) + ": " + points);
    if (out.base.empty()) continue;
    // Its evidence as the next sync will count it: every card its words
    // name (the topic's, by label and title), not only those that made it.
    const Evidence e = evidence_of(link_cards(out.base, ids), Since::kJudgment);
    out.misses = e.count;
    out.miss_days = e.days;
    out.note = e.note;
    out.new_evidence = e.suffix;
    out.new_text = out.base + out.new_evidence;
    out.new_tier = candidate.days >= rules.high_fail_days ? "high" : "medium";
    out.gap_key = topic_key(out.base);
    if (tutor_keys.count(out.gap_key) || open_keys.count(out.gap_key)) continue;
    // A line of recall's on this topic that the tutor deleted: back only
    // with a failure after the day it was deleted.
    const std::string topic_prefix = first.topic_id ? topic_key(topic_name(first)) : "";
    bool dismissed_since = false;
    for (const auto& [key, on] : recall.dismissed)
      if ((key == out.gap_key || (!topic_prefix.empty() && starts_with(key, topic_prefix))) &&
          (days.empty() || *days.rbegin() <= on))
        dismissed_since = true;
    if (dismissed_since) continue;
    candidates.push_back(std::move(candidate));
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.days != b.days) return a.days > b.days;
                     return a.failures > b.failures;
                   });
  const int room = std::min(rules.gap_lines_per_sync, rules.recall_gaps_open_max - recall_open);
  std::set<std::string> dropped;
  for (int i = 0; i < room && i < static_cast<int>(candidates.size()); ++i) {
    GapOutcome& out = candidates[static_cast<std::size_t>(i)].gap;
    // A topic recall resolved before fails again: its row moves back.
    const Card& first = *card_by_id[out.card_ids.front()];
    for (const auto& row : recall_rows)
      if (topic_key(row.words) == out.gap_key ||
          (first.topic_id && starts_with(row.words, topic_name(first) + ":")))
        dropped.insert(row.words);
    result.gaps.push_back(std::move(out));
  }
  // recall's rows in Recently Resolved: the newest recall_resolved_rows_max.
  std::stable_sort(recall_rows.begin(), recall_rows.end(),
                   [](const ResolvedRow& a, const ResolvedRow& b) { return a.day < b.day; });
  int kept = 0;
  for (const auto& gap : result.gaps)
    if (gap.change == GapChange::kResolved) ++kept;
  for (auto row = recall_rows.rbegin(); row != recall_rows.rend(); ++row) {
    if (dropped.count(row->words)) continue;
    if (kept < rules.recall_resolved_rows_max)
      ++kept;
    else
      dropped.insert(row->words);
  }
  result.drop_resolved.assign(dropped.begin(), dropped.end());

  for (const auto& [id, m] : misses)
    if (recurring.count(id)) result.recurring_cards.push_back(m);
  for (auto& [key, p] : patterns) result.patterns.push_back(p);
  std::stable_sort(
      result.patterns.begin(), result.patterns.end(),
      [](const NotePattern& a, const NotePattern& b) { return a.recurring > b.recurring; });
  return result;
}

double topic_readiness(const std::string& confidence, bool has_cards) {
  if (!has_cards) return 0;
  const auto level = parse_confidence(confidence);
  if (!level) return 0;
  return (static_cast<int>(*level) + 1) * 0.25;
}

int readiness_percent(const std::vector<DomainReadiness>& domains) {
  double total = 0;
  for (const auto& d : domains) {
    if (d.total_topics <= 0) continue;
    total += d.weight_percent * std::min(1.0, d.topic_sum / d.total_topics);
  }
  return static_cast<int>(total + 0.5);
}

}  // namespace recall
