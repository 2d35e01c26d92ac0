// `recall sync`: import the tracker, derive the feedback from the review log
// and write it back safely (backup, concurrent-edit check, atomic rename).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "recall/cards.h"
#include "recall/error.h"
#include "recall/feedback.h"
#include "recall/files.h"
#include "recall/identity.h"
#include "recall/importer.h"
#include "recall/memory.h"
#include "recall/stats.h"
#include "recall/store.h"

namespace recall {

namespace {

constexpr const char* kReviewsKey = "sync-reviews";  // "COUNT:MAX_ID" of the log at the last sync
// + topic_key -> review id; schema.sql's topic_answers triggers read these keys too.
constexpr const char* kBaselinePrefix = "sync-confidence-since:";
constexpr const char* kPendingKey =
    "sync-pending";  // a sync between recording and committing; "" for none
constexpr const char* kRecallGapsKey =
    "sync-recall-gaps";  // gap keys of recall's lines, tab-separated
// "tier:key" of each of recall's lines as the last sync left it, tab-separated:
// a line found in another tier at the next sync was moved by the tutor.
constexpr const char* kRecallTiersKey = "sync-recall-gap-tiers";
// Keys of recall's lines whose tier the tutor chose, tab-separated.
constexpr const char* kPlacedKey = "sync-tutor-placed";
// "YYYY-MM-DD:key" of recall's lines the tutor deleted and the day sync found
// them gone, tab-separated (kept kDismissedDays).
constexpr const char* kDismissedKey = "sync-tutor-dismissed";
constexpr int kDismissedDays = 90;
constexpr const char* kDayKey = "sync-day";              // --today of the last sync with evidence
constexpr const char* kReadinessKey = "sync-readiness";  // "RECALL:TUTOR" as last written/read

std::vector<std::string> split_tabs(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\t', start)) != std::string::npos; start = end + 1)
    if (end > start) out.push_back(text.substr(start, end - start));
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

std::string join_tabs(const std::set<std::string>& keys) {
  std::string out;
  for (const auto& key : keys) out += (out.empty() ? "" : "\t") + key;
  return out;
}

std::string optional_int(const std::optional<int>& value) {
  return value ? std::to_string(*value) : std::string();
}

// A 64-bit FNV-1a hash and the size: tells which of two known texts is on
// disk (not a defence against a forger, who could edit the database anyway).
std::string content_hash(const std::string& bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return std::string(hex) + ":" + std::to_string(bytes.size());
}

// A sync that is about to replace the tracker: the hashes of the text it
// read and of the text it writes, and the settings it commits once written.
struct PendingSync {
  std::string old_hash, new_hash;
  std::vector<std::pair<std::string, std::string>> bookkeeping;
};

// One line each: old hash, new hash, then key and value lines (keys and
// values never hold a newline: topic keys come from one table row).
std::string encode(const PendingSync& pending) {
  std::string text = pending.old_hash + "\n" + pending.new_hash;
  for (const auto& [key, value] : pending.bookkeeping) text += "\n" + key + "\n" + value;
  return text;
}

PendingSync decode(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  lines.push_back(text.substr(start));
  PendingSync pending;
  if (lines.size() < 2) return pending;  // not ours: matches no file
  pending.old_hash = lines[0];
  pending.new_hash = lines[1];
  for (std::size_t i = 2; i + 1 < lines.size(); i += 2)
    pending.bookkeeping.emplace_back(lines[i], lines[i + 1]);
  return pending;
}

// A sync recorded as pending was stopped before it committed: if the file
// holds its new text it was written, and its bookkeeping is committed now
// (else the next sync would apply the same evidence again); otherwise the
// rename never happened (or the file was edited since) and it is dropped.
SyncRecovery finish_interrupted(Store& store, const std::string& on_disk) {
  const auto recorded = store.setting(kPendingKey);
  if (!recorded || recorded->empty()) return SyncRecovery::kNone;
  const PendingSync pending = decode(*recorded);
  const std::string hash = content_hash(on_disk);
  if (!pending.new_hash.empty() && hash == pending.new_hash) {
    auto finished = pending.bookkeeping;
    finished.emplace_back(kPendingKey, "");
    store.set_settings(finished);
    return SyncRecovery::kFinished;
  }
  store.set_setting(kPendingKey, "");
  return hash == pending.old_hash ? SyncRecovery::kNotWritten : SyncRecovery::kUnclear;
}

std::string changed_message(const std::string& path) {
  return path +
         ": changed on disk since sync read it (edited meanwhile?); nothing was written, run "
         "recall sync again";
}

// Writes the new text in recoverable steps: record the pending sync; keep
// the bytes read in recall's backups (backup_user_file); replace the tracker if it still holds them
// (checked right before and after the rename); commit the bookkeeping and
// clear the pending record in one transaction. A process killed between
// two steps is repaired by finish_interrupted on the next run.
void write_back(Store& store, const std::string& path, const std::string& target,
                const std::string& bytes, const std::string& updated,
                std::vector<std::pair<std::string, std::string>> bookkeeping,
                const SyncOptions& options, SyncResult& result) {
  const auto step = [&](SyncStep at) {
    if (options.at_step) options.at_step(at);
  };
  store.set_setting(kPendingKey, encode({content_hash(bytes), content_hash(updated), bookkeeping}));
  step(SyncStep::kPendingRecorded);
  Replaced replaced;
  try {
    result.backup = backup_user_file(target, &bytes);  // recall's backups, not TARGET.bak
    step(SyncStep::kBackupWritten);
    ReplaceOptions replace;
    replace.expected = &bytes;
    replace.changed_message = changed_message(path);
    replace.before_check = [&] { step(SyncStep::kBeforeReplace); };
    replace.after_check = [&] { step(SyncStep::kAfterCheck); };
    replaced = write_file_atomically(target, updated, replace);
  } catch (...) {
    // Not replaced, as a rule: drop the pending record (or finish it, should
    // the new text be on disk after all). The first error is the one to
    // report; a failure here leaves the record for the next run to settle.
    try {
      finish_interrupted(store, read_file(target));
    } catch (...) {
    }
    throw;
  }
  step(SyncStep::kReplaced);
  bookkeeping.emplace_back(kPendingKey, "");
  store.set_settings(bookkeeping);
  result.written = true;
  result.other_links = replaced.other_links;
}

std::string review_signature(const LogMark& mark) {
  return std::to_string(mark.count) + ":" + std::to_string(mark.last_id);
}

// What each topic's confidence stands on, by topic id: the answers after its
// baseline and its studied cards, as the store keeps them (topic_answers).
std::map<long long, ConfidenceEvidence> topic_evidence(Store& store) {
  std::map<long long, ConfidenceEvidence> by_topic;
  for (const TopicAnswers& row : store.topic_answers()) {
    ConfidenceEvidence& e = by_topic[row.topic_id];
    e.graded = row.graded;
    e.passed = row.passed;
    e.lapses = row.graded - row.passed;
    e.days = row.days;
    if (row.studied > 0) {
      e.mean_easiness = static_cast<double>(row.easiness_milli) / 1000.0 / row.studied;
      e.mean_interval = static_cast<double>(row.interval_days) / row.studied;
    }
  }
  return by_topic;
}

std::string covered_text(int covered, int in_progress) {
  std::string text = std::to_string(covered);
  if (in_progress > 0) text += " (+" + std::to_string(in_progress) + " in progress)";
  return text;
}

// The gap keys of the lines recall added (sync records them).
// recall's own lines as the last sync recorded them. A line now in a tier
// other than the one the last sync left it in was placed by the tutor.
// The gap keys of every line and row of the tracker, as its last import saw them.
std::set<std::string> tracker_gap_keys(const std::vector<GapRow>& gaps) {
  std::set<std::string> keys;
  for (const GapRow& gap : gaps)
    if (gap.in_tracker) keys.insert(gap.gap_key);
  return keys;
}

// On `today`, recall's lines no longer in the tracker join those the tutor
// deleted before that are neither expired nor back (sync records them so).
RecallLines recorded_recall_lines(Store& store, const std::vector<GapRow>& gaps, Day today) {
  RecallLines lines;
  lines.keys = recall_gap_keys(store);
  for (std::string& key : split_tabs(store.setting(kPlacedKey).value_or("")))
    if (lines.keys.count(key)) lines.placed.insert(std::move(key));
  std::map<std::string, std::string, std::less<>> left;  // key -> tier
  for (const std::string& entry : split_tabs(store.setting(kRecallTiersKey).value_or(""))) {
    const auto colon = entry.find(':');
    if (colon != std::string::npos) left[entry.substr(colon + 1)] = entry.substr(0, colon);
  }
  for (const GapRow& gap : gaps) {
    if (!lines.keys.count(gap.gap_key)) continue;
    const auto found = left.find(gap.gap_key);
    if (found != left.end() && found->second != to_string(gap.tier))
      lines.placed.insert(gap.gap_key);
  }
  for (const std::string& entry : split_tabs(store.setting(kDismissedKey).value_or(""))) {
    if (entry.size() < 12 || entry[10] != ':') continue;
    // A hand-edited entry that is no day is no dismissal.
    if (const auto on = parse_day(entry.substr(0, 10))) lines.dismissed[entry.substr(11)] = *on;
  }
  const std::set<std::string> in_tracker = tracker_gap_keys(gaps);
  std::erase_if(lines.dismissed, [&](const auto& entry) {
    return entry.second <= today - kDismissedDays || in_tracker.count(entry.first) > 0;
  });
  for (const auto& key : lines.keys)
    if (!in_tracker.count(key)) lines.dismissed.emplace(key, today);
  return lines;
}

}  // namespace

std::set<std::string> recall_gap_keys(Store& store) {
  std::set<std::string> keys;
  for (std::string& key : split_tabs(store.setting(kRecallGapsKey).value_or("")))
    keys.insert(std::move(key));
  return keys;
}

RecallLines recall_lines_for(Store& store, Day today) {
  return recorded_recall_lines(store, store.gaps(), today);
}

Feedback feedback_for(Store& store, Day today, std::vector<ReviewOutcome>* read) {
  // Thousands of small reads (each scope card's log, each name a line
  // holds), all of one state of the database.
  const Store::ReadScope snapshot(store);
  const std::vector<GapRow> gaps = store.gaps();
  const RecallLines lines = recorded_recall_lines(store, gaps, today);
  // The rules read whole logs only of the cards whose answers can change
  // what they say (docs/feedback.md, "What the rules read"): those failed on
  // two days in the window (the kept fail_prev), those the tracker's lines
  // and rows name, the cards of a recurring note pattern and those a line
  // the rules add names; every noted failure is read for the patterns. Any
  // other card has at most one failure day in the window and no line: its
  // answers change nothing. The scope grows until the rules name no card
  // outside it, so what they say equals what the whole log says. Of the
  // cards, the rules look up only those with a read answer and those a line
  // names: their outlines are read, not every card's.
  const StoreGapLinker linker(store);
  std::set<long long> scope;
  for (long long id : store.cards_failed_twice_since(today - (kRules.window_days - 1)))
    scope.insert(id);
  for (const GapRow& gap : gaps)
    if (gap.in_tracker)
      for (long long id : cards_of_gap(linker, gap.text, gap)) scope.insert(id);
  const auto by_id = [](const ReviewOutcome& a, const ReviewOutcome& b) { return a.id < b.id; };
  // Every noted failure once, in id order among the scope's logs: the logs
  // carry no notes (review_grades_of), and where both hold an answer the
  // noted failure's row is kept (set_union takes the first range's).
  std::vector<ReviewOutcome> merged = store.noted_failure_outcomes();
  std::vector<long long> unread(scope.begin(), scope.end());
  std::vector<Card> cards;
  std::set<long long> outlined;
  for (;;) {
    std::vector<ReviewOutcome> logs = store.review_grades_of(unread);
    if (merged.empty()) {
      merged = std::move(logs);
    } else if (!logs.empty()) {
      // Moved, not copied: a scope's logs can be 100,000s of rows.
      std::vector<ReviewOutcome> both;
      both.reserve(logs.size() + merged.size());
      std::set_union(std::make_move_iterator(merged.begin()), std::make_move_iterator(merged.end()),
                     std::make_move_iterator(logs.begin()), std::make_move_iterator(logs.end()),
                     std::back_inserter(both), by_id);
      merged = std::move(both);
    }
    std::vector<long long> missing;
    for (const ReviewOutcome& r : merged)
      if (outlined.insert(r.card_id).second) missing.push_back(r.card_id);
    for (long long id : scope)
      if (outlined.insert(id).second) missing.push_back(id);
    for (Card& card : store.card_outlines_of(missing)) cards.push_back(std::move(card));
    Feedback feedback = derive_feedback(gaps, cards, merged, today, kRules, lines, &linker);
    std::set<long long> named;
    for (const GapOutcome& gap : feedback.gaps) {
      named.insert(gap.card_ids.begin(), gap.card_ids.end());
      if (gap.change == GapChange::kAdded)
        for (long long id : linker.link(gap.base, gap.card_ids)) named.insert(id);
    }
    for (const CardMisses& miss : feedback.recurring_cards) named.insert(miss.card_id);
    for (const NotePattern& pattern : feedback.patterns)
      if (pattern.recurring) named.insert(pattern.card_ids.begin(), pattern.card_ids.end());
    unread.clear();
    for (long long id : named)
      if (scope.insert(id).second) unread.push_back(id);
    if (unread.empty()) {
      if (read) *read = std::move(merged);
      return feedback;
    }
  }
}

SyncState sync_state(Store& store) {
  SyncState state;
  if (const auto day = store.setting(kDayKey)) state.last_synced = parse_day(*day);
  long long last_id = 0;
  if (const auto signature = store.setting(kReviewsKey)) {
    const auto colon = signature->find(':');
    if (colon != std::string::npos) last_id = std::atoll(signature->c_str() + colon + 1);
  }
  state.answers_waiting = static_cast<int>(store.reviews_after(last_id));
  if (const auto figures = store.setting(kReadinessKey)) {
    const auto colon = figures->find(':');
    if (colon != std::string::npos) {
      if (colon > 0) state.recall_readiness = std::atoi(figures->c_str());
      if (colon + 1 < figures->size())
        state.tutor_readiness = std::atoi(figures->c_str() + colon + 1);
    }
  }
  return state;
}

std::vector<std::pair<long long, std::string>> derived_confidences(
    Store& store, const std::vector<TopicSummary>& topics) {
  const auto evidence = topic_evidence(store);
  std::vector<std::pair<long long, std::string>> result;
  for (const auto& topic : topics) {
    const auto found = evidence.find(topic.id);
    result.emplace_back(topic.id, next_confidence(topic.confidence, found == evidence.end()
                                                                        ? ConfidenceEvidence{}
                                                                        : found->second));
  }
  return result;
}

SyncResult sync_tracker(Store& store, const std::string& path, Day today,
                        const SyncOptions& options) {
  SyncResult result;
  result.path = path;
  const std::string target = resolve_symlinks(path);
  const FolderLock lock(target, options.on_wait);
  const std::string bytes = read_file(target);
  const TrackerText text = prepare_text(bytes);
  const std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
  // A dry run that would write (an interrupted sync's record to complete,
  // an import that changes something) does it as the real sync does and
  // derives the evidence from that, then undoes every write: a rehearsal
  // holds the write lock for its length, so it is taken only then.
  std::optional<Store::Rehearsal> rehearsal;
  if (options.dry_run && (!store.setting(kPendingKey).value_or("").empty() ||
                          import_would_change(store, text, absolute)))
    rehearsal.emplace(store);
  // Without one, a dry run writes nothing at all: the import would be
  // answered from its record, and no sync was interrupted.
  const bool may_write = !options.dry_run || rehearsal.has_value();
  if (may_write) result.recovered = finish_interrupted(store, bytes);
  result.repaired_mojibake = text.repaired_mojibake;
  const Tracker tracker = read_tracker(text, path);
  // Answered from the no-op record when nothing changed since the last
  // import or sync (importer.h).
  if (may_write)
    import_tracker_text(store, text, tracker, today, absolute, options.allow_mass_retire);

  const LogMark mark = store.log_mark();
  const std::string signature = review_signature(mark);
  result.evidence = signature != store.setting(kReviewsKey).value_or("0:0");
  result.readiness_before = tracker.recall_readiness_percent;
  result.tutor_readiness = tracker.readiness_percent;
  if (!result.evidence) return result;

  const std::vector<TopicSummary> topics = store.topics(today);
  const auto evidence = topic_evidence(store);
  std::unordered_map<std::string, const TopicSummary*> topic_by_key;
  for (const auto& topic : topics) topic_by_key[topic.topic_key] = &topic;

  // Readiness is the memory model's expected recall today (docs/feedback.md).
  const PredictedRecall recall = load_predicted_recall(store, today, std::nullopt);
  TrackerUpdate update;
  update.last_updated = today;
  std::set<std::string> changed_topics;
  std::map<char, DomainReadiness> domains;
  std::map<char, std::pair<int, int>> rows;  // covered, in progress
  for (const auto& domain : tracker.domains)
    domains[domain.letter] = {domain.letter, domain.weight_percent, domain.total_topics, 0};
  const std::vector<std::string> keys = topic_keys(tracker.topics);
  for (std::size_t t = 0; t < tracker.topics.size(); ++t) {
    const Topic& row = tracker.topics[t];
    const std::string& key = keys[t];
    const auto found = topic_by_key.find(key);
    std::string confidence = row.confidence;
    double expected_recall = 0;  // a topic without cards (or not imported) counts 0
    if (found != topic_by_key.end()) {
      const auto counted = evidence.find(found->second->id);
      confidence = next_confidence(
          row.confidence, counted == evidence.end() ? ConfidenceEvidence{} : counted->second);
      expected_recall = topic_expected_recall(recall, found->second->id, found->second->cards);
    }
    if (confidence != row.confidence) {
      update.confidences.emplace_back(row.line, confidence);
      changed_topics.insert(key);
    }
    if (domains.count(row.domain_letter)) domains[row.domain_letter].topic_sum += expected_recall;
    auto& count = rows[row.domain_letter];
    (row.in_progress ? count.second : count.first) += 1;
  }
  result.confidences_changed = static_cast<int>(update.confidences.size());
  std::vector<DomainReadiness> readiness;
  for (const auto& [letter, domain] : domains) readiness.push_back(domain);
  result.readiness_after = readiness_percent(readiness);
  // recall's figure beside the tutor's, with what it stands on.
  const long long cards_live = store.live_card_count();
  // What caps the figure: a domain's planned topics (Quick Stats' Total
  // Topics) that have no row yet count 0, however well the rows are known.
  int planned = 0, started = 0;
  for (const auto& [letter, domain] : domains) {
    if (domain.weight_percent <= 0 || domain.total_topics <= 0) continue;
    planned += domain.total_topics;
    const auto found = rows.find(letter);
    if (found != rows.end())
      started += std::min(domain.total_topics, found->second.first + found->second.second);
  }
  std::string figure = std::to_string(*result.readiness_after) + "% \xE2\x80\x94 ";
  if (planned > 0)
    figure +=
        std::to_string(started) + " of " + std::to_string(planned) + " planned topics started, ";
  figure +=
      std::to_string(recall.total.studied) + " of " + std::to_string(cards_live) + " cards studied";
  if (recall.total.studied > 0)
    figure +=
        ", predicted recall " +
        std::to_string(static_cast<int>(100 * recall.total.today / recall.total.studied + 0.5)) +
        "%";
  // Beside the model's figure, what the learner did: right after a drill the
  // model predicts near 100% for every card just answered, whatever the
  // answers were (a learner failing 4 answers in 10 read 96%).
  const auto [answers, passed] = store.window_answers(today);
  if (answers > 0)
    figure += ", " + std::to_string(static_cast<int>(100.0 * passed / answers + 0.5)) + "% of " +
              std::to_string(answers) + (answers == 1 ? " answer" : " answers") +
              " in " + std::to_string(kRetentionWindowDays) + " days recalled";
  update.recall_readiness = figure;
  // The tutor's count stands unless the rows show more covered topics.
  for (const auto& domain : tracker.domains) {
    const auto [covered, in_progress] = rows[domain.letter];
    if (domain.stats_line && covered > domain.topics_covered)
      update.topics_covered.emplace_back(domain.stats_line, covered_text(covered, in_progress));
  }

  const std::vector<GapRow> gaps = store.gaps();
  // `recall gaps` and `brief` read the same lines (feedback_for).
  const RecallLines lines = recorded_recall_lines(store, gaps, today);
  const std::set<std::string> in_tracker = tracker_gap_keys(gaps);
  const Feedback feedback = feedback_for(store, today);
  update.drop_resolved = feedback.drop_resolved;
  // The lines recall owns after this sync: those still in the tracker (a
  // line the tutor reworded is the tutor's now) and those it adds.
  std::set<std::string> owned;
  for (const auto& key : lines.keys)
    if (in_tracker.count(key)) owned.insert(key);
  // The rows of Recently Resolved recall removes itself are no longer its:
  // gone at the next sync, they are not a deletion by the tutor.
  for (const auto& words : feedback.drop_resolved) owned.erase(topic_key(words));
  for (const auto& gap : feedback.gaps) {
    if (gap.change == GapChange::kAdded) owned.insert(gap.gap_key);
    switch (gap.change) {
      case GapChange::kNone:
        continue;
      case GapChange::kEvidence:
        ++result.gaps_updated;
        break;
      case GapChange::kRaised:
        ++result.gaps_raised;
        break;
      case GapChange::kLowered:
        ++result.gaps_lowered;
        break;
      case GapChange::kResolved:
        ++result.gaps_resolved;
        break;
      case GapChange::kAdded:
        ++result.gaps_added;
        break;
    }
    update.gaps.push_back(gap);
  }

  // The tier each of recall's lines is left in, and which the tutor placed.
  std::set<std::string> tiers, still_placed, dismissed;
  for (const auto& gap : feedback.gaps)
    if (owned.count(gap.gap_key)) tiers.insert(gap.new_tier + ":" + gap.gap_key);
  for (const GapRow& gap : gaps)  // recall's lines already in Recently Resolved
    if (gap.tier == GapTier::kResolved && owned.count(gap.gap_key))
      tiers.insert("resolved:" + gap.gap_key);
  for (const auto& key : lines.placed)
    if (owned.count(key)) still_placed.insert(key);
  for (const auto& [key, on] : lines.dismissed) dismissed.insert(format_day(on) + ":" + key);
  const std::string updated = rewrite_tracker(text, tracker, update, today);
  // Never write (or show) a tracker that recall itself would refuse to read.
  const TrackerText written = prepare_text(updated);
  std::optional<Tracker> written_tracker;
  try {
    written_tracker = read_tracker(written, path);
  } catch (const Error& e) {
    throw Error::data(path + ": sync would write a tracker it cannot read back (" + e.what() +
                      "); nothing was written");
  }
  // A dry run imports nothing afterwards: the read-back is not kept.
  if (options.dry_run) written_tracker.reset();
  const std::string as_read =
      (text.had_bom ? std::string("\xEF\xBB\xBF") : std::string()) + text.text;
  result.diff = unified_diff(as_read, updated, path, path);
  if (options.dry_run) return result;

  if (options.before_write) options.before_write();
  if (read_file(target) != bytes) throw Error::io(changed_message(path));
  std::vector<std::pair<std::string, std::string>> bookkeeping = {
      {kReviewsKey, signature},
      {kDayKey, format_day(today)},
      {kRecallGapsKey, join_tabs(owned)},
      {kRecallTiersKey, join_tabs(tiers)},
      {kPlacedKey, join_tabs(still_placed)},
      {kDismissedKey, join_tabs(dismissed)},
      {kReadinessKey,
       optional_int(result.readiness_after) + ":" + optional_int(result.tutor_readiness)}};
  const std::string last_id = std::to_string(mark.last_id);
  for (const auto& key : changed_topics) bookkeeping.emplace_back(kBaselinePrefix + key, last_id);
  if (updated != bytes)
    write_back(store, path, target, bytes, updated, std::move(bookkeeping), options, result);
  else
    store.set_settings(bookkeeping);
  // The database follows the file it now matches (new gap texts and tiers).
  if (result.written) {
    // Recorded, so the next sync of this text (the tutor has not edited it)
    // is answered without a full comparison.
    import_tracker_text(store, written, *written_tracker, today, absolute);
  }
  return result;
}

}  // namespace recall
