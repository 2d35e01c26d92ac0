#include "recall/brief.h"
#include "recall/rules.h"
#include "recall/study.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "recall/drill.h"
#include "recall/files.h"
#include "recall/interview.h"
#include "recall/stats.h"
#include "recall/store.h"
#include "recall/text.h"
#include "recall/withhold.h"

namespace recall {

namespace {

// The distinct mistake notes (by their normalised words) of each card's
// failed answers, most recent first.
std::unordered_map<long long, std::vector<std::string>> failure_notes(
    const std::vector<ReviewOutcome>& reviews, const std::set<long long>& card_ids) {
  std::unordered_map<long long, std::vector<std::string>> notes;
  std::unordered_map<long long, std::set<std::string>> seen;
  for (auto r = reviews.rbegin(); r != reviews.rend(); ++r) {
    // A re-drill's note is same-day practice, not a mistake of the review.
    if (!is_failure(r->grade) || !r->note || r->kind == ReviewKind::kRedrill ||
        !card_ids.count(r->card_id))
      continue;
    if (seen[r->card_id].insert(normalise_note(*r->note)).second)
      notes[r->card_id].push_back(*r->note);
  }
  return notes;
}

std::vector<BriefMistake> mistakes_of(Store& store, const Feedback& feedback,
                                      const std::vector<ReviewOutcome>& reviews) {
  std::set<long long> ids;
  for (const auto& miss : feedback.recurring_cards) ids.insert(miss.card_id);
  auto notes = failure_notes(reviews, ids);
  std::vector<BriefMistake> out;
  for (const auto& miss : feedback.recurring_cards) {
    BriefMistake m;
    m.card_id = miss.card_id;
    // Read one by one: the outlines hold no question.
    if (const auto card = store.card(miss.card_id)) {
      m.topic_label = card->topic_label;
      // Named by what was asked, not the answer; on one line (a list of
      // questions would reach the terminal as escaped line breaks).
      m.question = one_line(question_of(*card));
    }
    m.failures = miss.failures;
    m.fail_days = miss.fail_days;
    m.notes = std::move(notes[miss.card_id]);
    out.push_back(std::move(m));
  }
  std::stable_sort(out.begin(), out.end(), [](const BriefMistake& a, const BriefMistake& b) {
    const Day la = a.fail_days.empty() ? 0 : a.fail_days.back();
    const Day lb = b.fail_days.empty() ? 0 : b.fail_days.back();
    if (la != lb) return la > lb;
    return a.failures > b.failures;
  });
  return out;
}

// Topics with a failed graded answer in the retention window, weakest first:
// the window's answers of live cards with their topics (not every card), and
// the studied cards' sums, labels and confidence of only the topics that
// failed.
std::vector<BriefTopic> weakest_topics(Store& store, Day today) {
  std::map<char, int> weights;
  for (const auto& domain : store.domains()) weights[domain.letter] = domain.weight;
  const Day first = today - (kRetentionWindowDays - 1);
  const auto window = store.topic_outcomes_between(first, today);
  std::map<long long, std::vector<const ReviewOutcome*>> topic_reviews;
  for (const auto& [topic_id, review] : window) topic_reviews[topic_id].push_back(&review);
  std::vector<long long> failed;  // the topics with a lapse, in id order
  for (const auto& [topic_id, outcomes] : topic_reviews)
    if (confidence_evidence(outcomes, TopicAnswers{}).lapses > 0) failed.push_back(topic_id);
  std::unordered_map<long long, Store::TopicHead> heads;
  for (Store::TopicHead& head : store.topic_heads(failed)) heads[head.id] = std::move(head);
  struct Ranked {
    BriefTopic topic;
    int weight = 0;
  };
  std::vector<Ranked> ranked;
  for (long long topic_id : failed) {
    const ConfidenceEvidence evidence =
        confidence_evidence(topic_reviews[topic_id], store.studied_sums(topic_id));
    Ranked r;
    if (const auto head = heads.find(topic_id); head != heads.end()) {
      r.topic.label = head->second.label;
      r.topic.title = head->second.title;
      r.topic.confidence = head->second.confidence;
      if (const auto w = weights.find(head->second.domain_letter); w != weights.end())
        r.weight = w->second;
    }
    r.topic.evidence = evidence_level(evidence);
    r.topic.graded = evidence.graded;
    r.topic.passed = evidence.passed;
    r.topic.days = evidence.days;
    ranked.push_back(std::move(r));
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    // Enough evidence for a level (feedback.h) outranks a few answers.
    if (a.topic.evidence.has_value() != b.topic.evidence.has_value())
      return a.topic.evidence.has_value();
    if (a.topic.evidence != b.topic.evidence) return *a.topic.evidence < *b.topic.evidence;
    // a.passed / a.graded < b.passed / b.graded, without division.
    const long long left = 1LL * a.topic.passed * b.topic.graded;
    const long long right = 1LL * b.topic.passed * a.topic.graded;
    if (left != right) return left < right;
    const int fa = a.topic.graded - a.topic.passed, fb = b.topic.graded - b.topic.passed;
    if (fa != fb) return fa > fb;
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.topic.label < b.topic.label;
  });
  std::vector<BriefTopic> out;
  for (auto& r : ranked) out.push_back(std::move(r.topic));
  return out;
}

std::vector<BriefGap> unfixed_gaps(const Feedback& feedback) {
  std::vector<BriefGap> out;
  for (const auto& gap : feedback.gaps) {
    if (gap.new_tier == "resolved") continue;
    out.push_back({gap.gap_id, gap.base, gap.new_tier, gap.recurring, gap.misses, gap.miss_days,
                   gap.card_ids});
  }
  std::stable_sort(out.begin(), out.end(), [](const BriefGap& a, const BriefGap& b) {
    if (a.recurring != b.recurring) return a.recurring;
    if ((a.tier == "high") != (b.tier == "high")) return a.tier == "high";
    return a.misses > b.misses;
  });
  return out;
}

template <typename T>
void keep_first(std::vector<T>& items, int count) {
  if (static_cast<int>(items.size()) > count)
    items.resize(static_cast<std::size_t>(std::max(0, count)));
}

}  // namespace

Brief load_brief(Store& store, Day today, const BriefOptions& options) {
  Brief brief;
  brief.day = today;
  // Every figure of the brief from one state of the database.
  const Store::ReadScope snapshot(store);
  const Queue queue = order_queue(gather_queue(store, today, CardFilter{}, std::nullopt, 0));
  brief.due = queue.reviews_total;
  brief.fresh = queue.new_total;
  brief.redrill = queue.redrill_total;
  brief.interview = effective_interview_date(store);
  brief.review = store.review_counts();

  brief.cards = static_cast<int>(store.live_card_count());
  brief.flagged = brief.review.flagged;  // the kept tally: live cards flagged "review"
  // As `recall gaps` has it: recall's own lines are recall's (a cleared one
  // is resolved, not listed).
  // The rows it read hold every answer of the recurring cards (their notes).
  std::vector<ReviewOutcome> read;
  const Feedback feedback = feedback_for(store, today, &read);
  brief.mistakes = mistakes_of(store, feedback, read);
  brief.mistakes_total = static_cast<int>(brief.mistakes.size());
  brief.weakest = weakest_topics(store, today);
  brief.gaps = unfixed_gaps(feedback);
  brief.gaps_total = static_cast<int>(brief.gaps.size());
  brief.sync = sync_state(store);
  brief.tracker = store.tracker_path();
  if (brief.tracker) {
    // The figures as the tracker says them now; a tracker that cannot be
    // read leaves the last sync's (the brief must not fail on it).
    try {
      const Tracker tracker =
          read_tracker_header(prepare_text(read_file(*brief.tracker)), *brief.tracker);
      brief.sync.tutor_readiness = tracker.readiness_percent;
      brief.sync.recall_readiness = tracker.recall_readiness_percent;
    } catch (const std::exception&) {
    }
  }
  keep_first(brief.mistakes, options.max_items);
  keep_first(brief.weakest, options.max_items);
  keep_first(brief.gaps, options.max_items);
  return brief;
}

}  // namespace recall
