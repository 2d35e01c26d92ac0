// Importing a tracker: the cards it describes meet the cards the database
// holds. Matching keeps schedules (cards.h identity rule); the whole import
// is one transaction, so on any error the database is untouched.
#pragma once

#include <optional>
#include <string>

#include "recall/deck.h"
#include "recall/model.h"
#include "recall/tracker.h"

namespace recall {

class Store;  // store.h

struct ImportReport {
  int added = 0;
  int updated = 0;    // content changed, schedule and history kept
  int retired = 0;    // their key point left the tracker (history kept)
  int restored = 0;   // retired cards whose point came back
  int reordered = 0;  // only their place in the tracker's order moved (a topic
                      // added or removed before them): not an update
  int unchanged = 0;
  int topics = 0;
  int domains = 0;
  int gaps = 0;
  int key_points = 0;
};

// Computes the writes an import would make, without making them.
// `gap_links`: the tracker's gaps' links into `drafts`, as make_cards (or
// cards_for_gaps) gives them. `stored`: card_contents(). With
// `keep_edited_text`, cards whose text was edited in a deck keep that text.
ImportPlan plan_import(const Tracker& tracker, const std::vector<CardDraft>& drafts,
                       const std::vector<std::vector<std::size_t>>& gap_links,
                       const std::vector<StoredCardContent>& stored, ImportReport& report,
                       bool keep_edited_text = true);
// The same, moving the drafts that are written into the plan instead of
// copying them (`drafts` is left in a valid but unspecified state).
ImportPlan plan_import(const Tracker& tracker, std::vector<CardDraft>&& drafts,
                       const std::vector<std::vector<std::size_t>>& gap_links,
                       const std::vector<StoredCardContent>& stored, ImportReport& report,
                       bool keep_edited_text = true);

// Imports a deck file's cards: matched by their identity lines, the deck's
// text becomes the cards' text and is kept by later tracker imports. Adds and
// updates only; retires nothing and leaves knowledge gaps alone.
ImportReport import_deck(Store& store, const Deck& deck, Day today);

// Reads nothing from disk: `tracker` is already parsed. `source_path` is
// remembered for `recall sync` with no argument.
ImportReport import_tracker(Store& store, const Tracker& tracker, Day today,
                            const std::optional<std::string>& source_path);

// `recall import` of a tracker's text (read as `file_name`, remembered as
// `source_path`), with the no-op re-import. An import's writes are a function
// of the tracker text, where it was read from, this build's card rules and
// the cards, topics and gaps stored; only imports and `recall add` write
// those. So an import that finds nothing to change (planned under the write
// lock, against the cards as they are when it writes: Store::import_cards)
// records the text's fingerprint and its report (setting
// kImportRecordSetting, in its transaction; every other import and add
// clears it in theirs), and the next
// import of the same text from the same path is answered from that record
// without parsing: it would change nothing either. Throws what read_tracker
// throws for text that is not a tracker.
ImportReport import_tracker_text(Store& store, const TrackerText& text, std::string_view file_name,
                                 Day today, const std::string& source_path);

}  // namespace recall
