#include "recall/drill.h"
#include "recall/rules.h"
#include "recall/store.h"
#include "recall/study.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <tuple>

#include "recall/answering.h"
#include "recall/error.h"
#include "recall/feedback.h"
#include "recall/interview.h"
#include "recall/memory.h"
#include "recall/review.h"
#include "recall/settings.h"
#include "recall/text.h"

namespace recall {

std::string_view to_string(Phase phase) {
  switch (phase) {
    case Phase::kReview:
      return "review";
    case Phase::kNew:
      return "new";
    case Phase::kRedrill:
      return "redrill";
  }
  return "review";
}

namespace {

int parse_limit_setting(Store& store, const char* key, int fallback) {
  const auto value = store.setting(key);
  return value ? stored_number_setting(key, *value) : fallback;
}

// Review order: the risk tier leads, then how overdue, then domain weight,
// then weakness. Ties fall back to the id so the order is deterministic.
std::vector<QueueItem> order_reviews(const QueueInputs& in) {
  auto tier = [&](long long id) {
    if (in.recurring.count(id)) return 0;
    if (in.gap_linked.count(id)) return 1;
    return 2;
  };
  std::vector<QueueEntry> due = in.due;
  std::sort(due.begin(), due.end(), [&](const QueueEntry& a, const QueueEntry& b) {
    const int ta = tier(a.id), tb = tier(b.id);
    if (ta != tb) return ta < tb;
    const Day da = a.due_day.value_or(in.day), db = b.due_day.value_or(in.day);
    if (da != db) return da < db;
    if (a.domain_weight != b.domain_weight) return a.domain_weight > b.domain_weight;
    if (a.risk != b.risk) return a.risk > b.risk;
    if (a.lapses != b.lapses) return a.lapses > b.lapses;
    return a.id < b.id;
  });
  std::vector<QueueItem> items;
  items.reserve(due.size());
  for (const auto& entry : due) items.push_back({entry.id, Phase::kReview});
  return items;
}

// New cards: one from each topic in turn, topics ordered by domain weight
// (heaviest first) then by their place in the tracker. The turn is taken
// from today's answers: a topic that had k new cards introduced today has
// had k turns, so its next card comes in round k, after the topics with
// fewer turns. Starting the day from nothing, this is the plain round robin.
std::vector<QueueItem> order_new(const QueueInputs& in, int take) {
  std::vector<QueueItem> items;
  if (take <= 0) return items;
  // Cards of open gaps first: a recurring gap's, then High's, then Medium's,
  // each in card order. They take no turn in the round robin below.
  std::vector<const QueueEntry*> gap_cards;
  for (const auto& entry : in.fresh)
    if (entry.gap_rank != QueueEntry::kNoGapRank) gap_cards.push_back(&entry);
  std::sort(gap_cards.begin(), gap_cards.end(), [](const QueueEntry* a, const QueueEntry* b) {
    if (a->gap_rank != b->gap_rank) return a->gap_rank < b->gap_rank;
    return a->position != b->position ? a->position < b->position : a->id < b->id;
  });
  for (const QueueEntry* entry : gap_cards) {
    if (static_cast<int>(items.size()) == take) return items;
    items.push_back({entry->id, Phase::kNew});
  }
  take -= static_cast<int>(items.size());
  struct TopicCards {
    int weight = 0;
    int topic_position = 0;
    long long topic_id = 0;
    std::vector<long long> ids;
  };
  std::map<long long, TopicCards> by_topic;
  for (const auto& entry : in.fresh) {
    if (entry.gap_rank != QueueEntry::kNoGapRank) continue;
    auto& topic = by_topic[entry.topic_id];
    topic.weight = entry.topic_id ? entry.domain_weight : 0;  // cards without topic: last
    topic.topic_position = entry.topic_position;
    topic.topic_id = entry.topic_id;
    topic.ids.push_back(entry.id);  // already in tracker order
  }
  std::vector<const TopicCards*> topics;
  for (const auto& [id, topic] : by_topic) topics.push_back(&topic);
  std::sort(topics.begin(), topics.end(), [](const TopicCards* a, const TopicCards* b) {
    if (a->weight != b->weight) return a->weight > b->weight;
    if (a->topic_position != b->topic_position) return a->topic_position < b->topic_position;
    return a->topic_id < b->topic_id;
  });
  struct Turn {
    long long round = 0;
    std::size_t topic_rank = 0;
    long long id = 0;
  };
  std::vector<Turn> turns;
  for (std::size_t rank = 0; rank < topics.size(); ++rank) {
    const auto started = in.introduced.find(topics[rank]->topic_id);
    const long long done = started != in.introduced.end() ? started->second : 0;
    for (std::size_t i = 0; i < topics[rank]->ids.size(); ++i)
      turns.push_back({done + static_cast<long long>(i), rank, topics[rank]->ids[i]});
  }
  const std::size_t kept = std::min(turns.size(), static_cast<std::size_t>(take));
  std::partial_sort(turns.begin(), turns.begin() + kept, turns.end(),
                    [](const Turn& a, const Turn& b) {
                      return a.round != b.round ? a.round < b.round : a.topic_rank < b.topic_rank;
                    });
  for (std::size_t i = 0; i < kept; ++i) items.push_back({turns[i].id, Phase::kNew});
  return items;
}

}  // namespace

std::set<long long> note_pattern_cards(const std::vector<NotedFailure>& failures) {
  // A pattern is the note's normalised words; seen on 2+ days it is recurring
  // and so is every card it was noted on, even cards that failed only once.
  std::map<std::string, std::pair<std::set<Day>, std::set<long long>>> patterns;
  for (const auto& failure : failures) {
    const std::string words = normalise_note(failure.note);
    if (words.empty()) continue;
    auto& [days, cards] = patterns[words];
    days.insert(failure.day);
    cards.insert(failure.card_id);
  }
  std::set<long long> recurring;
  for (const auto& [words, seen] : patterns)
    if (static_cast<int>(seen.first.size()) >= kRules.recurring_fail_days)
      recurring.insert(seen.second.begin(), seen.second.end());
  return recurring;
}

Queue order_queue(const QueueInputs& in) {
  Queue queue;
  queue.due_total = std::max(in.due_count, static_cast<int>(in.due.size()));
  queue.new_available = std::max(in.new_count, static_cast<int>(in.fresh.size()));
  std::vector<QueueItem> reviews = order_reviews(in);
  const int review_room =
      std::max(0, in.limits.reviews_per_day - in.answered_today.reviews_answered);
  if (static_cast<int>(reviews.size()) > review_room) reviews.resize(review_room);
  int new_room = std::max(0, in.limits.new_per_day - in.answered_today.new_answered);
  if (in.interview_date && !in.new_anyway && new_cards_paused(in.day, *in.interview_date))
    new_room = 0;
  queue.reviews_total = std::min(queue.due_total, review_room);
  queue.new_total = std::min(queue.new_available, new_room);
  if (in.limit) {
    queue.reviews_total = std::min(queue.reviews_total, *in.limit);
    queue.new_total = std::min(queue.new_total, *in.limit - queue.reviews_total);
  }
  queue.main = std::move(reviews);
  for (const auto& item : order_new(in, new_room)) queue.main.push_back(item);
  if (in.limit && static_cast<int>(queue.main.size()) > *in.limit) queue.main.resize(*in.limit);
  for (const auto& entry : in.redrill) queue.redrill.push_back({entry.id, Phase::kRedrill});
  queue.redrill_total = std::max(in.redrill_count, static_cast<int>(in.redrill.size()));
  return queue;
}

std::optional<QueueHead> queue_head(const Queue& queue, const std::set<long long>& skipped) {
  const auto not_skipped = [&](const QueueItem& item) { return !skipped.count(item.card_id); };
  if (auto it = std::find_if(queue.main.begin(), queue.main.end(), not_skipped);
      it != queue.main.end())
    return QueueHead{*it, queue.reviews_total + queue.new_total};
  if (auto it = std::find_if(queue.redrill.begin(), queue.redrill.end(), not_skipped);
      it != queue.redrill.end())
    return QueueHead{*it, queue.redrill_total};
  return std::nullopt;
}

Limits load_limits(Store& store) {
  Limits limits;
  limits.new_per_day = parse_limit_setting(store, "new-per-day", limits.new_per_day);
  limits.reviews_per_day = parse_limit_setting(store, "reviews-per-day", limits.reviews_per_day);
  return limits;
}

QueueInputs gather_queue(Store& store, Day day, const CardFilter& filter, std::optional<int> limit,
                         std::optional<int> fetch) {
  QueueInputs in;
  in.day = day;
  in.answered_today = store.day_counts(day);
  // Nothing answered today: nothing to re-drill.
  const DayCounts& today = in.answered_today;
  if (today.reviews_answered + today.new_answered + today.redrill_answered > 0) {
    in.redrill = store.redrill_entries(day, filter, fetch);
    in.redrill_count =
        fetch ? store.count_redrill(day, filter) : static_cast<int>(in.redrill.size());
  }
  in.limits = load_limits(store);
  // Only what today's queue can hold is loaded: the risk-tier cards, then
  // the first cards of the rest in queue order, up to the room left.
  int review_room = std::max(0, in.limits.reviews_per_day - in.answered_today.reviews_answered);
  int new_room = std::max(0, in.limits.new_per_day - in.answered_today.new_answered);
  if (fetch) {
    review_room = std::min(review_room, *fetch);
    new_room = std::min(new_room, *fetch);
  }
  if (review_room > 0) {
    // The risk tiers only order the due reviews: with no room (`due`) they
    // are not asked for. Each tier is read in drill order, at most
    // `review_room` of each part: order_reviews sorts the tiers in turn, so
    // nothing past the room can reach the queue. `recurring` and
    // `gap_linked` hold the tier of every card loaded.
    in.due = store.recurring_due_entries(day, filter, review_room);
    for (const auto& entry : in.due) in.recurring.insert(entry.id);
    // Recurring by a note pattern: possibly failed on one day only.
    std::set<long long> noted = note_pattern_cards(store.noted_failures(day));
    // And the failed cards of a gap the tracker calls recurring (feedback.md).
    for (const long long id : store.recurring_gap_card_ids(day)) noted.insert(id);
    for (const auto& entry : store.due_entries_among(day, filter, noted, review_room))
      if (in.recurring.insert(entry.id).second) in.due.push_back(entry);
    in.recurring.insert(noted.begin(), noted.end());
    for (const auto& entry : store.gap_due_entries(day, filter, review_room, noted)) {
      in.gap_linked.insert(entry.id);
      in.due.push_back(entry);
    }
    for (const auto& entry : store.other_due_entries(day, filter, review_room, noted))
      in.due.push_back(entry);
  }
  if (new_room > 0) {
    in.introduced = store.new_cards_introduced(day);
    std::set<long long> started;
    for (const auto& [topic, count] : in.introduced) started.insert(topic);
    in.fresh = store.gap_new_entries(day, filter, new_room);
    const int left = new_room - static_cast<int>(in.fresh.size());
    if (left > 0)
      for (auto& entry : store.new_entries(day, filter, left, started))
        in.fresh.push_back(std::move(entry));
  }
  in.due_count = store.count_due(day, filter);
  in.new_count = store.count_new(day, filter);
  in.limit = limit;
  in.interview_date = effective_interview_date(store);
  return in;
}

ReviewKind answer_kind(Store& store, long long card_id, Day day) {
  return answer_kind_for(AnswerSource::kLearner, store.answered_on(card_id, day));
}

DrillSession::DrillSession(Store& store, Day day, std::function<std::string()> timestamp,
                           Options options)
    : store_(store), day_(day), timestamp_(std::move(timestamp)), options_(std::move(options)) {
  for (long long id : store_.recurring_card_ids(day_)) recurring_at_start_.insert(id);
  rebuild();
}

void DrillSession::rebuild() {
  // The head and the few cards after it: the first card not skipped is
  // among the first 1 + |skipped| of the queue; the batch after it lets a
  // passing answer move on without reading the queue again (answer()).
  // --limit counts this session's answers (current() stops the main phase).
  const int fetch = kDrillBatch + static_cast<int>(skipped_.size());
  QueueInputs inputs = gather_queue(store_, day_, options_.filter, std::nullopt, fetch);
  inputs.new_anyway = options_.new_anyway;
  queue_ = order_queue(inputs);
  // Only the first `fetch` are in the queue's order (each tier was read up
  // to `fetch`; what lies past that is not yet ranked against the rest).
  if (queue_.main.size() > static_cast<std::size_t>(fetch)) queue_.main.resize(fetch);
  shown_.reset();
}

std::optional<DrillSession::Current> DrillSession::current(
    std::chrono::steady_clock::time_point now) {
  if (!shown_) {
    if (options_.deadline && now >= *options_.deadline) time_up_ = true;
    if (time_up_) return std::nullopt;
    auto not_skipped = [&](const QueueItem& item) { return !skipped_.count(item.card_id); };
    const bool limit_reached = options_.limit && main_answered_ >= *options_.limit;
    auto it = limit_reached ? queue_.main.end()
                            : std::find_if(queue_.main.begin(), queue_.main.end(), not_skipped);
    if (it == queue_.main.end()) {
      it = std::find_if(queue_.redrill.begin(), queue_.redrill.end(), not_skipped);
      if (it == queue_.redrill.end()) return std::nullopt;
    }
    shown_ = *it;
  }
  auto card = store_.card(shown_->card_id);
  if (!card)
    throw Error::data("card " + std::to_string(shown_->card_id) + " vanished from the database");
  Current result;
  result.phase = shown_->phase;
  if (shown_->phase == Phase::kRedrill) {
    result.total = queue_.redrill_total;
    result.position = 1;
  } else {
    // Counted over this session: what was answered or skipped, and what is left.
    result.total = main_answered_ + queue_.reviews_total + queue_.new_total;
    result.position = main_answered_ + main_skipped_ + 1;
  }
  // A re-drill answer moves no schedule: no interval to preview.
  if (shown_->phase != Phase::kRedrill) result.preview = schedule_preview(store_, *card, day_);
  result.last_mistake = last_mistake_note(store_, card->id);
  result.day = day_;
  result.card = std::move(*card);
  return result;
}

std::optional<double> DrillSession::recall_chance(const Card& card) {
  const auto memory = load_card_memory(store_, card, day_);
  return memory ? std::optional(memory->retrievability) : std::nullopt;
}

ReviewLog DrillSession::answer(int grade, const std::optional<std::string>& note) {
  if (!shown_) throw Error::usage("no card is being shown");
  const QueueItem item = *shown_;
  const AnswerSource source =
      item.phase == Phase::kRedrill ? AnswerSource::kRedrillRound : AnswerSource::kLearner;
  ReviewLog log = answer_card(store_, {item.card_id, grade, day_, timestamp_(), note, source});
  answered_.push_back(log);
  if (item.phase == Phase::kRedrill)
    redrilled_.insert(item.card_id);
  else
    ++main_answered_;
  // The store is the truth: the next card is the head of today's queue as
  // the answer left it (a failed card joins the end of the re-drill round).
  // An answer in the main phase that leaves no mark on the others' order
  // takes its card off the batch already read, and the next card is the next
  // of the batch, as reading the queue again would give it: the tiers move
  // only with failures, and only a failure with a note can move other cards
  // (the note-pattern rule); the re-drill round is read again when the main
  // phase runs out of its batch. In the re-drill round an answer moves only
  // its own card: off the round at kRedrillTargetGrade or better, else to
  // its end (the round follows each card's latest answer today), and the
  // main phase stays empty (a re-drill answer moves no schedule and counts
  // against no limit).
  if (item.phase == Phase::kRedrill) {
    if (take_from_round(item, grade)) return log;
  } else {
    const bool keeps_order =
        log.kind != ReviewKind::kRedrill && (grade >= kPassingGrade || !log.note);
    if (keeps_order && take_from_batch(item)) return log;
  }
  rebuild();
  return log;
}

bool DrillSession::take_from_round(const QueueItem& item, int grade) {
  auto& round = queue_.redrill;
  // The round as read: the whole of it, or (read with a fetch limit) its
  // first entries in order, which stay a true prefix when the head leaves.
  const bool whole = static_cast<int>(round.size()) == queue_.redrill_total;
  const auto it = std::find_if(round.begin(), round.end(),
                               [&](const QueueItem& q) { return q.card_id == item.card_id; });
  if (it == round.end()) return false;
  const QueueItem card = *it;
  round.erase(it);
  if (grade >= kRedrillTargetGrade)
    --queue_.redrill_total;
  else if (whole)
    round.push_back(card);  // to the end; past the unread part when not whole
  shown_.reset();
  // A prefix used up is read again; a whole round is the truth as it is.
  return whole || std::any_of(round.begin(), round.end(),
                              [&](const QueueItem& q) { return !skipped_.count(q.card_id); });
}

bool DrillSession::take_from_batch(const QueueItem& item) {
  auto& main = queue_.main;
  const auto it = std::find_if(main.begin(), main.end(),
                               [&](const QueueItem& q) { return q.card_id == item.card_id; });
  if (it == main.end()) return false;
  main.erase(it);
  --(item.phase == Phase::kNew ? queue_.new_total : queue_.reviews_total);
  shown_.reset();
  return std::any_of(main.begin(), main.end(),
                     [&](const QueueItem& q) { return !skipped_.count(q.card_id); });
}

std::optional<ReviewLog> DrillSession::undo() {
  if (answered_.empty()) return std::nullopt;
  const std::size_t before = answered_.size();
  try {
    const ReviewLog undone = undo_own_answer(store_, answered_);
    if (main_answered_ > 0 && undone.kind != ReviewKind::kRedrill) --main_answered_;
    // The store is the truth: rebuild today's queue from it, so the undone
    // card comes back where the rules put it.
    rebuild();
    return undone;
  } catch (const Error&) {
    if (answered_.size() != before) rebuild();  // forgotten: another recall undid it
    throw;
  }
}

void DrillSession::skip() {
  if (!shown_) return;
  skipped_.insert(shown_->card_id);
  if (shown_->phase != Phase::kRedrill) ++main_skipped_;
  rebuild();
}

DrillSession::Summary DrillSession::summary() {
  Summary summary;
  std::map<long long, std::pair<int, int>> by_topic;  // topic id -> failures, answers
  std::map<long long, std::string> topic_names;
  for (const auto& log : answered_) {
    ++summary.answered;
    if (log.grade >= kPassingGrade) ++summary.correct;
    if (auto card = store_.card(log.card_id)) {
      auto& counts = by_topic[card->topic_id];
      counts.second += 1;
      if (log.grade < kPassingGrade) counts.first += 1;
      topic_names[card->topic_id] =
          card->topic_id ? card->topic_label + " " + card->topic_title : "(no topic)";
    }
  }
  summary.redrilled = static_cast<int>(redrilled_.size());
  summary.redrill_waiting = store_.count_redrill(day_, options_.filter);
  for (long long id : store_.recurring_card_ids(day_))
    if (!recurring_at_start_.count(id)) summary.new_recurring.push_back(id);
  for (const auto& [topic, counts] : by_topic)
    if (counts.first > 0)
      summary.worst_topics.emplace_back(topic_names[topic], double(counts.first) / counts.second);
  std::stable_sort(summary.worst_topics.begin(), summary.worst_topics.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (summary.worst_topics.size() > 3) summary.worst_topics.resize(3);
  summary.due_tomorrow = store_.count_due(day_ + 1, options_.filter);
  return summary;
}

namespace {

// "A.1, A.2, … (40 in all)": what exists, kept to one line.
std::string some_of(const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 12;
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > kShown) text += ", … (" + std::to_string(names.size()) + " in all)";
  return text.empty() ? "none yet: import a tracker" : text;
}

}  // namespace

CardFilter resolve_filter(Store& store, const CardFilter& filter) {
  CardFilter resolved = filter;
  if (filter.topic_label) {
    std::vector<std::string> labels;
    std::optional<std::string> exact, folded;
    for (const auto& topic : store.topics(0)) {
      if (topic.retired) continue;
      labels.push_back(topic.label);
      if (topic.label == *filter.topic_label) exact = topic.label;
      if (!folded && equals_no_case(topic.label, *filter.topic_label)) folded = topic.label;
    }
    if (!exact && !folded) {
      // Each label once, in label order (A.3 before A.8 before C.16).
      std::sort(labels.begin(), labels.end(), [](const std::string& a, const std::string& b) {
        const auto key = [](const std::string& label) {
          const std::size_t dot = label.find('.');
          const std::string tail = dot == std::string::npos ? "" : label.substr(dot + 1);
          const bool numeric = !tail.empty() && tail.size() < 9 &&
                               tail.find_first_not_of("0123456789") == std::string::npos;
          return std::make_tuple(label.substr(0, dot), numeric ? std::stoi(tail) : -1, label);
        };
        return key(a) < key(b);
      });
      labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
      throw Error::usage("topic: no topic labelled '" + *filter.topic_label +
                         "' (topics: " + some_of(labels) + ")");
    }
    resolved.topic_label = exact ? *exact : *folded;
  }
  if (filter.domain_letter) {
    std::vector<std::string> letters;
    std::optional<char> found;
    const char wanted =
        static_cast<char>(std::toupper(static_cast<unsigned char>(*filter.domain_letter)));
    for (const auto& domain : store.domains()) {
      letters.push_back(std::string(1, domain.letter));
      if (std::toupper(static_cast<unsigned char>(domain.letter)) == wanted) found = domain.letter;
    }
    if (!found)
      throw Error::usage("domain: no domain '" + std::string(1, *filter.domain_letter) +
                         "' (domains: " + some_of(letters) + ")");
    resolved.domain_letter = *found;
  }
  return resolved;
}

std::optional<NextCard> next_card(Store& store, Day day, const CardFilter& filter,
                                  const SessionProgress& progress,
                                  const std::set<long long>& skipped) {
  // As DrillSession: the first card not skipped is among the first
  // 1 + |skipped| of each phase.
  const int fetch = 1 + static_cast<int>(skipped.size());
  const auto head =
      queue_head(order_queue(gather_queue(store, day, filter, std::nullopt, fetch)), skipped);
  if (!head) return std::nullopt;
  auto card = store.card(head->item.card_id);
  if (!card) throw Error::data("card " + std::to_string(head->item.card_id) + " vanished");
  const int done = head->item.phase == Phase::kRedrill ? progress.redrill : progress.main;
  NextCard next{head->item, done + 1, done + head->total, std::move(*card), {}, {}};
  if (head->item.phase != Phase::kRedrill) next.outcomes = schedule_preview(store, next.card, day);
  next.last_mistake = last_mistake_note(store, next.card.id);
  return next;
}

std::string finished_day(Store& store, Day day, const CardFilter& filter, std::size_t skipped) {
  std::string scope;
  if (filter.topic_label) scope += " for topic " + *filter.topic_label;
  if (filter.domain_letter) scope += std::string(" for domain ") + *filter.domain_letter;
  if (filter.gaps_only) scope += " (gap-linked and recurring cards)";
  const DayCounts counts = store.day_counts(day);
  std::string text =
      "nothing left in today's queue" + scope + " (" + format_day(day) +
      "): the day is finished, " +
      std::to_string(counts.reviews_answered + counts.new_answered + counts.redrill_answered) +
      " answers today";
  if (skipped > 0) text += "; " + std::to_string(skipped) + " skipped in this session";
  if (const int drafts = drafts_waiting(store.review_counts()); drafts > 0)
    text += "; " + std::to_string(drafts) +
            " new cards flagged for review wait for it (cards_to_review)";
  return text;
}

}  // namespace recall
