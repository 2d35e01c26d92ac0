// Key points become cards; see docs/cards.md for the rules with examples.
//
// Identity rule: a card's identity is "<kind>:<fnv1a64 hex>" of
// "<kind>|<topic_key>|<normalised source>" (kTopic: "topic|<topic_key>",
// checklist: "checklist|<text>", gap: "gap|<text>"). It never includes the
// topic label, the domain or a position, because the tutor renumbers topics,
// renames domains and reorders points between versions of the tracker.
// Small text edits change the identity; match_cards() recovers those by
// similarity. <topic_key> is the topic's topic_keys() entry: its title's
// key, with the domain letter only for a title an earlier domain also uses.
//
// Everything here is a hand-written scanner (no std::regex): imports of
// 60,000 points must stay linear.

#include "recall/cards.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "cardgen/drafts.h"
#include "cardgen/term_index.h"
#include "recall/error.h"
#include "recall/text.h"

namespace recall {
namespace {

using cardgen::clean_key_point;
using cardgen::CleanPoint;
using cardgen::TermIndex;
using cardgen::UniqueTerms;
using cardgen::IsPointKind;

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;

// `h` continues the hash of what came before: hashing "ab" in two calls
// equals one call.
std::uint64_t Fnv1a64(std::string_view s, std::uint64_t h = kFnvOffset) {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// The identity of the key made of `parts` joined (without building it).
std::string MakeIdentity(CardKind kind, std::initializer_list<std::string_view> parts) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t h = kFnvOffset;
  for (std::string_view part : parts) h = Fnv1a64(part, h);
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = kHex[h & 0xF];
  return std::string(to_string(kind)) + ":" + hex;
}

// normalise_source() of a text CleanKeyPoint already returned.
std::string NormaliseCleaned(std::string_view clean) {
  static constexpr std::string_view kOperators = "+-*/=^<>()_";
  std::string out;
  bool pending_space = false;
  bool after_operator = false;
  for (std::size_t i = 0; i < clean.size();) {
    const std::size_t start = i;
    const char32_t cp = next_code_point(clean, i);
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      const bool decimal_point =
          c == '.' && !out.empty() && is_digit(out.back()) && i < clean.size() && is_digit(clean[i]);
      if (kOperators.find(c) != std::string_view::npos) {
        // Spacing around operators is layout, not content.
        out += c;
        pending_space = false;
        after_operator = true;
        continue;
      }
      if (!is_ascii_alnum(c) && !decimal_point) {
        pending_space = true;
        continue;
      }
    } else if (is_separator_code_point(cp)) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty() && !after_operator) out += ' ';
    pending_space = false;
    after_operator = false;
    append_lower(out, clean.substr(start, i - start));
  }
  return out;
}

// Two drafts with one identity (the same point twice in a topic) become
// "<identity>", "<identity>#2", ... in tracker order.
void MakeIdentitiesUnique(std::vector<CardDraft>& cards) {
  // Keys view the cards' own identities: a key is added for a card's final
  // identity only, which stays put (the vector does not grow here).
  std::unordered_map<std::string_view, int> seen;
  seen.reserve(cards.size() * 2);
  for (CardDraft& card : cards) {
    const int n = ++seen[card.identity];
    if (n == 1) continue;
    std::string candidate;
    for (int k = n;; ++k) {
      candidate = card.identity + "#" + std::to_string(k);
      if (seen.find(candidate) == seen.end()) break;
    }
    card.identity = std::move(candidate);
    seen.emplace(card.identity, 1);
  }
}

// ---------------------------------------------------------------------------
// Similarity: the mean of two Dice coefficients over the normalised text,
// one over code-point trigrams (robust to typos: a swapped letter touches
// three trigrams) and one over words (so that two parallel points such as
// "Vanishing gradients: small weights multiply → tiny gradients" and
// "Exploding gradients: large weights multiply → huge gradients", which
// share most of their letters, still count as different: trigrams alone
// give them 0.65, words 0.5).

struct Profile {
  std::vector<std::uint64_t> trigrams;  // sorted, with repeats
  std::vector<std::uint64_t> words;     // hashes, sorted, with repeats
};

Profile MakeProfile(std::string_view text) {
  const std::string norm = normalise_source(text);
  Profile p;
  std::vector<char32_t> cps{U' '};
  for (std::size_t i = 0; i < norm.size();) cps.push_back(next_code_point(norm, i));
  cps.push_back(U' ');
  for (std::size_t i = 0; i + 2 < cps.size(); ++i) {
    p.trigrams.push_back((std::uint64_t(cps[i] & 0x1FFFFF) << 42) |
                         (std::uint64_t(cps[i + 1] & 0x1FFFFF) << 21) | (cps[i + 2] & 0x1FFFFF));
  }
  static constexpr std::string_view kWordBreaks = " +-*/=^<>()_";
  std::size_t start = 0;
  for (std::size_t i = 0; i <= norm.size(); ++i) {
    if (i < norm.size() && kWordBreaks.find(norm[i]) == std::string_view::npos) continue;
    if (i > start) p.words.push_back(Fnv1a64(std::string_view(norm).substr(start, i - start)));
    start = i + 1;
  }
  std::sort(p.trigrams.begin(), p.trigrams.end());
  std::sort(p.words.begin(), p.words.end());
  return p;
}

double Dice(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  if (a.empty() && b.empty()) return 1.0;
  std::size_t shared = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++shared, ++i, ++j;
    }
  }
  return 2.0 * double(shared) / double(a.size() + b.size());
}

double Similarity(const Profile& a, const Profile& b) {
  return (Dice(a.trigrams, b.trigrams) + Dice(a.words, b.words)) / 2.0;
}

// ---------------------------------------------------------------------------
// Matching

// Lazily computed profiles and terms of one side of the matching.
class TextCache {
 public:
  explicit TextCache(std::size_t n) : grams_(n), terms_(n) {}
  const Profile& ProfileOf(std::size_t i, std::string_view text) {
    if (!grams_[i]) grams_[i] = MakeProfile(text);
    return *grams_[i];
  }
  const std::vector<std::string>& TermsOf(std::size_t i, std::string_view text) {
    if (!terms_[i]) terms_[i] = UniqueTerms(clean_key_point(text).text);
    return *terms_[i];
  }

 private:
  std::vector<std::optional<Profile>> grams_;
  std::vector<std::optional<std::vector<std::string>>> terms_;
};

// Unmatched existing cards that can continue one draft. Small buckets are
// compared in full; in a large bucket only cards sharing one of the draft's
// rarest terms are tried, which keeps an import of 60,000 cards linear-ish.
class Bucket {
 public:
  static constexpr std::size_t kSmall = 64;
  static constexpr std::size_t kRareTermsTried = 4;
  static constexpr std::size_t kMaxCandidates = 512;

  void Add(std::size_t existing) { members_.push_back(existing); }

  template <typename TermsFn>
  std::vector<std::size_t> Candidates(const std::vector<std::string>& draft_terms,
                                      TermsFn&& terms_of) {
    if (members_.size() <= kSmall) return members_;
    if (!indexed_) {
      for (std::size_t e : members_) {
        for (const std::string& t : terms_of(e)) postings_[t].push_back(e);
      }
      indexed_ = true;
    }
    std::vector<const std::vector<std::size_t>*> lists;
    for (const std::string& t : draft_terms) {
      const auto it = postings_.find(t);
      if (it != postings_.end()) lists.push_back(&it->second);
    }
    std::stable_sort(lists.begin(), lists.end(),
                     [](const auto* x, const auto* y) { return x->size() < y->size(); });
    std::vector<std::size_t> out;
    for (std::size_t k = 0; k < lists.size() && k < kRareTermsTried; ++k) {
      if (out.size() + lists[k]->size() > kMaxCandidates && !out.empty()) break;
      out.insert(out.end(), lists[k]->begin(), lists[k]->end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  std::vector<std::size_t> members_;
  bool indexed_ = false;
  std::unordered_map<std::string, std::vector<std::size_t>> postings_;
};

struct Pair {
  double similarity;
  std::size_t draft;
  std::size_t existing;
};

// Same-topic grouping applies to key-point cards only: a topic card's
// source is the title itself, and checklist and gap cards have no topic.
std::string GroupKey(CardKind kind, const std::string& key, bool by_topic) {
  std::string g(to_string(kind));
  if (by_topic && IsPointKind(kind)) g += "|" + key;
  return g;
}

// One fuzzy phase: candidate pairs at or above `min_similarity` within the
// grouping, then greedy assignment by descending similarity (ties by draft
// then existing index, so the result is deterministic).
void FuzzyPhase(const std::vector<const ExistingCard*>& existing, const std::vector<CardDraft>& drafts,
                bool by_topic, double min_similarity, TextCache& existing_text,
                TextCache& draft_text, std::vector<bool>& existing_used,
                std::vector<long long>& result) {
  std::unordered_map<std::string, Bucket> buckets;
  for (std::size_t e = 0; e < existing.size(); ++e) {
    if (existing_used[e]) continue;
    buckets[GroupKey(existing[e]->kind, existing[e]->topic_key, by_topic)].Add(e);
  }
  if (buckets.empty()) return;
  auto existing_terms = [&](std::size_t e) -> const std::vector<std::string>& {
    return existing_text.TermsOf(e, existing[e]->source);
  };
  std::vector<Pair> pairs;
  for (std::size_t d = 0; d < drafts.size(); ++d) {
    if (result[d] != 0) continue;
    const auto it = buckets.find(GroupKey(drafts[d].kind, drafts[d].topic_key, by_topic));
    if (it == buckets.end()) continue;
    const std::vector<std::size_t> candidates =
        it->second.Candidates(draft_text.TermsOf(d, drafts[d].source), existing_terms);
    for (std::size_t e : candidates) {
      const double s = Similarity(draft_text.ProfileOf(d, drafts[d].source),
                                  existing_text.ProfileOf(e, existing[e]->source));
      if (s >= min_similarity) pairs.push_back({s, d, e});
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) {
    if (x.similarity != y.similarity) return x.similarity > y.similarity;
    if (x.draft != y.draft) return x.draft < y.draft;
    return x.existing < y.existing;
  });
  for (const Pair& p : pairs) {
    if (result[p.draft] != 0 || existing_used[p.existing]) continue;
    result[p.draft] = existing[p.existing]->id;
    existing_used[p.existing] = true;
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Public API

std::string_view to_string(CardKind kind) {
  switch (kind) {
    case CardKind::kDefinition: return "definition";
    case CardKind::kCloze: return "cloze";
    case CardKind::kComparison: return "comparison";
    case CardKind::kChain: return "chain";
    case CardKind::kComplete: return "complete";
    case CardKind::kTopic: return "topic";
    case CardKind::kChecklist: return "checklist";
    case CardKind::kGap: return "gap";
    case CardKind::kEnumeration: return "enumeration";
    case CardKind::kReason: return "reason";
    case CardKind::kMechanism: return "mechanism";
    case CardKind::kProcedure: return "procedure";
    case CardKind::kCaveat: return "caveat";
    case CardKind::kDiscrimination: return "discrimination";
  }
  return "complete";
}

CardKind card_kind_from_string(std::string_view name) {
  for (CardKind kind : {CardKind::kDefinition, CardKind::kCloze, CardKind::kComparison,
                        CardKind::kChain, CardKind::kComplete, CardKind::kTopic,
                        CardKind::kChecklist, CardKind::kGap, CardKind::kEnumeration,
                        CardKind::kReason, CardKind::kMechanism, CardKind::kProcedure,
                        CardKind::kCaveat, CardKind::kDiscrimination}) {
    if (to_string(kind) == name) return kind;
  }
  throw Error::data("unknown card kind '" + std::string(name) + "'");
}

std::string topic_key(std::string_view title) {
  title = trim(title);
  // A label that slipped into the title ("A.8 Evaluation ...") is not part
  // of the topic's identity.
  if (title.size() > 3 && title[0] >= 'A' && title[0] <= 'Z' && title[1] == '.' &&
      is_digit(title[2])) {
    std::size_t i = 2;
    while (i < title.size() && is_digit(title[i])) ++i;
    if (i < title.size() && is_space(title[i])) title = trim(title.substr(i));
  }
  std::string key;
  bool pending_space = false;
  for (std::size_t i = 0; i < title.size();) {
    const std::size_t start = i;
    const char32_t cp = next_code_point(title, i);
    const bool word = cp < 0x80 ? is_ascii_alnum(static_cast<char>(cp)) : !is_separator_code_point(cp);
    if (!word) {
      pending_space = !key.empty();
      continue;
    }
    if (pending_space) key += ' ';
    pending_space = false;
    append_lower(key, title.substr(start, i - start));
  }
  return key;
}

std::vector<std::string> topic_keys(const std::vector<Topic>& topics) {
  std::vector<std::string> keys;
  keys.reserve(topics.size());
  std::unordered_map<std::string, char> first_domain;  // plain key -> its first domain
  for (const Topic& topic : topics) {
    std::string key = topic_key(topic.title);
    const char domain = first_domain.emplace(key, topic.domain_letter).first->second;
    if (domain != topic.domain_letter) key.append(" @").append(1, topic.domain_letter);
    keys.push_back(std::move(key));
  }
  return keys;
}

std::string normalise_source(std::string_view text) {
  return NormaliseCleaned(clean_key_point(text).text);
}

std::string card_identity(CardKind kind, std::string_view topic_key, std::string_view source) {
  switch (kind) {
    case CardKind::kTopic: return MakeIdentity(kind, {"topic|", topic_key});
    case CardKind::kChecklist: return MakeIdentity(kind, {"checklist|", normalise_source(source)});
    case CardKind::kGap: return MakeIdentity(kind, {"gap|", normalise_source(source)});
    default: break;
  }
  // A point's identity is of its text without the review flag, cleaned as
  // make_cards cleans it before building the card.
  const std::string normalised = normalise_source(clean_key_point(source).text);
  return MakeIdentity(kind, {to_string(kind), "|", topic_key, "|", normalised});
}

std::vector<CardDraft> make_cards(const Tracker& tracker,
                                  std::vector<std::vector<std::size_t>>* gap_links) {
  std::vector<CardDraft> cards;
  std::size_t points = 0;
  for (const Topic& topic : tracker.topics) points += topic.key_points.size() + 1;
  cards.reserve(points + tracker.checklist.size() + 2 * tracker.gaps.size());
  const std::vector<std::string> keys = topic_keys(tracker.topics);
  // A topic's point cards, its topic card, then the gap cards of its
  // "Review needed" remarks (they belong to no topic in the deck).
  for (std::size_t t = 0; t < tracker.topics.size(); ++t) {
    const Topic& topic = tracker.topics[t];
    const std::string context = cardgen::context_line(topic);
    std::vector<CleanPoint> cleaned;
    cleaned.reserve(topic.key_points.size());
    for (const std::string& point : topic.key_points) cleaned.push_back(clean_key_point(point));
    const std::size_t first = cards.size();
    std::vector<CardDraft> remarks;
    for (std::size_t p = 0; p < topic.key_points.size(); ++p) {
      if (trim(topic.key_points[p]).empty()) continue;
      auto draft = cardgen::point_draft(topic, keys[t], context, cleaned, p, topic.key_points[p]);
      if (!draft) continue;  // a statement about the learner
      (draft->kind == CardKind::kGap ? remarks : cards).push_back(std::move(*draft));
    }
    const int ideas = static_cast<int>(cards.size() - first);
    for (CardDraft& remark : remarks) {
      cardgen::answer_remark(remark, cards, first, cards.size());
      remark.topic_key.clear();
    }
    cards.push_back(cardgen::topic_draft(topic, keys[t], context, cleaned, ideas));
    cards.insert(cards.end(), std::make_move_iterator(remarks.begin()),
                 std::make_move_iterator(remarks.end()));
  }

  const TermIndex index(cards);
  std::vector<CardDraft> extra;
  for (const ChecklistItem& item : tracker.checklist) {
    if (trim(item.text).empty()) continue;
    extra.push_back(cardgen::checklist_draft(tracker, item, index, cards));
  }
  // Every open gap is drilled: its own card, and for a recurring one a
  // discrimination card; the cards it concerns are tagged "gap-linked".
  if (gap_links) gap_links->assign(tracker.gaps.size(), {});
  for (std::size_t g = 0; g < tracker.gaps.size(); ++g) {
    const Gap& gap = tracker.gaps[g];
    if (gap.tier == GapTier::kResolved || trim(gap.text).empty()) continue;
    const std::vector<std::size_t> links = index.Query(gap.text);
    if (gap_links) (*gap_links)[g] = links;
    std::vector<const CardDraft*> related;
    for (std::size_t i : links) {
      if (cards[i].kind != CardKind::kTopic) related.push_back(&cards[i]);
    }
    for (std::size_t i : links) {
      std::vector<std::string>& tags = cards[i].tags;
      if (std::find(tags.begin(), tags.end(), "gap-linked") == tags.end()) tags.push_back("gap-linked");
    }
    extra.push_back(cardgen::gap_draft(gap, related));
    if (gap.recurring) {
      if (auto d = cardgen::discrimination_draft(gap, related)) extra.push_back(std::move(*d));
    }
  }
  cards.insert(cards.end(), std::make_move_iterator(extra.begin()),
               std::make_move_iterator(extra.end()));

  for (std::size_t i = 0; i < cards.size(); ++i) cards[i].order = static_cast<int>(i);
  MakeIdentitiesUnique(cards);
  return cards;
}

std::vector<std::size_t> cards_for_gap(const Gap& gap, const std::vector<CardDraft>& cards) {
  return TermIndex(cards).Query(gap.text);
}

std::vector<std::vector<std::size_t>> cards_for_gaps(const std::vector<Gap>& gaps,
                                                     const std::vector<CardDraft>& cards) {
  std::vector<std::vector<std::size_t>> links(gaps.size());
  if (gaps.empty()) return links;
  const TermIndex index(cards);
  for (std::size_t i = 0; i < gaps.size(); ++i) links[i] = index.Query(gaps[i].text);
  return links;
}

double text_similarity(std::string_view a, std::string_view b) {
  return Similarity(MakeProfile(a), MakeProfile(b));
}

std::vector<long long> match_cards(const std::vector<ExistingCard>& existing,
                                   const std::vector<CardDraft>& drafts) {
  std::vector<const ExistingCard*> pointers;
  pointers.reserve(existing.size());
  for (const ExistingCard& card : existing) pointers.push_back(&card);
  return match_cards(pointers, drafts);
}

std::vector<long long> match_cards(const std::vector<const ExistingCard*>& existing,
                                   const std::vector<CardDraft>& drafts) {
  std::vector<long long> result(drafts.size(), 0);
  std::vector<bool> existing_used(existing.size(), false);

  // 1. Exact identity: O(n) through a hash map.
  std::unordered_map<std::string_view, std::size_t> by_identity;
  by_identity.reserve(existing.size() * 2);
  for (std::size_t e = 0; e < existing.size(); ++e) by_identity.emplace(existing[e]->identity, e);
  std::size_t unmatched_drafts = 0;
  for (std::size_t d = 0; d < drafts.size(); ++d) {
    const auto it = by_identity.find(drafts[d].identity);
    if (it == by_identity.end() || existing_used[it->second]) {
      ++unmatched_drafts;
      continue;
    }
    result[d] = existing[it->second]->id;
    existing_used[it->second] = true;
  }
  // Nothing left on one side: the fuzzy phases would find no pair.
  if (unmatched_drafts == 0 || std::count(existing_used.begin(), existing_used.end(), false) == 0)
    return result;

  // 2. Small edits within a topic; 3. a retitled topic (near-identical text).
  TextCache existing_text(existing.size());
  TextCache draft_text(drafts.size());
  FuzzyPhase(existing, drafts, /*by_topic=*/true, kSameCardSimilarity, existing_text, draft_text,
             existing_used, result);
  FuzzyPhase(existing, drafts, /*by_topic=*/false, kRetitledSimilarity, existing_text,
             draft_text, existing_used, result);
  return result;
}

}  // namespace recall
