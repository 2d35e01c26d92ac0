// Importing a tracker: the cards it describes meet the cards the database
// holds. Matching keeps schedules (cards.h identity rule); the whole import
// is one transaction, so on any error the database is untouched.
#pragma once

#include <optional>
#include <string>

#include "recall/deck.h"
#include "recall/store.h"
#include "recall/tracker.h"

namespace recall {

struct ImportReport {
  int added = 0;
  int updated = 0;    // content changed, schedule and history kept
  int retired = 0;    // their key point left the tracker (history kept)
  int restored = 0;   // retired cards whose point came back
  int unchanged = 0;
  int topics = 0;
  int domains = 0;
  int gaps = 0;
  int key_points = 0;
};

// Computes the writes an import would make, without making them. With
// `keep_edited_text`, cards whose text was edited in a deck keep that text.
// `gap_links`: the open gaps' links from make_cards (computed when null).
ImportPlan plan_import(const Tracker& tracker, const std::vector<CardDraft>& drafts,
                       const std::vector<StoredCardContent>& stored, ImportReport& report,
                       bool keep_edited_text = true,
                       const std::vector<std::vector<std::size_t>>* gap_links = nullptr);

// Imports a deck file's cards: matched by their identity lines, the deck's
// text becomes the cards' text and is kept by later tracker imports. Adds and
// updates only; retires nothing and leaves knowledge gaps alone.
ImportReport import_deck(Store& store, const Deck& deck, Day today);

// Reads nothing from disk: `tracker` is already parsed. `source_path` is
// remembered for `recall sync` with no argument. With `fingerprint`
// (import_fingerprint() of the text `tracker` was read from), an import that
// finds nothing to change records it, so the next import of the same text
// can be answered by unchanged_import().
ImportReport import_tracker(Store& store, const Tracker& tracker, Day today,
                            const std::optional<std::string>& source_path,
                            const std::optional<std::string>& fingerprint = std::nullopt);

// The no-op re-import. An import's writes are a function of the tracker
// text, where it was read from, this build's card rules and the cards,
// topics and gaps stored; only imports and `recall add` write those. So when
// the last tracker import of `fingerprint`'s text changed nothing, and no
// import or add ran since (each clears the record in its transaction),
// importing that text again changes nothing either: this returns the report
// that import would print, without parsing. nullopt: run the import.
std::string import_fingerprint(const TrackerText& text, const std::optional<std::string>& source_path);
std::optional<ImportReport> unchanged_import(Store& store, const std::string& fingerprint);

}  // namespace recall
