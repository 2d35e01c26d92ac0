// Decks on disk: the cards of a tracker as a plain markdown file a person can
// read, edit and keep in git. Format (docs/decks.md):
//
//   <!-- recall deck v1 -->
//   # Deck: ml-study-tracker
//   ## A. ML Fundamentals (20%)
//   ### A.8 Evaluation Metrics - AUC-ROC
//   confidence: Medium-High
//   #### card cloze-1f0c3a9e2b7d4c11
//   kind: cloze
//   order: 3
//   quality: ok                 (or "review (fragment term)"; optional)
//   source: ROC axes: x=FPR, y=TPR
//   Q:
//   [A.8 Evaluation Metrics - AUC-ROC · A. ML Fundamentals]
//   ROC axes: x = ____, y = ____
//   A:
//   ...
//
// The card heading carries the stable identity, so hand edits to Q and A
// survive re-import and regeneration. A text line that would read as deck
// syntax is written with a leading backslash, removed on reading.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recall/cards.h"
#include "recall/tracker.h"

namespace recall {

struct Deck {
  std::string title;
  std::vector<Domain> domains;  // letter, name, weight_percent
  std::vector<Topic> topics;    // label, title, domain (no key points)
  std::vector<CardDraft> cards;
};

inline constexpr std::string_view kDeckMarker = "<!-- recall deck v1 -->";

// True when `text` starts (after blank lines) with kDeckMarker.
bool is_deck(std::string_view text);

// The deck for a tracker's cards. Cards without topic (checklist, gap) go
// under "## Checklist" and "## Knowledge gaps".
std::string write_deck(const std::string& title, const Tracker& tracker,
                       const std::vector<CardDraft>& cards);

// Reads a deck. Throws Error(kData, "FILE:LINE: what is wrong") for any
// break in its structure, so that no hand edit shifts text between cards:
// a card without its id, 'kind:', 'order:', 'source:', 'Q:' or 'A:' line; a
// field twice; a card id twice; an id that is not the one its kind, topic
// and source give (an edited id, a card moved to another topic); a bare 'Q:'
// or 'A:' inside a card's text; text outside a card after the preamble.
Deck read_deck(const TrackerText& text, std::string_view file_name);

// Keeps the user's text: every card of `fresh` whose identity also appears in
// `previous` takes the previous front and back (hand edits survive
// regeneration). Returns how many cards kept edited text.
int keep_deck_text(std::vector<CardDraft>& fresh, const Deck& previous);

// Keeps the database's edits (a deck imported, `recall edit`) and reviews:
// every card of `fresh` that continues an edited, unretired card of `stored`
// (match_cards), or an approved one made from the same key point, takes its
// front and back and quality "ok", unless the deck it is made over holds
// another edit of that card that is newer; a card that continues one retired
// in a review pass is left out (of `fresh` and `generated` alike). Applied
// after keep_deck_text, with `generated` the cards as the rules make them
// (before keep_deck_text) and `deck_time` the previous deck's modification
// time (Unix seconds; nullopt: no previous deck). A card whose deck text is
// neither the generated text nor the database's is edited in both: the
// newer edit wins (a database edit from before recall kept its time counts
// as the newer; an approved card not edited keeps the deck's edit), and the
// card is named in `conflicts`, so no edit is lost unsaid.
struct EditConflict {
  std::string identity;       // the card's deck id ("cloze-1f0c...")
  bool database_won = false;  // the database's edit replaced the deck's; else the deck's stays
};
struct StoredCardContent;  // recall/model.h
std::vector<EditConflict> keep_stored_edits(std::vector<CardDraft>& fresh,
                                            std::vector<CardDraft>& generated,
                                            const std::vector<StoredCardContent>& stored,
                                            std::optional<long long> deck_time);

// Cards of `fresh` whose text is not the generated one (same order).
int count_edited(const std::vector<CardDraft>& fresh, const std::vector<CardDraft>& generated);

}  // namespace recall
