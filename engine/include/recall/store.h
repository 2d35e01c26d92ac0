// The store: one SQLite database, every query and write the program makes.
// No SQL exists outside the engine/src/store*.cpp files (store.cpp says
// which concern each holds). Every logical change (an answer, an undo, an
// import, a setting) is one transaction. SQLite failures are rethrown as
// recall::Error naming the database path. The value types it reads and
// writes are in model.h, which includes nothing of the store.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "recall/day.h"
#include "recall/fsrs.h"
#include "recall/interview.h"
#include "recall/model.h"
#include "recall/sm2.h"

namespace recall {

struct CheckReport;   // recall/check.h
struct DomainCounts;  // recall/stats.h
struct TopicCounts;   // recall/stats.h

// One connection to one database file. A Store is used by one thread at a
// time (its connection is opened without SQLite's per-call mutex); other
// processes and other Stores may use the same file at once.
class Store {
 public:
  static constexpr int kSchemaVersion = 17;

  // Opens (creating when missing, with its folder) and upgrades the database.
  // Throws Error(kIo) naming `path` when it cannot be opened or is not a
  // recall database; Error(kData) when it was made by a newer recall.
  explicit Store(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }
  int schema_version();

  // One read snapshot over every call made on this Store while it lives:
  // the reads of a command (brief, gaps, topics, stats) see one state of the
  // database, and SQLite takes its shared lock once, not once for each of
  // their thousands of small queries. A write through this Store (and
  // check, which takes its own) ends the snapshot first, so a write always
  // starts from the newest state; reads after it are each their own again.
  // A scope opened while one is open (or inside a write) adds nothing.
  class ReadScope {
   public:
    explicit ReadScope(Store& store);
    ~ReadScope();
    ReadScope(const ReadScope&) = delete;
    ReadScope& operator=(const ReadScope&) = delete;

   private:
    Store& store_;
    bool opened_ = false;
  };

  // Everything written through this Store while it lives is undone when it
  // ends: one write transaction (the write lock held throughout) rolled
  // back, each write inside it a savepoint. For a dry run that must see its
  // own writes: `sync --dry-run` imports the tracker, derives the evidence
  // from what it imported, and leaves the database as it was.
  class Rehearsal {
   public:
    explicit Rehearsal(Store& store);
    ~Rehearsal();
    Rehearsal(const Rehearsal&) = delete;
    Rehearsal& operator=(const Rehearsal&) = delete;

   private:
    Store& store_;
  };

  // Settings (key/value text). set/unset are one transaction each.
  std::optional<std::string> setting(const std::string& key);
  void set_setting(const std::string& key, const std::string& value);
  void unset_setting(const std::string& key);
  std::vector<std::pair<std::string, std::string>> settings();

  // Adds one card by hand, under the live topic `topic_label` names as
  // add_cards names it (its label, or its label and title where several
  // topics share the label; Error(kData) naming them, or naming no topic),
  // else with no topic. Returns its id.
  // The text rule is edit_card's below (Error(kUsage) naming --front or
  // --back); nothing is written then.
  long long add_card(const std::string& front, const std::string& back,
                     const std::optional<std::string>& topic_label, Day today);

  // A person's new text for card `id` (front, back or both), in one
  // transaction: the card is marked edited (a tracker import and deck
  // regeneration keep the text) and quality "ok"; its schedule and history
  // stay. A text without the card's context line ("[A.8 ...]") gets it.
  // Throws Error(kUsage) naming --front/--back for text that is empty, not
  // UTF-8, holds control characters other than line breaks and tabs, or is
  // longer than kMaxCardText; Error(kData) when there is no such card.
  // `by` and `day` are recorded as the card's review (reviewed as edited).
  Card edit_card(long long id, const std::optional<std::string>& front,
                 const std::optional<std::string>& back, const std::string& by = "learner",
                 std::optional<Day> day = std::nullopt);
  static constexpr std::size_t kMaxCardText = 4000;  // code points

  // The review pass (review.h has the use cases), each batch one write
  // transaction: an item that cannot be applied throws (Error naming the
  // item: "ids[2] (card 17): ...") and nothing of the batch is written.
  // `by` is "tutor" or "learner"; `day` is recorded as reviewed_day.
  // approve: quality "ok", reviewed as approved (an edited card stays
  // edited); a card retired by review comes back. Retired by an import (its
  // key point left the tracker): refused. edit: as edit_card, reviewed as
  // edited. retire: retired, reviewed as retired with `reason`; no import
  // brings it back. add: cards of the tutor's or learner's own ('manual|'
  // identities: no import matches or retires them), reviewed as added.
  struct CardEdit {
    long long card_id = 0;
    std::optional<std::string> front, back;
    // A knowledge gap the card drills (an id of gaps()), linked as the
    // tutor's: it leads the drill's gap tiers and counts as the gap's
    // evidence, and no import removes the link. Alone, it changes neither
    // the text nor the review state.
    std::optional<long long> gap_id;
    // A knowledge gap the card does not drill (an id of gaps()): the link
    // the rules or the tutor made is removed, and so is the card a gap's
    // words name (GapLinker). No import links the pair again and the
    // feedback rules count none of the card's answers as that gap's
    // evidence, until `gap_id` links them again. Refused for a card made
    // from that gap's own words (retire it instead). Alone, it changes
    // neither the text nor the review state.
    std::optional<long long> unlink_gap_id;
    // The label of a live topic to file the card under (its context line
    // becomes that topic's): the card's text is the person's from then on,
    // and imports keep the topic. The same topic changes nothing.
    std::optional<std::string> topic_label;
  };
  struct NewCard {
    std::string topic_label;  // an existing topic's label; "" for none
    std::string front, back;
    std::optional<std::string> source;  // the point it drills; default: the back
    // The knowledge gap it drills (an id of gaps()): linked to it as the rules'
    // cards of that gap are, and kept through imports (a card added by hand is
    // never one the import links).
    std::optional<long long> gap_id;
  };
  std::vector<Card> approve_cards(const std::vector<long long>& ids, const std::string& by,
                                  Day day);
  std::vector<Card> edit_cards(const std::vector<CardEdit>& edits, const std::string& by, Day day);
  // The ids of the knowledge gaps a card is linked to (the rules' links and
  // the tutor's), in id order; none for a retired card.
  std::vector<long long> gaps_of_card(long long card_id);
  std::vector<Card> retire_cards(const std::vector<long long>& ids, const std::string& reason,
                                 const std::string& by, Day day);
  // The same with a reason for each card; `list` names the batch in errors
  // ("retire[2] (card 7): ...").
  struct Retirement {
    long long card_id = 0;
    std::string reason;
  };
  std::vector<Card> retire_cards(const std::vector<Retirement>& items, const std::string& by,
                                 Day day, const char* list = "retire");
  std::vector<Card> add_cards(const std::vector<NewCard>& cards, const std::string& by, Day day);
  // Cards not retired and not yet reviewed: flagged ones first, then the
  // others; within each, never-studied cards in the drill's round robin over
  // topics (domain weight, tracker position), then studied ones; at most
  // `limit`. Each with the context a reviewer needs.
  using ReviewItem = recall::ReviewItem;  // model.h
  // `by_topic`: whole topics instead (review.h cards_to_review), a topic's
  // points on its first card only.
  std::vector<ReviewItem> review_queue(int limit, bool by_topic = false);
  // Counts for `due`, `brief` and the drill (model.h ReviewCounts).
  using ReviewCounts = recall::ReviewCounts;
  ReviewCounts review_counts();
  // Cards whose front, back or source holds `query` (case-insensitive for
  // ASCII), of the topic labelled `topic` and the domain `domain`; retired
  // ones only with `include_retired`. In (position, id) order, at most `limit`.
  std::vector<Card> find_cards(const std::optional<std::string>& query,
                               const std::optional<std::string>& topic,
                               const std::optional<char> domain, bool include_retired, int limit);

  std::optional<Card> card(long long id);
  // The card's answers by day, then as logged (id): memory_log's order.
  std::vector<ReviewLog> reviews_for_card(long long card_id);
  // The card's answers from the latest back, by id (the order they were
  // made: answers are never dated before a card's latest, and a phone merge
  // renumbers what it re-chains, so this is the replay order read backwards
  // for every log `recall check` finds in order), as (grade, kind, note)
  // only, handed to `visit` until it returns false: what a walk back over
  // the last few answers reads (answering.h last_mistake_note), not the
  // whole log.
  struct AnswerNote {
    int grade = 0;
    ReviewKind kind = ReviewKind::kReview;
    std::optional<std::string> note;
  };
  void walk_answers_back(long long card_id, const std::function<bool(const AnswerNote&)>& visit);

  // Saves one answer in one write transaction: the log row and, unless the
  // decision is kRedrill, the card's new state. `decide` (answering.h owns
  // the decisions) is called inside the transaction, after the write lock is
  // taken, with what the card holds then (AnswerContext); it may call this
  // Store's read methods (they see the transaction), never its writes, and
  // may throw to refuse the answer (nothing is written then). The store
  // saves what it decides and computes no schedule of its own.
  // Throws Error(kData) when the card does not exist, Error(kUsage) when the
  // note breaks the note rules (text.h) — before anything is written.
  struct AnswerContext {
    Sm2State before;                   // the card's state now
    bool retired = false;              // its key point left the tracker
    std::optional<Day> last_day;       // the day of its latest answer; nullopt: never answered
    std::optional<KeptMemory> memory;  // its FSRS-6 memory now (nullopt: never answered)
  };
  struct AnswerDecision {
    ReviewKind kind = ReviewKind::kReview;
    Sm2State after;                                 // ignored for kRedrill: the schedule stays
    int risk = kInitialRisk;                        // the scheduler's queue risk of `after`
    SchedulerKind scheduler = SchedulerKind::kSm2;  // which one chose after.due_day
    ReviewSource source = ReviewSource::kDrill;     // who gave the answer
    // The card's FSRS-6 memory after this answer (every answer moves it,
    // re-drills included: scheduler.h next_kept_memory), kept with the card.
    KeptMemory memory;
  };
  using AnswerDecider = std::function<AnswerDecision(Store& reads, const AnswerContext& card)>;
  ReviewLog save_answer(long long card_id, int grade, Day day, const std::string& answered_at,
                        const std::optional<std::string>& note, const AnswerDecider& decide);

  // Removes the most recent answer given here (any card, any day, whichever
  // process made it; answers imported from the phone are not undone) and
  // restores that card's state before it, in one transaction. nullopt:
  // nothing to undo, or `only_id` is given and the most recent answer is
  // another one. Throws Error(kData), changing nothing, when the card has a
  // later answer (a phone answer imported since), or when that answer was
  // written again by an import of answers (import_source).
  std::optional<ReviewLog> undo_last(std::optional<long long> only_id = std::nullopt);
  // Removes answer `review_id` (a ReviewLog::id record_answer returned) and
  // restores its card's state before it, in one transaction: what a session
  // uses to undo its own answers and no one else's. Review ids are never
  // reused, so the id names that answer for good. nullopt: no such answer
  // (already undone). Throws Error(kData), changing nothing, when the card
  // has a later answer: the log chains each card's states, so only a card's
  // latest answer can go.
  std::optional<ReviewLog> undo_review(long long review_id);

  DayCounts day_counts(Day day);
  // Whether the card has any answer logged on `day`.
  bool answered_on(long long card_id, Day day);

  // Queue candidates: studied cards due on or before `day`; new cards in
  // tracker order; cards to re-drill today (last answer today below 4).
  // Due entries come in drill order within a risk tier (due day, heavier
  // domain, higher queue risk (SM-2: lower EF), more lapses, id), at most `limit`, leaving out `except`;
  // due_entries_among() those among `card_ids`, in the same order, at most
  // `limit` when given. New entries are the first `take` cards of the drill's
  // round robin over topics, in tracker order.
  std::vector<QueueEntry> due_entries(Day day, const CardFilter& filter, int limit,
                                      const std::set<long long>& except = {});
  std::vector<QueueEntry> due_entries_among(Day day, const CardFilter& filter,
                                            const std::set<long long>& card_ids,
                                            std::optional<int> limit = std::nullopt);
  // New cards for drill.cpp's round robin: those of the first `take` topics
  // in its order (domain weight, tracker position) that are not in
  // `started`, and those of the `started` topics; at most `take` of each.
  // Cards of open gaps (linked to one, or its own gap and discrimination
  // cards) are not among them: gap_new_entries.
  std::vector<QueueEntry> new_entries(Day day, const CardFilter& filter, int take,
                                      const std::set<long long>& started = {});
  // The first `take` new cards of open knowledge gaps (linked to one, or
  // its own gap or discrimination card), in
  // the order they are introduced: by gap_rank (a recurring gap, then High,
  // then Medium), then card position.
  std::vector<QueueEntry> gap_new_entries(Day day, const CardFilter& filter, int take);
  // Topic id (0: no topic) -> new cards of it introduced on `day` (first
  // answers of cards that had none) in the round robin (not of an open
  // gap), off the day index.
  std::map<long long, int> new_cards_introduced(Day day);
  // The re-drill round in the order of each card's latest answer today (a
  // card failed again goes to the end), at most `limit` of it;
  // count_redrill() its length.
  std::vector<QueueEntry> redrill_entries(Day day, const CardFilter& filter,
                                          std::optional<int> limit = std::nullopt);
  int count_redrill(Day day, const CardFilter& filter);
  int count_due(Day day, const CardFilter& filter);
  int count_new(Day day, const CardFilter& filter);
  // Cards failed (grade < 3) on at least 2 days within [day-29, day], in id
  // order; recurring_due_entries() those of them due, as due_entries_among()
  // would give them. Both read each card's last two failure days (schema.sql,
  // kept by triggers) unless the log has answers after `day` (then the log).
  std::vector<long long> recurring_card_ids(Day day);
  std::vector<QueueEntry> recurring_due_entries(Day day, const CardFilter& filter, int limit);
  // The other two risk tiers, as due_entries() orders and limits them: due
  // cards linked to an open gap and not recurring; due cards neither linked
  // nor recurring. Both leave out `except` (the note-pattern cards).
  std::vector<QueueEntry> gap_due_entries(Day day, const CardFilter& filter, int limit,
                                          const std::set<long long>& except);
  std::vector<QueueEntry> other_due_entries(Day day, const CardFilter& filter, int limit,
                                            const std::set<long long>& except);
  // Failed answers (grade < 3) with a mistake note within [day-29, day]:
  // (card id, day, note), for the note-pattern rule of recurring mistakes.
  using NotedFailure = recall::NotedFailure;  // model.h
  std::vector<NotedFailure> noted_failures(Day day);
  // Cards linked to open (high/medium) gaps.
  std::vector<long long> gap_card_ids();
  // Cards linked to an open gap the tracker calls recurring that failed
  // within [day-29, day]: recurring mistakes, in the queue too (feedback.md).
  std::vector<long long> recurring_gap_card_ids(Day day);

  // Every card, retired ones too, in cards()' order, with what the feedback
  // rules and `brief` read of it: no identity, back, tags, domain name or
  // review record, and the front only of a card without a source (its
  // subject is its question); the quality reason only of a flagged card.
  std::vector<Card> card_outlines();
  // The outlines of the given cards only (any order in, id order out; ids
  // with no card are left out): the feedback rules at scale read these, not
  // every card (feedback_for).
  std::vector<Card> card_outlines_of(const std::vector<long long>& ids);
  // What a gap's words can name (StoreGapLinker, feedback.h), from indexes,
  // never every card. Cards not retired only:
  // - those whose source starts with `prefix` (bytes), with their source;
  struct NamedCard {
    long long id = 0;
    std::string words;  // the source, or for a card without one its front
  };
  std::vector<NamedCard> live_cards_with_source_prefix(std::string_view prefix);
  // - those without a source, with their front;
  std::vector<NamedCard> live_cards_without_source();
  // - the ids of one topic's cards.
  std::vector<long long> live_card_ids_of_topic(long long topic_id);
  // Every topic with a label: id, label, title.
  struct TopicName {
    long long id = 0;
    std::string label, title;
  };
  std::vector<TopicName> labelled_topics();
  // The answers logged on days first..last to live cards with a topic, each
  // with its card's topic id, in id order (brief's weakest topics). Their
  // notes are not read (`note` is empty).
  std::vector<std::pair<long long, ReviewOutcome>> topic_outcomes_between(Day first, Day last);
  // The topics of `ids` that exist, in that order: label, title, domain
  // letter (0: none) and confidence, without counting their cards.
  struct TopicHead {
    long long id = 0;
    std::string label, title;
    char domain_letter = 0;
    std::string confidence;
  };
  std::vector<TopicHead> topic_heads(const std::vector<long long>& ids);
  // A topic's studied live cards: how many, their easiness (milli) and
  // interval days summed (in `studied`, `easiness_milli`, `interval_days`).
  TopicAnswers studied_sums(long long topic_id);
  // The number of cards not retired (the retired ones counted off their index).
  long long live_card_count();
  // With `review_only`, only the cards flagged quality "review".
  std::vector<Card> cards(const std::optional<std::string>& topic_label, bool include_retired,
                          bool review_only = false);
  std::vector<TopicSummary> topics(Day day);
  std::vector<DomainRow> domains();
  std::vector<GapRow> gaps();
  // Feedback support (store_feedback.cpp): the whole review log in id order,
  // in full or as the feedback rules read it; several settings written in
  // one transaction.
  std::vector<ReviewLog> all_reviews();
  std::vector<ReviewOutcome> review_outcomes();
  // What the feedback rules need of a large log (feedback_for, sync.cpp):
  // the cards with two distinct failure days on or after `since` (their
  // kept fail_prev), every failed answer with a mistake note (the note
  // patterns), and the whole logs of given cards, read off the index
  // reviews_card alone: their rows carry no note (the noted failures hold
  // every note the rules read); rows in id order.
  std::vector<long long> cards_failed_twice_since(Day since);
  std::vector<ReviewOutcome> noted_failure_outcomes();
  std::vector<ReviewOutcome> review_grades_of(const std::vector<long long>& card_ids);
  // The answers logged on days first..last (the reviews_day index).
  std::vector<ReviewOutcome> review_outcomes_between(Day first, Day last);
  // Every topic's confidence evidence, by topic id (kept by triggers).
  std::vector<TopicAnswers> topic_answers();
  // The log's size and last id.
  LogMark log_mark();
  // The number of logged answers with an id above `id` (what waits for a sync).
  long long reviews_after(long long id);
  // `unset` keys are removed in the same transaction.
  void set_settings(const std::vector<std::pair<std::string, std::string>>& values,
                    const std::vector<std::string>& unset = {});

  // Import support. card_contents() lists every card by ascending id.
  std::vector<StoredCardContent> card_contents();
  // One import of any source (importer.h import_source), in one write
  // transaction: the write lock is taken first (BEGIN IMMEDIATE); then, when
  // `plan_for` is set, the stored cards are read, `plan_for` makes the plan
  // from them (importer.h: pure, no store calls) and the plan is applied; then,
  // when `answers` is set, the source's answers join the log (below); and the
  // lock is let go. So no other writer can change the cards between the read
  // a plan rests on and its writes. A plan with a fingerprint (a tracker
  // import that found nothing to change) is recorded in setting
  // kImportRecordSetting with a digest of the cards, topics, domains and gaps
  // it vouches for (check() recomputes it); any other plan clears the record
  // (an import of answers only leaves it: it writes no card).
  //
  // Answers: `answers` is called once, inside the transaction, after the
  // plan's writes (so it may name cards the plan adds, by identity), and
  // hands the answers of one card at a time to the sink it is given; a
  // source failing half-way (a damaged package) throws and nothing is kept.
  // An answer whose source id the card's log already holds is counted a
  // duplicate and skipped. The new answers join the card's log (in replay
  // order) at their day and time of day, the logged answers keeping their
  // order (a logged answer of the same second first), and `replay`
  // (answering.h replay_log) recomputes the kinds and states from the first
  // new one on. Those rows are written again under new ids (ids only grow,
  // none is reused), so the card's log read by id is the merged order and
  // `check` finds nothing out of order; when any answer already logged was
  // among them, undo_last no longer reaches the answers logged before the
  // import. The card's state becomes the last row's. With `dry_run` all of
  // it is rolled back: the counts say what would be added.
  using ImportPlanner = std::function<ImportPlan(const std::vector<StoredCardContent>&)>;
  struct AnswerImportCounts {
    int added = 0;
    int duplicates = 0;
    int cards = 0;          // cards with at least one answer added
    int rows_replayed = 0;  // answers already logged whose states were recomputed
  };
  using LogReplayer =
      std::function<void(Store& reads, std::vector<ReviewLog>& log, std::size_t from)>;
  AnswerImportCounts import_source(const ImportPlanner& plan_for, const AnswerWalk& answers,
                                   const LogReplayer& replay, Day today, bool dry_run);

  // Reliability (store_check.cpp). check(): PRAGMA integrity_check,
  // foreign_key_check, a replay of every card's review log (check.h), the
  // data triggers keep against a recount (area "derived") and the no-op
  // import record's digest against the database (area "import"), read in
  // one read transaction so a concurrent drill cannot skew it.
  CheckReport check();
  // `recall check --repair`: every card whose log holds an answer dated
  // before an earlier one gets check.h repair_log's log and state, in one
  // transaction (rows are removed and written again under their ids; no
  // answer is lost). Cards with no such answer are left as they are.
  struct LogRepairReport {
    int cards = 0;    // cards repaired
    int redated = 0;  // answers given a later day
  };
  LogRepairReport repair_log();
  // Removes the links of cards to gaps the tutor took them away from
  // (gap_unlinks: the tutor's decision stands), in one transaction; how many.
  int drop_unlinked_links();
  // Every card's kept FSRS-6 memory (model.h KeptMemory) replayed from its
  // log under the parameters in force, in one transaction (`recall check
  // --repair` after a check found one that differs).
  void recompute_memory();
  // A consistent copy of the whole database at `destination` with SQLite's
  // online backup API (safe while another process answers): written to a
  // temporary file beside it, then renamed over it. Throws Error(kUsage) when
  // `destination` is the live database, Error(kIo) naming it on failure.
  void backup(const std::string& destination);

  // Interview date and stats (store_stats.cpp); aggregate queries only.
  // The interview date read from the last imported tracker (import calls
  // set_tracker_interview_date; nullopt clears it).
  std::optional<Day> tracker_interview_date();
  // The absolute path of the last imported tracker (what `recall sync`
  // writes by default); nullopt before the first tracker import.
  std::optional<std::string> tracker_path();
  void set_tracker_interview_date(std::optional<Day> day);
  // Cards due on each day of the week before `interview`, not counting
  // `except_card_id`.
  FinalWeekLoad final_week_load(Day interview, long long except_card_id);
  // Per domain (and one row with letter 0 for cards without a domain), on `day`.
  std::vector<DomainCounts> domain_counts(Day day);
  // The graded answers (re-drills left out) of live cards on the retention
  // window's days up to `day`, and how many of them passed: domain_counts'
  // answers_30d and passed_30d summed over every domain, without its count
  // of every card.
  std::pair<int, int> window_answers(Day day);
  std::vector<TopicCounts> topic_counts(Day day);
  // Studied cards due per day in [from, to]; overdue cards count on `from`.
  // Days with none are left out.
  std::vector<std::pair<Day, int>> due_per_day(Day from, Day to);
  // Answers (review and redrill) logged per day in [from, to], days with none left out.
  std::vector<std::pair<Day, int>> answers_per_day(Day from, Day to);
  // Every answered card's log (one ordered scan of reviews), by card id,
  // each in replay order: by day, then as logged (id). A log never goes
  // back in day, so no replay of it fails (fsrs.h).
  std::vector<CardMemoryLog> memory_logs();
  // One card's answers as (day, grade), in replay order as above.
  fsrs::ReviewLog memory_log(long long card_id);
  // Every studied card's kept memory (model.h KeptMemory), by card id: one
  // scan of the cards, no log row read.
  std::vector<CardKeptMemory> kept_memories();

 private:
  // The writes of `plan`, inside import_source's transaction.
  // Whether it wrote a card beyond the plan's (a moved card whose topic
  // left the tracker, filed back under the tracker's topic for it).
  bool apply_import(const ImportPlan& plan, Day today);
  // The answers' merge into the log, inside import_source's transaction
  // (store_phone.cpp); true when a logged answer was written again.
  bool merge_answers(const AnswerWalk& answers, const LogReplayer& replay,
                     AnswerImportCounts& counts);

  struct Impl;
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace recall
