// Review outcomes feed back into the tracker: topic confidence, recurring
// mistakes, mistake-note patterns, knowledge gaps and readiness. The rules
// are pure functions over the review log (docs/feedback.md states them);
// write-back changes single lines of the tracker and keeps every other byte.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "recall/day.h"
#include "recall/model.h"
#include "recall/rules.h"
#include "recall/tracker.h"

namespace recall {

class Store;  // store.h

// The thresholds of every rule (rules.h, with their defaults).
using FeedbackRules = Rules;

// The tracker's confidence scale, lowest first.
enum class Confidence { kLow, kMedium, kMediumHigh, kHigh };
std::string_view to_string(Confidence level);                       // "Low", "Medium-High", ...
std::optional<Confidence> parse_confidence(std::string_view text);  // case-insensitive

// Evidence on one topic: its graded (kind review) answers since the topic's
// confidence baseline, and the current SM-2 state of its studied cards.
struct ConfidenceEvidence {
  int graded = 0;
  int passed = 0;            // grade >= 3
  int days = 0;              // distinct days among the graded answers
  int lapses = 0;            // graded answers below 3
  double mean_easiness = 0;  // EF of the topic's studied cards
  double mean_interval = 0;  // days, of the topic's studied cards
};

// Pointers into the whole log and card list (grouping a 1M-row log by topic
// must not copy it).
ConfidenceEvidence confidence_evidence(const std::vector<const ReviewOutcome*>& topic_reviews,
                                       const std::vector<const Card*>& topic_cards);
// The same with the topic's studied cards already summed (Store::studied_sums).
ConfidenceEvidence confidence_evidence(const std::vector<const ReviewOutcome*>& topic_reviews,
                                       const TopicAnswers& studied);

// The level the evidence points to, or nullopt when there is not enough of it
// (fewer than confidence_min_reviews answers or confidence_min_days days).
std::optional<Confidence> evidence_level(const ConfidenceEvidence& evidence,
                                         const FeedbackRules& rules = {});

// The confidence a sync writes: one step from `current` toward the evidence
// level. Returns `current` unchanged when it is not on the scale or when the
// evidence is not enough.
std::string next_confidence(const std::string& current, const ConfidenceEvidence& evidence,
                            const FeedbackRules& rules = {});

// A card recall itself flagged as having no model answer (quality "review",
// its reason saying "no model answer": a practice prompt, a gap "not covered
// yet"): a grade on it is the learner's self-assessment against nothing, so
// the gap rules read none of its answers (docs/feedback.md).
bool has_no_model_answer(const Card& card);

// A mistake note reduced to its words: lower case, punctuation and stop
// words removed, single spaces. "Swapped the axes!" -> "swapped axes".
std::string normalise_note(std::string_view note);

// One card's misses.
struct CardMisses {
  long long card_id = 0;
  std::vector<Day> fail_days;  // distinct days with a failed answer, ascending
  int failures = 0;            // failed answers, all days
  int window_failures = 0;     // failed answers within the window
  std::vector<Day> window_fail_days;
  bool recurring = false;
  int streak = 0;  // passes in a row since the last failure
  Day streak_first = 0, streak_last = 0;
  // Distinct failure days within the window after the card's last resolved
  // run (resolve_streak passes over resolve_span_days): what a new gap line
  // needs, so a card recalled well starts afresh.
  std::vector<Day> fresh_fail_days;
};

// Failures whose notes normalise to the same words.
struct NotePattern {
  std::string key;   // normalised words
  std::string note;  // the most recent note as written
  std::vector<long long> card_ids;
  std::vector<Day> days;  // distinct days, ascending
  int failures = 0;
  bool recurring = false;  // seen on >= recurring_fail_days days within the window
};

enum class GapChange { kNone, kEvidence, kRaised, kLowered, kResolved, kAdded };

// One gap after the rules ran: a gap of the tracker (gap_id > 0) or a new one.
struct GapOutcome {
  long long gap_id = 0;         // 0: a line the next sync adds
  std::string gap_key;          // the gap's identity (topic_key of its words)
  std::string text;             // the line as the tracker has it now: base + evidence
  std::string base;             // the words (the tutor's, or recall's for its own lines)
  std::string evidence;         // recall's suffix as written now ("" for none)
  std::string new_evidence;     // the suffix the next sync writes
  std::string tier;             // "high" / "medium": before the rules
  std::string new_tier;         // "high" / "medium" / "resolved"
  std::string new_text;         // base + new_evidence (bullet text)
  std::string resolution_note;  // "Recalled 3× over 9 days in review"
  GapChange change = GapChange::kNone;
  bool recurring = false;           // the tracker's words say so, or the evidence does
  bool by_recall = false;           // a line recall added (recall may move or resolve it)
  long long topic_id = 0;           // the topic a line recall adds is about (0: none)
  std::vector<long long> card_ids;  // linked cards
  std::vector<Day> miss_days;       // distinct failure days on linked cards
  int misses = 0;
  std::optional<std::string> note;  // the latest mistake note on its cards in the window
};

struct Feedback {
  std::vector<GapOutcome> gaps;  // open tracker gaps in order, then added ones
  std::vector<CardMisses> recurring_cards;
  std::vector<NotePattern> patterns;  // every pattern, recurring first
  // Cards that are recurring mistakes because of a note pattern only.
  std::vector<long long> pattern_card_ids;
  // Rows of Recently Resolved that recall wrote and the next sync removes
  // (their words): the oldest beyond recall_resolved_rows_max, and a row
  // whose topic gets a line again (the gap moves back, it is not listed twice).
  std::vector<std::string> drop_resolved;
};

// The gap's words without recall's evidence (split_gap_evidence, tracker.h).
std::string strip_gap_evidence(std::string_view text);

// Applies the rules. `gaps` are the store's gaps (only open ones seen in the
// tracker are considered; GapRow::note of an open gap is recall's evidence
// as written), `cards` every card, `reviews` the whole log in id order.
// What sync records about the lines recall added to the tracker's gaps.
struct RecallLines {
  // Their gap keys; every other line is the tutor's, whose words and tier
  // recall never changes.
  std::set<std::string> keys = {};
  // Those the tutor moved to another tier: recall updates their evidence and
  // leaves their tier.
  std::set<std::string> placed = {};
  // Those the tutor deleted, with the day sync found them gone: no line on
  // the same words or topic is added again without a failure after that day.
  std::map<std::string, Day> dismissed = {};
};

// The cards a gap's words name, beside the import's links: a card whose
// subject the words are, or whose subject's term they start with before a
// dash; a topic's cards when the words hold its label and title, or its
// label alone where no other topic has it. Retired cards are never named.
class GapLinker {
 public:
  virtual ~GapLinker() = default;
  // `ids` with the cards `base` names added, sorted.
  virtual std::vector<long long> link(std::string_view base, std::vector<long long> ids) const = 0;
};

// The cards of tracker gap `gap`: its links and those its words `base`
// name (`linker`), less those the tutor took away (GapRow::unlinked_ids),
// sorted.
std::vector<long long> cards_of_gap(const GapLinker& linker, std::string_view base,
                                    const GapRow& gap);

// Built once over the cards, which must outlive it (the rules' own, on a
// list of cards).
class CardGapLinker final : public GapLinker {
 public:
  explicit CardGapLinker(const std::vector<Card>& cards);
  CardGapLinker(const CardGapLinker&) = delete;  // its keys are views into itself
  CardGapLinker& operator=(const CardGapLinker&) = delete;
  std::vector<long long> link(std::string_view base, std::vector<long long> ids) const override;

 private:
  struct LabelCards {
    long long topic = 0;
    bool unique = true;  // no other topic has this label
    std::vector<long long> cards;
  };
  std::unordered_map<std::string_view, std::vector<long long>> by_subject_, by_term_;
  using Named = std::pair<const std::string, std::vector<long long>>;
  static constexpr std::size_t kHead = 4;
  std::map<std::string, std::vector<long long>> by_topic_name_;
  std::unordered_map<std::string_view, std::vector<const Named*>> by_name_head_;
  std::vector<const Named*> short_names_;
  std::map<std::string, LabelCards, std::less<>> by_label_;
  std::deque<std::string> fronts_;
};

// The same names found through the store's indexes (cards by source, by
// topic; the topics' labels), never reading every card: what the feedback
// rules use on a database (feedback_for). Each distinct text is looked up
// once; the store must outlive it and not change while it is used.
class StoreGapLinker final : public GapLinker {
 public:
  explicit StoreGapLinker(Store& store) : store_(store) {}
  std::vector<long long> link(std::string_view base, std::vector<long long> ids) const override;

 private:
  const std::vector<long long>& named(std::string_view base) const;
  void load_topics() const;
  struct TopicRef {
    long long id = 0;
    std::string name;
  };
  Store& store_;
  mutable std::map<std::string, std::vector<long long>, std::less<>> named_;
  mutable bool topics_loaded_ = false;
  static constexpr std::size_t kHead = 4;
  mutable std::vector<TopicRef> topics_;  // labelled topics
  mutable std::unordered_map<std::string, std::vector<std::size_t>> topics_by_head_;
  mutable std::vector<std::size_t> short_topics_;  // names shorter than kHead
  mutable std::map<std::string, std::vector<long long>, std::less<>> topics_by_label_;
  mutable std::map<long long, std::vector<long long>> topic_cards_;  // live ids, by topic
  mutable std::optional<std::vector<std::pair<long long, std::string>>> unsourced_;  // id, subject
};

// `recall`: recall's own lines (RecallLines). Re-drills (same-day practice
// after a failure) are not evidence either way.
// `linker`: one already built over `cards` (else the rules build one).
Feedback derive_feedback(const std::vector<GapRow>& gaps, const std::vector<Card>& cards,
                         const std::vector<ReviewOutcome>& reviews, Day today,
                         const FeedbackRules& rules = {}, const RecallLines& recall = {},
                         const GapLinker* linker = nullptr);

// Readiness of one topic from its confidence: Low 0.25, Medium 0.5,
// Medium-High 0.75, High 1.0; 0 when it has no cards or no known level.
double topic_readiness(const std::string& confidence, bool has_cards);

struct DomainReadiness {
  char letter = 0;
  int weight_percent = 0;
  int total_topics = 0;
  double topic_sum = 0;  // sum of topic readiness over the domain's topics
};
// Sum over domains of weight × min(1, topic_sum / total_topics), rounded to
// a whole percent (domains with total 0 count 0).
int readiness_percent(const std::vector<DomainReadiness>& domains);

// ---- write-back (writeback.cpp) ----

// What a sync changes in the tracker text.
struct TrackerUpdate {
  std::vector<std::pair<int, std::string>> confidences;     // topic row line -> value
  std::vector<std::pair<int, std::string>> topics_covered;  // Quick Stats line -> cell
  // recall's own readiness line's value ("31% — 12 of 26 planned topics started, 62 of 185 cards studied,
  // predicted recall 88%"): replaced in place, or added after the tutor's
  // readiness line. The tutor's line is never written.
  std::optional<std::string> recall_readiness;
  std::optional<Day> last_updated;
  std::vector<GapOutcome> gaps;            // outcomes with change != kNone
  std::vector<std::string> drop_resolved;  // Feedback::drop_resolved
};

// The new file bytes: `text` (BOM, line endings and every untouched line
// kept) with the update applied. Gap lines are found through `tracker`.
std::string rewrite_tracker(const TrackerText& text, const Tracker& tracker,
                            const TrackerUpdate& update, Day today);

// A unified diff (---/+++/@@ hunks, 3 lines of context); "" when equal.
std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& before_name, const std::string& after_name);

// ---- sync (sync.cpp) ----

// The named moments of a sync that writes, in order (for SyncOptions::at_step).
enum class SyncStep {
  kPendingRecorded,  // the pending sync is recorded in the database
  kBackupWritten,    // recall's backup (backup_user_file) holds the bytes read
  kBeforeReplace,    // the new text is written and flushed to a temporary file
  kAfterCheck,       // the last concurrent-edit check passed; the rename is next
  kReplaced,         // the tracker holds the new text; the evidence is not yet recorded
};

struct SyncOptions {
  bool dry_run = false;
  // The import sync starts with may retire most cards made from key points
  // (ImportSource::allow_mass_retire); refused without it.
  bool allow_mass_retire = false;
  // Called after the new text is computed and before the file is re-read
  // for the concurrent-edit check (tests edit the file here).
  std::function<void()> before_write;
  // Test hook: called at each step of a sync that writes (tests edit the
  // file, or end the process with _exit, there). Product code leaves it empty.
  std::function<void(SyncStep)> at_step;
  // Called once when another process holds the tracker's folder and this
  // sync waits for it (the CLI says so).
  std::function<void()> on_wait;
};

// What the start of a sync found of an earlier sync that was stopped (killed,
// power cut) after recording what it would write and before committing it.
enum class SyncRecovery {
  kNone,
  kFinished,    // the tracker held its new text: its record was completed
  kNotWritten,  // the tracker held the text it had read: it is redone now
  kUnclear,     // the tracker holds neither (edited since): redone now, so its
                // changes are applied twice if it had written them
};

struct SyncResult {
  std::string path;
  bool evidence = false;  // new review evidence since the last sync
  bool written = false;
  bool repaired_mojibake = false;
  std::string diff;  // what changed (also for dry runs)
  int confidences_changed = 0;
  int gaps_added = 0, gaps_raised = 0, gaps_lowered = 0, gaps_resolved = 0, gaps_updated = 0;
  // recall's readiness figure before (its line as read; nullopt when none)
  // and after; the tutor's figure, which sync never writes.
  std::optional<int> readiness_before, readiness_after, tutor_readiness;
  std::string backup;        // where the previous bytes were kept (when written)
  unsigned other_links = 0;  // other hard links of the tracker: they keep the old text
  SyncRecovery recovered = SyncRecovery::kNone;
};

// Imports `path` as `recall import` does, derives the feedback and writes it
// back. Writes nothing when there is no new review evidence since the last
// sync or when dry_run is set. A symlinked tracker is followed: its target
// gets the new text, with the tracker's mode, owner and group
// (write_file_atomically, files.h); the previous bytes go to recall's
// backups (backup_user_file), never beside the tracker. One sync
// at a time writes in a folder (FolderLock on the target's folder, held from
// the first read to the last record). The sync is recorded as pending (the
// hash of the new text) before the rename and committed after it, so a sync
// stopped between the two is finished or redone by the next one, never
// applied twice (SyncRecovery). Throws Error(kIo) when the file changed on
// disk since it was read — checked before the backup and again right before
// and after the rename (nothing is recorded then and the edit stays) — or
// when it cannot be read or written; Error(kData) when it is not a tracker.
SyncResult sync_tracker(Store& store, const std::string& path, Day today,
                        const SyncOptions& options = {});

// The gap keys of the lines recall's syncs added to the tracker (RecallLines::keys).
std::set<std::string> recall_gap_keys(Store& store);
// recall's own lines as a sync on `today` records them (a line of recall's
// gone from the tracker since the last sync is dismissed on `today`).
RecallLines recall_lines_for(Store& store, Day today);

// The rules applied to what the store holds now, for `recall gaps`, `brief`
// and `sync`, with the keys of recall's own lines that sync recorded. They
// read the whole logs of the cards that can change what they say, every
// noted failure, and the outlines of those cards and of the cards the gaps
// name (StoreGapLinker): equal to the rules on every card and the whole
// log, without reading either. `read`, when given, receives the rows read
// in id order (every answer of each card the feedback names).
Feedback feedback_for(Store& store, Day today, std::vector<ReviewOutcome>* read = nullptr);

// What the store knows of the last sync, for `recall brief`.
struct SyncState {
  std::optional<Day> last_synced;  // the --today of the last sync that had evidence
  int answers_waiting = 0;         // answers logged since then (all of them before any sync)
  std::optional<int> recall_readiness, tutor_readiness;  // as the last sync read/wrote them
};
SyncState sync_state(Store& store);

// The derived confidence of each of `topics` (what the next sync would
// write), keyed by topic id; for `recall topics`, which has read them.
std::vector<std::pair<long long, std::string>> derived_confidences(
    Store& store, const std::vector<TopicSummary>& topics);

}  // namespace recall
