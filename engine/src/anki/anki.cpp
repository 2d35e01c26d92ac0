// The Anki round trip's use cases (anki.h): the export reads recall's cards
// through the store and writes a package; the import reads a package as an
// import source of answers (importer.h), planned and applied like any other.
#include "recall/anki.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "package.h"
#include "recall/answering.h"
#include "recall/error.h"
#include "recall/files.h"
#include "recall/importer.h"
#include "recall/paths.h"
#include "recall/settings.h"
#include "recall/store.h"
#include "recall/text.h"

namespace recall {

namespace {

constexpr long long kMsPerDay = 86'400'000;
// Note and card ids: this base plus recall's card id. Stable across exports
// and below "now" (Anki refuses ids more than a day ahead); Anki matches
// notes by guid anyway and renumbers ids that collide.
constexpr long long kIdBase = 1'000'000'000'000;

// A card's text split into its context line ("[A.8 Title · A. Domain]",
// text.h context_line_size, without its line break) and the rest.
std::pair<std::string, std::string> split_context(const std::string& text) {
  const std::size_t size = context_line_size(text);
  return {text.substr(0, size ? size - 1 : 0), text.substr(size)};
}

// A deck id from its name: stable, positive, far from Anki's own small ids.
long long deck_id(const std::string& name) {
  unsigned long long hash = 1469598103934665603ull;
  for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
  return 1'500'000'000'000 + static_cast<long long>(hash % 100'000'000'000ull);
}

// Tags as Anki stores them: words without spaces.
std::string anki_tags(const Card& card) {
  std::vector<std::string_view> tags;
  if (!card.topic_label.empty()) tags.push_back(card.topic_label);
  for (std::string_view word : split_words(card.tags)) tags.push_back(word);
  std::string out;
  std::set<std::string_view> seen;
  for (std::string_view tag : tags) {
    if (!seen.insert(tag).second) continue;  // a repeat
    if (!out.empty()) out += ' ';
    out += tag;
  }
  return out;
}

void refuse_output(Store& store, const std::string& path, bool force) {
  const std::string name = lower(std::filesystem::path(path).filename().string());
  if (name == "collection.apkg")
    throw Error::usage("export anki: " + path +
                       ": Anki takes a file of this name for a whole collection to replace; "
                       "choose another name");
  if (name.size() < 6 || !name.ends_with(".apkg"))
    throw Error::usage("export anki: " + path + ": the package's name must end in .apkg");
  refuse_protected_output("export anki", path, protected_files(store));
  std::error_code missing;
  if (!force && std::filesystem::exists(path, missing) && read_file_head(path, 4) != "PK\x03\x04")
    throw Error::usage("export anki: " + path +
                       " exists and is not a package; pass --force to replace it");
}

int rollover_hour(Store& store) {
  if (auto value = store.setting("rollover-hour"))
    return stored_number_setting("rollover-hour", *value);
  return kDefaultRolloverHour;
}

bool is_rated(const anki::RevlogRow& row) {
  if (row.ease < 1 || row.ease > 4) return false;
  if (row.type >= 0 && row.type <= 2) return true;
  return row.type == 3 && row.factor != 0;  // an early review that rescheduled; 0: cramming
}

}  // namespace

AnkiExportReport export_anki(Store& store, const std::string& path,
                             const AnkiExportOptions& options, Day today,
                             std::chrono::system_clock::time_point now, bool force) {
  refuse_output(store, path, force);
  AnkiExportReport report;
  anki::Collection collection;
  collection.now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::string parent = options.parent_deck.empty() ? "recall" : options.parent_deck;
  std::map<std::string, long long> decks;
  std::vector<Card> cards = store.cards(options.topic_label, false);
  Day first_day = today;
  for (const Card& card : cards)
    if (options.with_schedule && card.state.due_day)
      first_day = std::min(first_day, *card.state.due_day);
  // Noon of the first day: due days count from it, whatever the phone's rollover.
  collection.created_s = static_cast<long long>(first_day) * 86'400 + 12 * 3600;
  int position = 0;
  for (const Card& card : cards) {
    if (card.retired) continue;
    if (options.domain_letter && card.domain_letter != *options.domain_letter) continue;
    if (card.suspended) {
      ++report.suspended_left_out;
      continue;
    }
    if (card.quality == "review" && !options.include_drafts) {
      ++report.drafts_left_out;
      continue;
    }
    const std::string deck_name =
        parent + "::" +
        (card.domain_letter ? std::string(1, card.domain_letter) + ". " + card.domain_name
                            : std::string("Other"));
    auto found = decks.find(deck_name);
    if (found == decks.end()) found = decks.emplace(deck_name, deck_id(deck_name)).first;
    anki::NoteRow note;
    note.id = kIdBase + card.id;
    note.guid = anki_guid(card.identity);
    auto [context, front] = split_context(card.front);
    auto back = split_context(card.back).second;
    note.fields = {anki_field_html(front), anki_field_html(back), anki_field_html(context),
                   anki_field_html(card.identity)};
    note.tags = anki_tags(card);
    note.deck_id = found->second;
    note.position = ++position;
    if (options.with_schedule && card.state.due_day) {
      note.scheduled = true;
      note.due = *card.state.due_day - first_day;
      note.interval = std::max(1, card.state.interval_days);
      note.factor = card.state.easiness_milli;
      note.reps = card.state.repetitions;
      note.lapses = card.state.lapses;
      ++report.scheduled;
    }
    collection.notes.push_back(std::move(note));
  }
  collection.decks.push_back({deck_id(parent), parent});
  for (const auto& [name, id] : decks) collection.decks.push_back({id, name});
  if (collection.notes.empty()) {
    std::string why = options.domain_letter || options.topic_label
                          ? " with these filters (--domain, --topic)"
                          : " (import a tracker first)";
    if (report.drafts_left_out > 0)
      why = ": " + std::to_string(report.drafts_left_out) +
            (report.drafts_left_out == 1 ? " flagged draft is" : " flagged drafts are") +
            " left out (review them: recall cards --review; or --include-drafts)";
    throw Error::data("export anki: no cards to export" + why + "; " + path + " not written");
  }
  report.notes = static_cast<int>(collection.notes.size());
  report.decks = static_cast<int>(decks.size());
  write_file_atomically(path, anki::write_package(collection));
  return report;
}

AnkiImportReport import_anki(Store& store, const std::string& path, bool dry_run, Day today) {
  AnkiImportReport report;
  report.dry_run = dry_run;
  const anki::Package package = anki::Package::open_file(path);
  report.layout = std::string(anki::layout_name(package.layout()));
  // recall's cards by guid and by identity (the RecallKey field), retired
  // ones too: an answer given before a card left the tracker is still one.
  std::unordered_map<std::string, long long> by_guid, by_identity;
  for (const Card& card : store.cards(std::nullopt, true)) {
    by_guid.emplace(anki_guid(card.identity), card.id);
    by_identity.emplace(card.identity, card.id);
  }
  const int rollover = rollover_hour(store);
  // Rows come in guid order: a note's rows are together, so counting the
  // foreign notes needs only the last one's guid.
  std::string last_foreign;

  // The package is an import source of answers only (importer.h): its walk
  // runs inside the import's transaction, so a package failing half way
  // throws there and nothing is kept. The rows come by (guid, ord, id): one
  // card's answers together, handed on one card at a time, so memory holds
  // one card's answers, never the revlog.
  ImportSource source;
  source.scope = ImportSource::Scope::kNone;
  source.answers = [&](const AnswerSink& sink) {
    std::vector<ImportedAnswer> answers;
    long long card = 0;
    auto flush = [&] {
      if (!answers.empty()) sink(answers);
      answers.clear();
    };
    package.for_each_revlog([&](const anki::RevlogRow& row) {
      ++report.answers_read;
      long long id = 0;
      if (row.ord == 0) {
        if (auto found = by_guid.find(row.guid); found != by_guid.end())
          id = found->second;
        else if (auto keyed = by_identity.find(row.recall_key); keyed != by_identity.end())
          id = keyed->second;
      }
      if (!id) {
        ++report.foreign_answers;
        if (report.foreign_answers == 1 || row.guid != last_foreign) ++report.foreign_notes;
        last_foreign = row.guid;
        return;
      }
      if (!is_rated(row)) {
        ++report.not_rated;
        return;
      }
      // Anki's ids are ms since the epoch; before 2000 or after today is
      // not an answer (and a huge id would overflow the clock's type).
      if (row.id < 946'684'800'000 || row.id / kMsPerDay > today + 2) {
        ++report.future;
        return;
      }
      const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(row.id));
      const Day day = local_day(at, rollover);
      if (day > today) {
        ++report.future;
        return;
      }
      if (id != card) flush();
      card = id;
      answers.push_back({id, "", row.id, day, local_timestamp(at), row.ease, row.ease + 1});
    });
    flush();
  };
  const ImportReport counts = import_source(store, std::move(source), today, dry_run);
  report.added = counts.answers_added;
  report.duplicates = counts.answers_duplicate;
  report.cards = counts.answer_cards;
  report.rows_replayed = counts.rows_replayed;
  return report;
}

}  // namespace recall
