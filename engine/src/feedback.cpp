// The feedback rules: pure functions from the review log to confidence,
// recurring mistakes, note patterns, gap outcomes and readiness.
// docs/feedback.md states every rule and threshold.
#include "recall/feedback.h"
#include "recall/rules.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

#include "recall/text.h"

namespace recall {

namespace {

constexpr std::string_view kLevels[] = {"Low", "Medium", "Medium-High", "High"};
constexpr std::string_view kDash = " \xE2\x80\x94 ";  // " — "
constexpr std::string_view kTimes = "\xC3\x97";       // "×"

bool is_open(GapTier tier) { return tier == GapTier::kHigh || tier == GapTier::kMedium; }

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

bool all_of_class(std::string_view text, const char* allowed) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) ||
           std::string_view(allowed).find(c) != std::string_view::npos;
  });
}

// "2026-11-20" at the end of `text`: returns the text before it or nullopt.
std::optional<std::string_view> before_date(std::string_view text) {
  if (text.size() < 10 || !parse_day(text.substr(text.size() - 10))) return std::nullopt;
  return text.substr(0, text.size() - 10);
}

// "N×" at the end of `text`: returns the text before it or nullopt.
std::optional<std::string_view> before_count(std::string_view text) {
  if (!ends_with(text, kTimes)) return std::nullopt;
  text.remove_suffix(kTimes.size());
  std::size_t digits = 0;
  while (digits < text.size() &&
         std::isdigit(static_cast<unsigned char>(text[text.size() - 1 - digits])))
    ++digits;
  if (digits == 0) return std::nullopt;
  return text.substr(0, text.size() - digits);
}

std::string count_text(int n) { return std::to_string(n) + std::string(kTimes); }

std::string days_text(const std::vector<Day>& days) {
  // The most recent five days are enough to show the pattern.
  std::string out;
  const std::size_t from = days.size() > 5 ? days.size() - 5 : 0;
  for (std::size_t i = from; i < days.size(); ++i)
    out += (out.empty() ? "" : ", ") + format_day(days[i]);
  return out;
}

// The subject of a key point: "ROC axes" for "ROC axes: x=FPR, y=TPR"; a
// view into `source`.
std::string_view term_of(std::string_view source) {
  const auto colon = source.find(':');
  if (colon == std::string_view::npos || colon == 0) return source;
  std::string_view term = source.substr(0, colon);
  while (!term.empty() && term.back() == ' ') term.remove_suffix(1);
  return term;
}

std::string card_subject(const Card& card) {
  if (!card.source.empty()) return card.source;
  std::string front = card.front;
  if (auto nl = front.find('\n'); nl != std::string::npos && front.rfind('[', 0) == 0)
    front = front.substr(nl + 1);
  if (auto nl = front.find('\n'); nl != std::string::npos) front = front.substr(0, nl);
  return front;
}

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
                                       const std::vector<const Card*>& topic_cards) {
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
  int studied = 0;
  for (const Card* card : topic_cards) {
    if (card->retired || !card->state.due_day) continue;
    ++studied;
    e.mean_easiness += card->state.easiness_milli / 1000.0;
    e.mean_interval += card->state.interval_days;
  }
  if (studied > 0) {
    e.mean_easiness /= studied;
    e.mean_interval /= studied;
  }
  return e;
}

std::optional<Confidence> evidence_level(const ConfidenceEvidence& e, const FeedbackRules& rules) {
  if (e.graded < rules.confidence_min_reviews || e.days < rules.confidence_min_days)
    return std::nullopt;
  const double rate = static_cast<double>(e.passed) / e.graded;
  if (rate < 0.5) return Confidence::kLow;
  if (rate < 0.75) return Confidence::kMedium;
  if (rate < 0.9 || e.lapses >= 2) return Confidence::kMediumHigh;
  if (e.mean_easiness >= 2.3 && e.mean_interval >= 6) return Confidence::kHigh;
  return Confidence::kMediumHigh;
}

std::string next_confidence(const std::string& current, const ConfidenceEvidence& evidence,
                            const FeedbackRules& rules) {
  const auto now = parse_confidence(current);
  const auto target = evidence_level(evidence, rules);
  if (!now || !target || *now == *target) return current;
  const int step = *target > *now ? 1 : -1;
  return std::string(to_string(static_cast<Confidence>(static_cast<int>(*now) + step)));
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
  for (;;) {
    std::string_view t = text;
    // " (recurring — missed N× since DATE[, "note"])"
    const std::string marker = " (recurring" + std::string(kDash) + "missed ";
    if (const auto at = t.rfind(marker); at != std::string_view::npos && ends_with(t, ")")) {
      text = t.substr(0, at);
      continue;
    }
    // " — missed N× (d1, d2)"
    const std::string missed = std::string(kDash) + "missed ";
    if (const auto at = t.rfind(missed); at != std::string_view::npos && ends_with(t, ")")) {
      const std::string_view rest = t.substr(at + missed.size());
      const auto open = rest.find(" (");
      if (open != std::string_view::npos && before_count(rest.substr(0, open)) &&
          before_count(rest.substr(0, open))->empty() &&
          all_of_class(rest.substr(open + 2, rest.size() - open - 3), "-, ")) {
        text = t.substr(0, at);
        continue;
      }
    }
    // ", N× since DATE" (note-pattern gaps)
    if (const auto head = before_date(t); head && ends_with(*head, " since ")) {
      const auto counted = before_count(head->substr(0, head->size() - 7));
      if (counted && ends_with(*counted, ", ")) {
        text = counted->substr(0, counted->size() - 2);
        continue;
      }
    }
    return std::string(text);
  }
}

Feedback derive_feedback(const std::vector<GapRow>& gaps, const std::vector<Card>& cards,
                         const std::vector<ReviewOutcome>& reviews, Day today,
                         const FeedbackRules& rules) {
  const Day window_start = today - (rules.window_days - 1);
  std::unordered_map<long long, const Card*> card_by_id;
  card_by_id.reserve(cards.size());
  for (const auto& card : cards) card_by_id[card.id] = &card;

  // Per-card misses and the run of passes since the last failure: gathered
  // by hash (one lookup per logged answer), then kept in card id order.
  std::unordered_map<long long, CardMisses> gathered;
  gathered.reserve(cards.size());
  for (const auto& r : reviews) {
    if (r.day > today) continue;
    CardMisses& m = gathered[r.card_id];
    m.card_id = r.card_id;
    if (is_failure(r.grade)) {
      ++m.failures;
      add_day(m.fail_days, r.day);
      if (r.day >= window_start) {
        ++m.window_failures;
        add_day(m.window_fail_days, r.day);
      }
      m.streak = 0;
    } else {
      if (m.streak == 0) m.streak_first = r.day;
      ++m.streak;
      m.streak_last = r.day;
    }
  }
  std::map<long long, CardMisses> misses(std::make_move_iterator(gathered.begin()),
                                         std::make_move_iterator(gathered.end()));
  gathered.clear();
  for (auto& [id, m] : misses)
    m.recurring = static_cast<int>(m.window_fail_days.size()) >= rules.recurring_fail_days;

  // Mistake-note patterns across cards and topics.
  Feedback result;
  std::map<std::string, NotePattern> patterns;
  std::map<std::string, std::vector<Day>> window_days;
  for (const auto& r : reviews) {
    if (r.day > today || !is_failure(r.grade) || !r.note) continue;
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
  std::map<long long, const NotePattern*> pattern_of_card;  // a recurring pattern per card
  for (auto& [key, p] : patterns) {
    p.recurring = static_cast<int>(window_days[key].size()) >= rules.recurring_fail_days;
    if (!p.recurring) continue;
    for (long long id : p.card_ids) {
      if (!pattern_of_card.count(id)) pattern_of_card[id] = &p;
      if (recurring.insert(id).second) result.pattern_card_ids.push_back(id);
    }
  }
  auto resolved_run = [&](long long id) {
    const auto found = misses.find(id);
    if (found == misses.end()) return false;
    const CardMisses& m = found->second;
    return m.streak >= rules.resolve_streak &&
           m.streak_last - m.streak_first >= rules.resolve_span_days;
  };
  auto recurring_text = [&](const std::vector<long long>& ids, const NotePattern* pattern) {
    int count = 0;
    Day since = today;
    for (long long id : ids) {
      const auto found = misses.find(id);
      if (found == misses.end()) continue;
      count += found->second.window_failures;
      if (!found->second.window_fail_days.empty())
        since = std::min(since, found->second.window_fail_days.front());
    }
    std::string text = " (recurring" + std::string(kDash) + "missed " + count_text(count) +
                       " since " + format_day(since);
    if (pattern) text += ", \"" + pattern->note + "\"";
    return text + ")";
  };

  // Open gaps of the tracker, in order. A gap names a card by its subject,
  // or by its subject's term followed by a dash: both looked up, not
  // recomputed for every card and gap (100k cards x 100 gaps took 0.9 s).
  // Keys are views into the cards' sources (or into `fronts`, the subjects
  // of cards without one): 200k key strings cost more than the lookups.
  std::unordered_map<std::string_view, std::vector<long long>> by_subject, by_term;
  by_subject.reserve(cards.size());
  by_term.reserve(cards.size());
  std::deque<std::string> fronts;
  for (const auto& card : cards) {
    if (card.retired) continue;
    const std::string_view subject = card.source.empty()
                                         ? std::string_view(fronts.emplace_back(card_subject(card)))
                                         : card.source;
    by_term[term_of(subject)].push_back(card.id);
    by_subject[subject].push_back(card.id);
  }
  std::set<long long> linked_anywhere;
  std::set<long long> topics_with_gap;
  for (const auto& gap : gaps) {
    if (!gap.in_tracker || !is_open(gap.tier)) continue;
    GapOutcome out;
    out.gap_id = gap.id;
    out.text = gap.text;
    out.base = strip_gap_evidence(gap.text);
    out.tier = std::string(to_string(gap.tier));
    out.card_ids = gap.card_ids;
    auto link = [&out](const std::vector<long long>& ids) {
      for (long long id : ids)
        if (std::find(out.card_ids.begin(), out.card_ids.end(), id) == out.card_ids.end())
          out.card_ids.push_back(id);
    };
    const std::string_view base = out.base;
    if (const auto found = by_subject.find(base); found != by_subject.end()) link(found->second);
    // base starts with term + dash: the term is what precedes one of its dashes.
    for (auto dash = base.find(kDash); dash != std::string_view::npos;
         dash = base.find(kDash, dash + 1))
      if (const auto found = by_term.find(base.substr(0, dash)); found != by_term.end())
        link(found->second);
    std::sort(out.card_ids.begin(), out.card_ids.end());
    const NotePattern* pattern = nullptr;
    bool is_recurring = false;
    bool all_resolved = !out.card_ids.empty();
    for (long long id : out.card_ids) {
      linked_anywhere.insert(id);
      if (const auto c = card_by_id.find(id); c != card_by_id.end() && c->second->topic_id)
        topics_with_gap.insert(c->second->topic_id);
      const auto found = misses.find(id);
      if (found != misses.end()) {
        out.misses += found->second.failures;
        for (Day d : found->second.fail_days) add_day(out.miss_days, d);
        // A gap the tracker calls recurring stays recurring when failed again.
        if (gap.recurring && found->second.window_failures > 0) is_recurring = true;
      }
      if (recurring.count(id)) is_recurring = true;
      if (!pattern && pattern_of_card.count(id)) pattern = pattern_of_card[id];
      const auto c = card_by_id.find(id);
      const bool retired = c != card_by_id.end() && c->second->retired;
      if (!retired && !resolved_run(id)) all_resolved = false;
    }
    if (pattern) out.note = pattern->note;
    out.new_tier = out.tier;
    out.new_text = out.text;
    if (all_resolved) {
      int streak = 1 << 30, span = 1 << 30;
      for (long long id : out.card_ids) {
        const auto found = misses.find(id);
        if (found == misses.end()) continue;
        streak = std::min(streak, found->second.streak);
        span = std::min(span, found->second.streak_last - found->second.streak_first);
      }
      out.new_tier = "resolved";
      out.new_text = out.base;
      out.resolution_note =
          "Recalled " + count_text(streak) + " over " + std::to_string(span) + " days in review";
      out.change = GapChange::kResolved;
    } else if (is_recurring) {
      out.recurring = true;
      out.new_tier = "high";
      out.new_text = out.base + recurring_text(out.card_ids, pattern);
    } else if (out.misses > 0) {
      out.new_text = out.base + std::string(kDash) + "missed " + count_text(out.misses) + " (" +
                     days_text(out.miss_days) + ")";
    }
    if (out.change == GapChange::kNone) {
      if (out.new_tier != out.tier)
        out.change = GapChange::kRaised;
      else if (out.new_text != out.text)
        out.change = GapChange::kEvidence;
    }
    result.gaps.push_back(std::move(out));
  }

  // Failed cards with no open gap on their topic get one, in card order.
  std::vector<long long> candidates;
  for (const auto& [id, m] : misses) {
    const auto c = card_by_id.find(id);
    if (c == card_by_id.end() || c->second->retired || m.window_failures == 0) continue;
    if (linked_anywhere.count(id) || resolved_run(id)) continue;
    if (c->second->topic_id && topics_with_gap.count(c->second->topic_id)) continue;
    candidates.push_back(id);
  }
  for (long long id : candidates) {
    const Card& card = *card_by_id[id];
    const CardMisses& m = misses[id];
    GapOutcome out;
    out.card_ids = {id};
    out.misses = m.failures;
    out.miss_days = m.fail_days;
    out.change = GapChange::kAdded;
    const std::string subject = card_subject(card);
    if (const auto p = pattern_of_card.find(id); p != pattern_of_card.end()) {
      const NotePattern& pattern = *p->second;
      out.note = pattern.note;
      out.recurring = true;
      out.new_tier = "high";
      out.base = std::string(term_of(subject)) + std::string(kDash) + pattern.note;
      out.new_text = out.base + ", " + count_text(pattern.failures) + " since " +
                     format_day(pattern.days.front());
    } else if (m.recurring) {
      out.recurring = true;
      out.new_tier = "high";
      out.base = subject;
      out.new_text = subject + recurring_text({id}, nullptr);
    } else {
      out.new_tier = "medium";
      out.base = subject;
      out.new_text = subject + std::string(kDash) + "missed " + count_text(m.failures) + " (" +
                     days_text(m.fail_days) + ")";
    }
    result.gaps.push_back(std::move(out));
  }

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
