#include "recall/importer.h"
#include "recall/rules.h"
#include "recall/feedback.h"

#include "recall/answering.h"
#include "recall/error.h"
#include "recall/store.h"

#include <algorithm>
#include <functional>
#include <future>
#include <sstream>
#include <string_view>
#include <unordered_map>

namespace recall {

namespace {

// `front` and `back` are the draft's, or the stored text an edit keeps; an
// edited card's quality is "ok" whatever the draft's.
bool same_content(const CardDraft& draft, const std::string& front, const std::string& back,
                  const StoredCardContent& stored, bool kept_edit) {
  const bool same_quality =
      kept_edit ? stored.quality == "ok" && stored.quality_reason.empty()
                : stored.quality == draft.quality && stored.quality_reason == draft.quality_reason;
  const std::string& topic = filed_topic_key(draft);
  const char domain = topic.empty() && draft.domain_letter != '?' ? draft.domain_letter : 0;
  return !stored.retired && stored.match.identity == draft.identity &&
         stored.match.kind == draft.kind && stored.match.source == draft.source &&
         stored.front == front && stored.back == back && stored.tags == join_tags(draft.tags) &&
         stored.topic_key == topic && stored.domain_letter == domain &&
         stored.position == draft.order && same_quality;
}

// Only the card's place in the tracker's order differs.
bool same_content_but_order(const CardDraft& draft, const std::string& front,
                            const std::string& back, const StoredCardContent& stored) {
  StoredCardContent moved = stored;
  moved.position = draft.order;
  return same_content(draft, front, back, moved, stored.edited);
}

// The stored card with `id` (card_contents() is in ascending id order).
const StoredCardContent* find_stored(const std::vector<StoredCardContent>& stored, long long id) {
  const auto found = std::lower_bound(
      stored.begin(), stored.end(), id,
      [](const StoredCardContent& card, long long key) { return card.match.id < key; });
  return found != stored.end() && found->match.id == id ? &*found : nullptr;
}

}  // namespace

ImportPlan plan_import(ImportSource&& source, const std::vector<StoredCardContent>& stored,
                       ImportReport& report) {
  ImportPlan plan;
  plan.source_path = source.source_path;
  plan.interview_date = source.interview_date;
  std::vector<CardDraft>& drafts = source.cards;
  const bool whole = source.scope == ImportSource::Scope::kWhole;
  // Text the user edited in a deck file wins over the generated text; the
  // text of a source that is itself a person's edit is not kept over.
  const bool keep_edited_text = !source.text_is_edit;
  for (const auto& domain : source.domains)
    plan.domains.push_back(
        {domain.letter, domain.name, domain.weight_percent, domain.total_topics});
  report.domains = static_cast<int>(source.domains.size());

  std::unordered_map<std::string, std::size_t> topic_index;
  std::vector<std::string> keys = topic_keys(source.topics);
  for (std::size_t i = 0; i < source.topics.size(); ++i) {
    const Topic& topic = source.topics[i];
    std::string key = std::move(keys[i]);
    // The same title twice in one domain is one topic: the first row wins.
    if (!topic_index.emplace(key, plan.topics.size()).second) continue;
    plan.topics.push_back({std::move(key), topic.label, topic.title, topic.confidence,
                           topic.domain_letter, topic.in_progress, static_cast<int>(i)});
  }
  report.topics = static_cast<int>(plan.topics.size());
  report.key_points = source.key_points;

  // Gap links name drafts by identity: read before the drafts may move.
  if (whole)
    for (std::size_t g = 0; g < source.gaps.size(); ++g) {
      const Gap& gap = source.gaps[g];
      ImportPlan::GapWrite write;
      write.gap_key = topic_key(gap.text);
      write.text = gap.text;
      write.tier = gap.tier;
      write.recurring = gap.recurring;
      write.resolution_date = gap.resolution_date;
      write.note = gap.notes;
      if (gap.tier != GapTier::kResolved)
        for (std::size_t index : source.gap_links[g])
          write.card_identities.push_back(drafts[index].identity);
      plan.gaps.push_back(std::move(write));
    }
  report.gaps = static_cast<int>(plan.gaps.size());

  if (!whole) {
    // A partial source lists cards without topic (checklist, gap cards) as
    // such: each stays filed where the last tracker import filed it.
    std::unordered_map<std::string_view, const StoredCardContent*> by_identity;
    for (const StoredCardContent& card : stored) by_identity.emplace(card.match.identity, &card);
    for (CardDraft& card : drafts) {
      const auto found = by_identity.find(card.identity);
      if (!card.topic_key.empty() || found == by_identity.end()) continue;
      card.drills_topic_key = found->second->topic_key;
      if (found->second->domain_letter) card.domain_letter = found->second->domain_letter;
    }
    // It retires no topic and leaves the knowledge gaps alone.
    plan.partial = true;
  }

  // `kept` is indexed like `stored`.
  std::vector<const ExistingCard*> existing;
  existing.reserve(stored.size());
  for (const auto& card : stored) existing.push_back(&card.match);
  const std::vector<long long> matches = match_cards(existing, drafts);
  std::vector<bool> kept(stored.size(), false);
  // Room for the inserts (known now) at once: a growing vector of 20,000
  // drafts moves every one of them at each doubling.
  plan.card_writes.reserve(static_cast<std::size_t>(std::count(matches.begin(), matches.end(), 0)));
  const auto write = [&](long long id, std::size_t i) -> ImportPlan::CardWrite& {
    auto& added = plan.card_writes.emplace_back();
    added.id = id;
    added.draft = std::move(drafts[i]);
    return added;
  };
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    const long long id = matches[i];
    if (id == 0) {
      write(0, i).from_deck = source.text_is_edit;  // a new card: all its text is the deck's
      ++report.added;
      continue;
    }
    const StoredCardContent& old = *find_stored(stored, id);  // a match is a stored card
    kept[static_cast<std::size_t>(&old - stored.data())] = true;
    // A card retired in a review pass stays retired: no import brings it back.
    if (old.retired && old.reviewed_as == "retired") {
      ++report.unchanged;
      continue;
    }
    // An approval covers the text made from the key point it was given on:
    // while the point is the same, the approved text stays (new rules do not
    // replace it); a changed point gives new text, to be reviewed again.
    const bool approved = !old.edited && old.reviewed_as == "approved";
    const bool same_point = old.match.source == drafts[i].source;
    const bool person_text = old.edited || (approved && same_point);
    // Text the user edited in a deck file wins over the generated text.
    const bool keep_text = person_text && keep_edited_text;
    const std::string& front = keep_text ? old.front : drafts[i].front;
    const std::string& back = keep_text ? old.back : drafts[i].back;
    if (same_content(drafts[i], front, back, old, person_text)) {
      ++report.unchanged;
      continue;
    }
    // Read before write() may move the draft (and `front`, `back` with it).
    const bool reordered_only = same_content_but_order(drafts[i], front, back, old);
    ImportPlan::CardWrite& written = write(id, i);
    CardDraft& draft = written.draft;
    written.clear_review = approved && !same_point;
    // Only text that differs from what the database holds counts as edited,
    // so importing an untouched generated deck leaves tracker imports in
    // charge.
    written.from_deck = source.text_is_edit && (old.front != draft.front || old.back != draft.back);
    if (keep_text) {
      draft.front = old.front;
      draft.back = old.back;
    }
    if (person_text) {  // a person's text: no longer the rules' to judge
      draft.quality = "ok";
      draft.quality_reason.clear();
    }
    if (old.retired)
      ++report.restored;
    else if (reordered_only)
      ++report.reordered;
    else
      ++report.updated;
  }
  if (!whole) return plan;
  std::size_t retired_points = 0, live_points = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    const StoredCardContent& card = stored[i];
    if (!card.retired && is_point_kind(card.match.kind) &&
        card.match.identity.rfind("manual|", 0) != 0)
      ++live_points;
    if (kept[i] || card.retired) continue;
    // Cards added by hand are not the tracker's to retire.
    if (card.match.identity.rfind("manual|", 0) == 0) continue;
    // The rules make no topic outline any more (cards.h): an outline a
    // person wrote or approved stays while its topic is in the tracker; one
    // nobody reviewed goes, as any draft the rules no longer make.
    if (card.match.kind == CardKind::kTopic && topic_index.count(card.match.topic_key) &&
        (card.edited || card.reviewed_as == "approved" || card.reviewed_as == "edited"))
      continue;
    plan.retire_ids.push_back(card.match.id);
    ++report.retired;
    retired_points += is_point_kind(card.match.kind);
  }
  // A tracker from which no key point was read, over cards made from key
  // points: the tutor's new layout (or a damaged file), not a study with
  // nothing left in it. Retiring every card would drop them all from the
  // drill at once; the import is refused and changes nothing.
  if (source.key_points == 0 && retired_points > 0)
    throw Error::data(source.source_path.value_or("the tracker") +
                      ": no topic with key points was read from it, so importing it would "
                      "retire all " +
                      std::to_string(retired_points) +
                      " cards made from key points; nothing was changed (README, \"Cards from "
                      "the tracker\": the layouts recall reads)");
  // Most of them, with some points read: a layout read only in part (a
  // section's few lines taken for points while its topics go unread).
  if (!source.allow_mass_retire &&
      static_cast<int>(retired_points) >= kRules.mass_retire_min_cards &&
      retired_points * 100 > live_points * static_cast<std::size_t>(kRules.mass_retire_percent))
    throw Error::data(source.source_path.value_or("the tracker") + ": importing it would retire " +
                      std::to_string(retired_points) + " of the " + std::to_string(live_points) +
                      " cards made from key points (" + std::to_string(source.key_points) +
                      " key points were read from it); nothing was changed. If the tracker "
                      "really dropped them, run again with --allow-mass-retire "
                      "(allow_mass_retire over MCP)");
  return plan;
}

ImportSource source_from_tracker(const Tracker& tracker,
                                 const std::set<std::string>& recall_lines) {
  ImportSource source;
  source.scope = ImportSource::Scope::kWhole;
  source.domains = tracker.domains;
  source.topics = tracker.topics;
  for (const Topic& topic : tracker.topics)
    source.key_points += static_cast<int>(topic.key_points.size());
  source.gaps = tracker.gaps;
  source.cards = make_cards(tracker, &source.gap_links, recall_lines);
  source.interview_date = tracker.interview_date;
  return source;
}

ImportSource source_from_deck(const Deck& deck) {
  // A deck describes cards, not a study state: its domains and topics are
  // registered, its cards added or updated; nothing is retired.
  ImportSource source;
  source.scope = ImportSource::Scope::kSome;
  source.domains = deck.domains;
  source.topics = deck.topics;
  source.cards = deck.cards;
  source.key_points = static_cast<int>(deck.cards.size());
  source.text_is_edit = true;
  return source;
}

ImportReport import_deck(Store& store, const Deck& deck, Day today) {
  return import_source(store, source_from_deck(deck), today);
}

namespace {

// The report of an import that changed nothing, after its fingerprint.
std::string fingerprint_record(const std::string& fingerprint, const ImportReport& r) {
  return fingerprint + "\n" + std::to_string(r.domains) + " " + std::to_string(r.topics) + " " +
         std::to_string(r.key_points) + " " + std::to_string(r.gaps) + " " +
         std::to_string(r.unchanged);
}

bool changes_nothing(const ImportReport& r) {
  return r.added == 0 && r.updated == 0 && r.retired == 0 && r.restored == 0 && r.reordered == 0;
}

std::string import_fingerprint(Store& store, const TrackerText& text,
                               const std::string& source_path) {
  // 64 bits of std::hash plus the length: a collision of two trackers would
  // need both; the build's version, card rules and schema cover changed rules.
  // recall's own gap lines (which the rules leave without a card) are part
  // of what the cards are made from: a sync may change them.
  std::string lines;
  for (const std::string& key : recall_gap_keys(store)) lines += key + "\t";
  return "recall " RECALL_VERSION " rules " + std::to_string(kCardRulesVersion) + " schema " +
         std::to_string(Store::kSchemaVersion) + " text " +
         std::to_string(std::hash<std::string_view>{}(text.text)) + "/" +
         std::to_string(text.text.size()) + " lines " +
         std::to_string(std::hash<std::string>{}(lines)) + " path " + source_path;
}

// The report recorded with `fingerprint`; nullopt when the record is of
// other text, or gone.
std::optional<ImportReport> unchanged_import(Store& store, const std::string& fingerprint) {
  const std::optional<std::string> record = store.setting(kImportRecordSetting);
  if (!record || record->compare(0, fingerprint.size() + 1, fingerprint + "\n") != 0)
    return std::nullopt;
  ImportReport report;
  std::istringstream counts(record->substr(fingerprint.size() + 1));
  if (!(counts >> report.domains >> report.topics >> report.key_points >> report.gaps >>
        report.unchanged))
    return std::nullopt;
  return report;
}

// The one import path. `take_source` is called once, inside the write
// transaction (a tracker's drafts may still be in the making on another
// thread until then); `writes_cards`: whether the source's cards are planned
// (not for a source of answers only, which leaves the cards and the no-op
// import record alone).
ImportReport import_with(Store& store, const std::function<ImportSource()>& take_source,
                         bool writes_cards, Day today, bool dry_run,
                         const std::optional<std::string>& fingerprint) {
  ImportReport report;
  std::optional<ImportSource> source;
  const auto take = [&]() -> ImportSource& {
    if (!source) source = take_source();
    return *source;
  };
  Store::ImportPlanner planner;
  if (writes_cards)
    planner = [&](const std::vector<StoredCardContent>& stored) {
      report = ImportReport{};
      ImportPlan plan = plan_import(std::move(take()), stored, report);  // moves only the drafts
      if (fingerprint && changes_nothing(report))
        plan.fingerprint = fingerprint_record(*fingerprint, report);
      return plan;
    };
  // After the plan's writes: the source's answers.
  const AnswerWalk answers = [&](const AnswerSink& sink) {
    ImportSource& from = take();
    if (from.answers) from.answers(sink);
  };
  // The scheduler in force, read once inside the transaction.
  std::optional<SchedulerConfig> config;
  const Store::LogReplayer replay = [&](Store& reads, std::vector<ReviewLog>& log,
                                        std::size_t from) {
    if (!config) config = scheduler_config(reads);
    replay_log(*config, log, from);
  };
  const Store::AnswerImportCounts counts =
      store.import_source(planner, answers, replay, today, dry_run);
  report.answers_added = counts.added;
  report.answers_duplicate = counts.duplicates;
  report.answer_cards = counts.cards;
  report.rows_replayed = counts.rows_replayed;
  return report;
}

ImportReport import_parsed(Store& store, const Tracker& tracker, Day today,
                           const std::optional<std::string>& source_path,
                           const std::optional<std::string>& fingerprint,
                           bool allow_mass_retire = false) {
  // The source (its drafts, pure, from the tracker) is made on a second
  // thread while this one takes the write lock and reads the stored cards:
  // neither needs the other until the plan. The plan itself is made under
  // the lock (Store::import_source), from the cards as they are at the
  // write, so "nothing to change" is recorded only when that is what the
  // lock saw.
  std::future<ImportSource> making = std::async(
      std::launch::async, [&tracker, lines = recall_gap_keys(store)] {
        return source_from_tracker(tracker, lines);
      });
  return import_with(
      store,
      [&] {
        ImportSource source = making.get();
        source.source_path = source_path;
        source.allow_mass_retire = allow_mass_retire;
        return source;
      },
      true, today, false, fingerprint);
}

}  // namespace

ImportReport import_source(Store& store, ImportSource source, Day today, bool dry_run) {
  const bool writes_cards = source.scope != ImportSource::Scope::kNone;
  return import_with(
      store, [&] { return std::move(source); }, writes_cards, today, dry_run, std::nullopt);
}

ImportReport import_tracker(Store& store, const Tracker& tracker, Day today,
                            const std::optional<std::string>& source_path) {
  return import_parsed(store, tracker, today, source_path, std::nullopt);
}

ImportReport import_tracker_text(Store& store, const TrackerText& text, std::string_view file_name,
                                 Day today, const std::string& source_path,
                                 bool allow_mass_retire) {
  const std::string fingerprint = import_fingerprint(store, text, source_path);
  if (auto unchanged = unchanged_import(store, fingerprint)) return *unchanged;
  return import_parsed(store, read_tracker(text, file_name), today, source_path, fingerprint,
                       allow_mass_retire);
}

bool import_would_change(Store& store, const TrackerText& text, const std::string& source_path) {
  return !unchanged_import(store, import_fingerprint(store, text, source_path));
}

ImportReport import_tracker_text(Store& store, const TrackerText& text, const Tracker& tracker,
                                 Day today, const std::string& source_path,
                                 bool allow_mass_retire) {
  const std::string fingerprint = import_fingerprint(store, text, source_path);
  if (auto unchanged = unchanged_import(store, fingerprint)) return *unchanged;
  return import_parsed(store, tracker, today, source_path, fingerprint, allow_mass_retire);
}

}  // namespace recall
