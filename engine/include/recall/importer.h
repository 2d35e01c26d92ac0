// Importing: what a source describes (cards, topics, gaps, answers given
// elsewhere) meets what the database holds. Every source (a tracker, a deck
// file, an Anki package) is turned into one ImportSource, planned by one
// planner and applied by one store call (Store::import_source). Matching
// keeps schedules (cards.h identity rule); the whole import is one
// transaction, so on any error the database is untouched.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "recall/deck.h"
#include "recall/model.h"
#include "recall/tracker.h"

namespace recall {

class Store;  // store.h

// What one source yields, whatever its format. A new source (another
// tracker format, another app) is one function that fills this, beside
// source_from_tracker and source_from_deck (and anki.cpp's package reader).
struct ImportSource {
  // How much of the study the source describes.
  enum class Scope {
    kWhole,  // all of it (a tracker): cards it no longer lists are retired,
             // its gaps replace the stored ones
    kSome,   // some cards (a deck, an app): adds and updates only; a card
             // without topic stays filed where it is
    kNone,   // no cards, answers only (an Anki package): no card is written
  };
  Scope scope = Scope::kSome;
  std::vector<Domain> domains;
  std::vector<Topic> topics;
  std::vector<CardDraft> cards;  // as the card rules draft them (cards.h)
  int key_points = 0;            // what the report counts as key points
  // Knowledge gaps (kWhole only) and their links into `cards`, as make_cards
  // gives them.
  std::vector<Gap> gaps;
  std::vector<std::vector<std::size_t>> gap_links;
  // The cards' text is a person's (a deck file's): it wins over generated
  // text and marks the cards it changes edited, which later imports keep.
  bool text_is_edit = false;
  // kWhole: retire the cards it no longer lists even when they are most of
  // the cards made from key points (`--allow-mass-retire`); without it such
  // an import is refused (Error(kData) naming the file) and changes nothing.
  bool allow_mass_retire = false;
  std::optional<std::string> source_path;  // remembered for `recall sync`
  std::optional<Day> interview_date;       // stored with the import (kWhole)
  // Answers given outside recall, handed one card at a time (model.h);
  // empty for a source without answers. Called inside the import's
  // transaction after its cards are written, so it may name new cards by
  // identity.
  AnswerWalk answers;
};

// A tracker's cards, topics, domains, gaps and checklist (its checklist and
// gaps become cards by the card rules), describing the whole study.
// `recall_lines`: make_cards' (the keys of recall's own gap lines).
ImportSource source_from_tracker(const Tracker& tracker,
                                 const std::set<std::string>& recall_lines = {});
// A deck file's cards as the deck gives their text.
ImportSource source_from_deck(const Deck& deck);

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
  // The source's answers (Store::import_source's counts).
  int answers_added = 0;
  int answers_duplicate = 0;  // already in the log (an earlier import)
  int answer_cards = 0;       // cards with at least one answer added
  int rows_replayed = 0;      // answers already logged whose states were recomputed
};

// Computes the writes an import of `source` would make, without making them.
// `stored`: card_contents(). The source's drafts are moved into the plan
// (the rest of it, its answers too, is left as it was).
ImportPlan plan_import(ImportSource&& source, const std::vector<StoredCardContent>& stored,
                       ImportReport& report);

// Imports any source in one transaction: its plan (made under the write
// lock from the cards as they are) and then its answers, replayed by the
// scheduler in force. With `dry_run` nothing is kept; the report says what
// would be done.
ImportReport import_source(Store& store, ImportSource source, Day today, bool dry_run = false);

// Imports a deck file's cards: matched by their identity lines, the deck's
// text becomes the cards' text and is kept by later tracker imports. Adds and
// updates only; retires nothing and leaves knowledge gaps alone.
// import_source(store, source_from_deck(deck), today).
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
// lock, against the cards as they are when it writes: Store::import_source)
// records the text's fingerprint and its report (setting
// kImportRecordSetting, in its transaction; every other import and add
// clears it in theirs), and the next
// import of the same text from the same path is answered from that record
// without parsing: it would change nothing either. Throws what read_tracker
// throws for text that is not a tracker.
// `allow_mass_retire`: ImportSource's.
ImportReport import_tracker_text(Store& store, const TrackerText& text, std::string_view file_name,
                                 Day today, const std::string& source_path,
                                 bool allow_mass_retire = false);
// Whether import_tracker_text of `text` from `source_path` would do more
// than answer from the no-op record (it may still change nothing).
bool import_would_change(Store& store, const TrackerText& text, const std::string& source_path);
// The same on a tracker already read from `text` (`recall sync`, which
// reads it anyway): `tracker` must be read_tracker(text).
ImportReport import_tracker_text(Store& store, const TrackerText& text, const Tracker& tracker,
                                 Day today, const std::string& source_path,
                                 bool allow_mass_retire = false);

}  // namespace recall
