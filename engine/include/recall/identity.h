// Card identity: the keys that let a card keep its schedule and history across
// versions of the tracker (renumbered topics, renamed domains, reordering,
// small edits, words added) and across versions of the question rules (a
// point asked as a cloze today and as a definition tomorrow is one card).
// Pure functions.
//
// Identity rule: "<role>:<fnv1a64 hex>" of a key that never holds the card's
// kind, the topic label, the domain or a position:
//   point      "point|<topic_key>|<normalised source>"  (any key-point card)
//   topic      "topic|<topic_key>"
//   checklist  "checklist|<normalised item>"
//   gap        "gap|<normalised gap text>"
// A second card made from the same point or gap in another role (for example
// a discrimination card beside a gap's recall card) adds "|<facet>" to the
// key: its own stable identity, again without the kind. Repeats within one
// set of drafts become "<identity>#2", "#3" (make_identities_unique).
//
// Databases made before this rule hold "<kind>:<hex of kind|topic|source>"
// for point cards; match_cards re-keys them by (topic, normalised source), so
// they keep their ids and logs, and the import stores the new key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

// cards.h includes this header after its own declarations (CardKind,
// CardDraft); including cards.h here makes this header work alone too.
#include "recall/cards.h"
#include "recall/tracker.h"

namespace recall {

// What a card is made from, which is what its identity names.
enum class IdentityRole { kPoint, kTopic, kChecklist, kGap };
// kTopic, kChecklist and kGap are their own roles; every other kind (each kind
// of key-point card, present and future) is kPoint.
IdentityRole identity_role(CardKind kind);

// Normalised identity of a topic: its title lower-cased, punctuation and
// label removed, whitespace collapsed. Stable under renumbering.
std::string topic_key(std::string_view title);

// The key of each of `topics` (tracker order), the one make_cards, the
// import and sync use: topic_key(title), except for a title that a topic of
// another domain used earlier in the list, which gets that domain's letter
// ("transformers @D"): two domains' topics stay two topics. '@' never occurs
// in a topic_key, so such a key cannot meet a plain one. The same title twice
// in one domain keeps one key (one topic). Without such a collision every
// key is topic_key(title), so existing cards keep their identities.
std::vector<std::string> topic_keys(const std::vector<Topic>& topics);

// A key point without the tutor's "⚠️ Review needed:" flag (a view of `raw`),
// and whether it had one. The flag is not part of the identity: removing it
// once the point is reviewed keeps the schedule. `remark` is true when the
// flag carried "Review needed:" (the point then names what was wrong: a gap
// for the card rules). The one cleaning for identities and card rules alike.
struct CleanedPoint {
  std::string_view text;
  bool flagged = false;
  bool remark = false;
};
CleanedPoint clean_key_point(std::string_view raw);

// Normalised source text as used by the identity rule: the ⚠️ marker
// removed, ASCII lower-cased, punctuation dropped, math operators kept and
// spacing around them removed ("x = FPR" and "x=FPR" are the same).
std::string normalise_source(std::string_view text);

// The identity of a card in `role` made from `source` (for a topic card, its
// title) under the topic with `topic_key` ("" for checklist and gap cards),
// before make_identities_unique; `facet` names a second card of one source.
std::string card_identity(IdentityRole role, std::string_view topic_key, std::string_view source,
                          std::string_view facet = "");
// card_identity(identity_role(kind), topic_key, source): the kind only picks
// the role, so a change of rule that changes a point's kind keeps its card.
std::string card_identity(CardKind kind, std::string_view topic_key, std::string_view source);

// The identity recall gave before the rule above ("<kind>:<hex>", the kind
// hashed in). Decks written then carry it; read_deck accepts it.
std::string legacy_card_identity(CardKind kind, std::string_view topic_key,
                                 std::string_view source);

// Two drafts with one identity (the same point twice in a topic, or a point
// that gives two cards without a facet) become "<identity>", "<identity>#2",
// ... in order.
void make_identities_unique(std::vector<CardDraft>& cards);

// Similarity of two key-point texts in [0, 1] (used for small edits).
double text_similarity(std::string_view a, std::string_view b);

// True when `old_text`, normalised, survives whole inside `new_text`
// normalised, on word boundaries, with words only added around it
// ("Compare L1 vs L2 regularization" -> "... regularization (L2 covered in
// logistic regression)"). An old text of one word is too little to tell.
bool only_words_added(std::string_view old_text, std::string_view new_text);

// Texts at least this similar, in the same topic and role, are the same card
// after an edit. Tuned on the fixture: the most similar pair of different
// points in one topic ("Vanishing gradients: small weights multiply → tiny
// gradients" / "Exploding gradients: large ...") scores 0.61; a typo fix
// scores above 0.8, a clause added to a short point 0.68.
inline constexpr double kSameCardSimilarity = 0.65;

// A draft whose topic_key matches no unmatched card (the topic was retitled)
// continues a card of another topic only when its text is this similar.
inline constexpr double kRetitledSimilarity = 0.9;

// What the database already holds, as far as matching needs.
struct ExistingCard {
  long long id = 0;
  std::string identity;
  CardKind kind = CardKind::kComplete;
  std::string source;
  std::string topic_key;
};

// For each draft, the id of the existing card it continues, or 0 for a new
// card. Each existing card is matched at most once, in phases:
//  1. exact identity;
//  2. an existing card's identity re-keyed under the rule above (a database
//     or deck of the kind-hashed rule: same role, topic and source);
//  3. the old text survives whole in the new one (only_words_added), same
//     role and topic;
//  4. the most similar source, same role and topic, at or above
//     kSameCardSimilarity;
//  5. any topic, same role, at or above kRetitledSimilarity.
// Result has drafts.size() entries.
std::vector<long long> match_cards(const std::vector<ExistingCard>& existing,
                                   const std::vector<CardDraft>& drafts);
// The same for existing cards held elsewhere (the store's records), without
// copying them.
std::vector<long long> match_cards(const std::vector<const ExistingCard*>& existing,
                                   const std::vector<CardDraft>& drafts);

}  // namespace recall
