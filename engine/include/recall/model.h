// The value types of recall: cards, answers, topics, gaps, queue entries,
// filters and the writes of an import, as plain structs. A leaf header: it
// includes nothing of the store, so the pure rules (feedback.h, drill.h,
// check.h, importer.h) and the renderers depend on these types and not on
// storage. The store (store.h) reads and writes them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recall/cards.h"
#include "recall/day.h"
#include "recall/fsrs.h"
#include "recall/scheduler.h"
#include "recall/sm2.h"

namespace recall {

// kTutor: an answer the tutor heard in conversation (recall mcp, record_answer);
// like kReview it moves the schedule. Only kRedrill leaves the schedule alone.
enum class ReviewKind { kReview, kRedrill, kTutor };
std::string_view to_string(ReviewKind kind);  // "review" / "redrill" / "tutor"

// Where an answer was given: the terminal (drill, `recall answer`), the
// tutor in conversation, or Anki on the phone (`recall import anki`).
enum class ReviewSource { kDrill, kTutor, kPhone };
std::string_view to_string(ReviewSource source);  // "drill" / "tutor" / "phone"

// A card as stored, with the context the learner sees around it.
struct Card {
  long long id = 0;
  std::string identity;
  CardKind kind = CardKind::kComplete;
  std::string front;
  std::string back;
  std::string source;
  std::string tags;         // space separated
  long long topic_id = 0;   // 0: a card without topic (added by hand)
  std::string topic_label;  // "A.8"
  std::string topic_title;
  std::string topic_key;
  char domain_letter = 0;  // 0 when unknown
  std::string domain_name;
  int domain_weight = 0;  // percent
  Sm2State state;
  int risk = kInitialRisk;           // the scheduler's queue risk of `state` (scheduler.h)
  std::optional<KeptMemory> memory;  // nullopt: never answered
  bool suspended = false;
  bool retired = false;
  int position = 0;
  Day created_day = 0;
  bool edited = false;         // its text set by a person (deck, recall edit)
  std::string quality = "ok";  // "ok" or "review" (CardDraft::quality)
  std::string quality_reason;  // "" when ok
  // The review pass (review.h): who reviewed the card ("" not yet, "tutor",
  // "learner"), what they did ("approved", "edited", "retired", "added"),
  // when, and why a retired card was retired.
  std::string reviewed_by;
  std::string reviewed_as;
  std::optional<Day> reviewed_day;
  std::string review_reason;
};

// One row of the append-only review log.
struct ReviewLog {
  long long id = 0;
  long long card_id = 0;
  Day day = 0;
  std::string answered_at;
  int grade = 0;
  ReviewKind kind = ReviewKind::kReview;
  std::optional<std::string> note;
  Sm2State before;
  Sm2State after;
  int before_risk = kInitialRisk;  // the card's queue risk before and after
  int after_risk = kInitialRisk;
  SchedulerKind scheduler = SchedulerKind::kSm2;  // which one set after.due_day
  ReviewSource source = ReviewSource::kDrill;
  int button = 0;          // a phone answer's Anki button, 1 Again .. 4 Easy; 0 otherwise
  long long phone_id = 0;  // a phone answer's Anki revlog id (its time in ms); 0 otherwise
  bool operator==(const ReviewLog&) const = default;
};

// What the feedback rules read of a logged answer (feedback.h): a ReviewLog
// without its timestamp and card states, a third of its memory (the rules
// read the whole log: 1M rows for a heavy user).
struct ReviewOutcome {
  long long id = 0;
  long long card_id = 0;
  Day day = 0;
  int grade = 0;
  ReviewKind kind = ReviewKind::kReview;
  std::optional<std::string> note;
};

// Which cards a drill, `next` or `due` considers.
struct CardFilter {
  std::optional<std::string> topic_label;  // --topic A.8
  std::optional<char> domain_letter;       // --domain A
  bool gaps_only = false;                  // --gaps: linked to open gaps or recurring
  bool is_empty() const { return !topic_label && !domain_letter && !gaps_only; }
  bool operator==(const CardFilter&) const = default;
};

// The few fields the queue is ordered by; the full Card is loaded only for
// the card being shown.
struct QueueEntry {
  long long id = 0;
  long long topic_id = 0;
  int topic_position = 0;
  int position = 0;
  std::optional<Day> due_day;
  int risk = kInitialRisk;  // higher first, within a due day and domain weight
  int lapses = 0;
  int domain_weight = 0;
  // A new card of an open knowledge gap (linked to it, or the gap's own
  // card): 0 a recurring gap, 1 High, 2 Medium; kNoGapRank otherwise. New
  // cards of open gaps are introduced first, in this order.
  int gap_rank = kNoGapRank;
  static constexpr int kNoGapRank = 3;
};

// The review pass's counts (Store::review_counts) for `due`, `brief` and the
// drill: never-studied cards flagged "review" (the drafts that wait while
// setting "drafts" is "wait"), all flagged cards, and the cards not retired
// that nobody has reviewed yet.
struct ReviewCounts {
  int drafts = 0;
  int flagged = 0;
  int unreviewed = 0;
  bool drafts_wait = true;  // setting "drafts": "wait" (default) or "drill"
};

// A card the review pass has still to cover, with what a reviewer needs:
// its key point is card.source, the flag's reason card.quality_reason.
struct ReviewItem {
  Card card;
  std::vector<std::string> topic_points;  // the key points of its topic's other cards
  std::vector<std::string> gaps;          // the texts of the knowledge gaps linked to it
};

// What was answered on one day, for the daily limits.
struct DayCounts {
  int reviews_answered = 0;  // answers to cards that were already studied
  int new_answered = 0;      // first answers to new cards
  int redrill_answered = 0;
};

// A topic row for `recall topics`.
struct TopicSummary {
  long long id = 0;
  std::string label;
  std::string title;
  std::string topic_key;
  char domain_letter = 0;
  std::string domain_name;
  std::string confidence;
  bool in_progress = false;
  bool retired = false;
  int cards = 0;
  int new_cards = 0;
  int due_cards = 0;  // due on the day asked
};

// What a topic's confidence stands on (topic_answers, schema.sql): its
// graded answers after its baseline, how many passed, on how many days; and
// its live studied cards with their EFs (thousandths) and intervals summed.
struct TopicAnswers {
  long long topic_id = 0;
  int graded = 0;
  int passed = 0;
  int days = 0;
  int studied = 0;
  long long easiness_milli = 0;
  long long interval_days = 0;
};

// The log's size and its last id: what sync records as the answers it saw.
struct LogMark {
  long long count = 0;
  long long last_id = 0;
};

struct DomainRow {
  char letter = 0;
  std::string name;
  int weight = 0;
  int total_topics = 0;
};

struct GapRow {
  long long id = 0;
  std::string gap_key;
  std::string text;
  GapTier tier = GapTier::kMedium;
  bool recurring = false;
  std::string origin;  // "tracker", "engine"
  std::optional<Day> opened_day;
  std::optional<Day> resolved_day;
  std::string note;
  bool in_tracker = true;
  std::vector<long long> card_ids;
  // Cards the tutor took away from it (gap_unlinks), ascending: whatever
  // names them, they are not its cards.
  std::vector<long long> unlinked_ids;
};

// One answer given outside recall (on the phone in Anki, in another app),
// as an import source yields it (importer.h ImportSource::answers). The card
// is named by its id, or by its identity when the source knows no ids (a
// card the same import adds has none yet).
struct ImportedAnswer {
  long long card_id = 0;      // 0: look the card up by `card_identity`
  std::string card_identity;  // CardDraft::identity
  // The source's own id of the answer (Anki's revlog id: its time in ms):
  // a card's log holds each once, so importing the same answers twice adds
  // nothing. Stored as ReviewLog::phone_id.
  long long source_id = 0;
  Day day = 0;
  std::string answered_at;  // local time, ISO 8601
  int button = 0;           // 1 Again .. 4 Easy
  int grade = 0;            // button + 1
};
// A source hands its answers one card at a time (every answer in one call
// names the same card), so memory holds one card's answers, never the log.
using AnswerSink = std::function<void(const std::vector<ImportedAnswer>& answers)>;
using AnswerWalk = std::function<void(const AnswerSink& sink)>;

// The writes of one import, computed by importer.cpp and applied by the store
// in one transaction.
struct ImportPlan {
  std::vector<DomainRow> domains;
  struct TopicWrite {
    std::string topic_key, label, title, confidence;
    char domain_letter = 0;
    bool in_progress = false;
    int position = 0;
  };
  std::vector<TopicWrite> topics;  // every topic in the tracker
  struct CardWrite {
    long long id = 0;  // 0: insert
    CardDraft draft;
    bool from_deck = false;  // text came from a deck file: mark the card edited
    // Its key point changed under an approval: the approval covered the old
    // text only, so the card is not reviewed any more.
    bool clear_review = false;
  };
  std::vector<CardWrite> card_writes;  // inserts and changed cards only
  std::vector<long long> retire_ids;   // cards whose point left the tracker
  struct GapWrite {
    std::string gap_key, text;
    GapTier tier = GapTier::kMedium;
    bool recurring = false;
    std::string resolution_date, note;
    std::vector<std::string> card_identities;  // linked cards
  };
  std::vector<GapWrite> gaps;              // every gap in the tracker
  std::optional<std::string> source_path;  // remembered for `recall sync`
  std::optional<Day> interview_date;       // the tracker's; stored with the import
  // A source of some cards (a deck, another app: ImportSource::Scope::kSome)
  // adds and updates cards only: it retires no topic and leaves the
  // knowledge gaps as the last tracker import left them.
  bool partial = false;
  // Stored as setting kImportRecordSetting (importer.h, unchanged_import)
  // by Store::import_source, which appends a digest line; nullopt clears it,
  // as does every other write of cards (add_card).
  std::optional<std::string> fingerprint;
};

// Pieces of an existing card that import compares against.
struct StoredCardContent {
  ExistingCard match;  // for match_cards (topic_key "" when the identity has none)
  std::string front, back, tags;
  std::string topic_key;   // the topic the card is filed under (CardDraft filed_topic_key)
  char domain_letter = 0;  // a card without topic: the domain it is filed under (0: none)
  int position = 0;
  bool retired = false;
  bool edited = false;  // text from a deck file or recall edit: a tracker import keeps it
  // When that text was last set (Unix seconds; 1: before recall kept it):
  // which of a deck's hand edit and this one is newer (deck.h).
  long long edited_at = 0;
  std::string quality = "ok", quality_reason;
  std::string reviewed_by, reviewed_as;  // Card::reviewed_by / reviewed_as
};

// How a card's tags are stored (cards.tags, StoredCardContent::tags): joined
// by single spaces.
std::string join_tags(const std::vector<std::string>& tags);

// The setting holding the last no-op tracker import's record (importer.h).
inline constexpr const char* kImportRecordSetting = "import-fingerprint";
// The setting holding the last imported tracker's path (Store::tracker_path).
inline constexpr const char* kTrackerPathSetting = "tracker-path";
// The interview date the tracker gives (its header), as YYYY-MM-DD: the
// one in force unless the setting interview-date is set.
inline constexpr const char* kTrackerInterviewSetting = "tracker-interview-date";
// The study day in force when rollover-hour last changed (study.h
// study_day never returns an earlier one), as YYYY-MM-DD.
inline constexpr const char* kStudyDayFloorSetting = "study-day-floor";

// A card's answers as the memory model reads them (memory.h): every answer,
// re-drills included, by day, then in the order they were logged.
struct CardMemoryLog {
  long long card_id = 0;
  long long topic_id = 0;  // 0: no topic
  char domain_letter = 0;  // 0: no domain
  bool retired = false;
  fsrs::ReviewLog log;
  std::vector<int> intervals_before;  // the SM-2 interval in force before each answer
};

// A studied card's kept memory with where it counts (memory.h
// predicted_recall).
struct CardKeptMemory {
  long long card_id = 0;
  long long topic_id = 0;  // 0: no topic
  char domain_letter = 0;  // 0: no domain
  bool retired = false;
  KeptMemory memory;
};

// A failed answer (grade < kPassingGrade) with a mistake note, for the
// note-pattern rule of recurring mistakes (drill.h note_pattern_cards).
struct NotedFailure {
  long long card_id = 0;
  Day day = 0;
  std::string note;
};

}  // namespace recall
