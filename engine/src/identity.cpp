// Card identity and matching; the rule is described in recall/identity.h.
//
// Everything here is a hand-written scanner (no std::regex): imports of
// 60,000 points must stay linear.

#include "recall/identity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>

#include "recall/text.h"

namespace recall {
namespace {

// Text helpers: recall/text.h (the one set the card rules use too).

// Operators are kept in a normalised text (and separate its words).
constexpr std::string_view kOperators = "+-*/=^<>()_";
constexpr std::string_view kWordBreaks = " +-*/=^<>()_";

bool is_word_break(char c) { return kWordBreaks.find(c) != std::string_view::npos; }

// kOperators.find(c) != npos, without a search per byte.
bool is_operator(char c) {
  static constexpr auto kTable = [] {
    std::array<bool, 256> table{};
    for (char op : kOperators) table[static_cast<unsigned char>(op)] = true;
    return table;
  }();
  return kTable[static_cast<unsigned char>(c)];
}

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;

// `h` continues the hash of what came before: hashing "ab" in two calls
// equals one call.
std::uint64_t fnv1a64(std::string_view s, std::uint64_t h = kFnvOffset) {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// "<prefix>:<hex>" of the key made of `parts` joined (without building it).
std::string make_identity(std::string_view prefix, std::initializer_list<std::string_view> parts) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t h = kFnvOffset;
  for (std::string_view part : parts) h = fnv1a64(part, h);
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = kHex[h & 0xF];
  return std::string(prefix) + ":" + hex;
}

std::string_view role_name(IdentityRole role) {
  switch (role) {
    case IdentityRole::kPoint:
      return "point";
    case IdentityRole::kTopic:
      return "topic";
    case IdentityRole::kChecklist:
      return "checklist";
    case IdentityRole::kGap:
      return "gap";
  }
  return "point";
}

// normalise_source() of a text clean_key_point already returned.
std::string normalise_cleaned(std::string_view clean) {
  std::string out;
  out.reserve(clean.size());  // never longer: a space stands for at least one dropped byte
  bool pending_space = false;
  bool after_operator = false;
  for (std::size_t i = 0; i < clean.size();) {
    const std::size_t start = i;
    const char32_t cp = next_code_point(clean, i);
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      const bool decimal_point = c == '.' && !out.empty() && is_digit(out.back()) &&
                                 i < clean.size() && is_digit(clean[i]);
      if (is_operator(c)) {
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
    if (cp < 0x80)
      out += to_lower(static_cast<char>(cp));
    else
      out.append(clean.substr(start, i - start));  // bytes of a non-ASCII character, as they are
  }
  return out;
}

// The words of a normalised text (views of it), in order.
std::vector<std::string_view> words_of(std::string_view norm) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= norm.size(); ++i) {
    if (i < norm.size() && !is_word_break(norm[i])) continue;
    if (i > start) words.push_back(norm.substr(start, i - start));
    start = i + 1;
  }
  return words;
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

Profile make_profile(std::string_view norm) {
  Profile p;
  std::vector<char32_t> cps{U' '};
  for (std::size_t i = 0; i < norm.size();) cps.push_back(next_code_point(norm, i));
  cps.push_back(U' ');
  for (std::size_t i = 0; i + 2 < cps.size(); ++i) {
    p.trigrams.push_back((std::uint64_t(cps[i] & 0x1FFFFF) << 42) |
                         (std::uint64_t(cps[i + 1] & 0x1FFFFF) << 21) | (cps[i + 2] & 0x1FFFFF));
  }
  for (std::string_view word : words_of(norm)) p.words.push_back(fnv1a64(word));
  std::sort(p.trigrams.begin(), p.trigrams.end());
  std::sort(p.words.begin(), p.words.end());
  return p;
}

double dice(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
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

double similarity(const Profile& a, const Profile& b) {
  return (dice(a.trigrams, b.trigrams) + dice(a.words, b.words)) / 2.0;
}

// Where `old_norm` occurs in `new_norm` starting at `at`, on word boundaries.
bool occurs_at(std::string_view new_norm, std::string_view old_norm, std::size_t at) {
  if (new_norm.compare(at, old_norm.size(), old_norm) != 0) return false;
  const std::size_t end = at + old_norm.size();
  const bool left = at == 0 || is_word_break(new_norm[at - 1]) || is_word_break(old_norm.front());
  const bool right =
      end == new_norm.size() || is_word_break(new_norm[end]) || is_word_break(old_norm.back());
  return left && right;
}

// ---------------------------------------------------------------------------
// Matching

// The normalised text, its profile and its distinct words of one side of the
// matching, each computed when first asked.
class TextCache {
 public:
  explicit TextCache(std::size_t n) : norms_(n), grams_(n), terms_(n) {}
  const std::string& norm_of(std::size_t i, std::string_view text) {
    if (!norms_[i]) norms_[i] = normalise_source(text);
    return *norms_[i];
  }
  const Profile& profile_of(std::size_t i, std::string_view text) {
    if (!grams_[i]) grams_[i] = make_profile(norm_of(i, text));
    return *grams_[i];
  }
  const std::vector<std::string>& terms_of(std::size_t i, std::string_view text) {
    if (!terms_[i]) {
      std::vector<std::string> terms;
      for (std::string_view w : words_of(norm_of(i, text))) terms.emplace_back(w);
      std::sort(terms.begin(), terms.end());
      terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
      terms_[i] = std::move(terms);
    }
    return *terms_[i];
  }

 private:
  std::vector<std::optional<std::string>> norms_;
  std::vector<std::optional<Profile>> grams_;
  std::vector<std::optional<std::vector<std::string>>> terms_;
};

// Unmatched existing cards that can continue one draft. Small buckets are
// compared in full; in a large bucket only cards sharing one of the draft's
// rarest words are tried, which keeps an import of 60,000 cards linear-ish.
class Bucket {
 public:
  static constexpr std::size_t kSmall = 64;
  static constexpr std::size_t kRareTermsTried = 4;
  static constexpr std::size_t kMaxCandidates = 512;

  void add(std::size_t existing) { members_.push_back(existing); }

  template <typename TermsFn>
  std::vector<std::size_t> candidates(const std::vector<std::string>& draft_terms,
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

// The role always groups; the topic only for key-point cards (a topic card's
// source is the title itself, and checklist and gap cards have no topic).
std::string group_key(CardKind kind, const std::string& key, bool by_topic) {
  const IdentityRole role = identity_role(kind);
  std::string g(role_name(role));
  if (by_topic && role == IdentityRole::kPoint) g += "|" + key;
  return g;
}

// Everything a phase reads and moves.
struct Matching {
  const std::vector<const ExistingCard*>& existing;
  const std::vector<CardDraft>& drafts;
  TextCache existing_text;
  TextCache draft_text;
  std::vector<bool> existing_used;
  std::vector<long long> result;

  Matching(const std::vector<const ExistingCard*>& e, const std::vector<CardDraft>& d)
      : existing(e),
        drafts(d),
        existing_text(e.size()),
        draft_text(d.size()),
        existing_used(e.size(), false),
        result(d.size(), 0) {}

  void take(std::size_t d, std::size_t e) {
    result[d] = existing[e]->id;
    existing_used[e] = true;
  }
  bool any_left() const {
    return std::count(result.begin(), result.end(), 0) > 0 &&
           std::count(existing_used.begin(), existing_used.end(), false) > 0;
  }
};

// Greedy assignment by descending similarity (ties by draft then existing
// index, so the result is deterministic).
void assign(Matching& m, std::vector<Pair>& pairs) {
  std::sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) {
    if (x.similarity != y.similarity) return x.similarity > y.similarity;
    if (x.draft != y.draft) return x.draft < y.draft;
    return x.existing < y.existing;
  });
  for (const Pair& p : pairs) {
    if (m.result[p.draft] != 0 || m.existing_used[p.existing]) continue;
    m.take(p.draft, p.existing);
  }
}

// Phase 1: exact identity, through a hash map.
void exact_phase(Matching& m) {
  std::unordered_map<std::string_view, std::size_t> by_identity;
  by_identity.reserve(m.existing.size() * 2);
  for (std::size_t e = 0; e < m.existing.size(); ++e)
    by_identity.emplace(m.existing[e]->identity, e);
  for (std::size_t d = 0; d < m.drafts.size(); ++d) {
    const auto it = by_identity.find(m.drafts[d].identity);
    if (it != by_identity.end() && !m.existing_used[it->second]) m.take(d, it->second);
  }
}

// "#N" at the end of an identity (a repeat), or "".
std::string_view repeat_suffix(std::string_view identity) {
  const std::size_t hash = identity.rfind('#');
  return hash == std::string_view::npos ? std::string_view() : identity.substr(hash);
}

// Phase 2: an existing card's identity as the current rule gives it. A card
// of an older rule (its kind hashed in) meets its draft here, whatever kind
// the draft has now; the import then stores the draft's identity.
void rekeyed_phase(Matching& m) {
  std::unordered_map<std::string, std::size_t> by_key;
  for (std::size_t e = 0; e < m.existing.size(); ++e) {
    if (m.existing_used[e]) continue;
    const ExistingCard& card = *m.existing[e];
    if (card.identity.rfind("manual|", 0) == 0) continue;  // added by hand: no rule made it
    std::string key = card_identity(card.kind, card.topic_key, card.source);
    key += repeat_suffix(card.identity);
    by_key.emplace(std::move(key), e);  // the first (oldest) card of a key wins
  }
  for (std::size_t d = 0; d < m.drafts.size() && !by_key.empty(); ++d) {
    if (m.result[d] != 0) continue;
    const auto it = by_key.find(m.drafts[d].identity);
    if (it == by_key.end() || m.existing_used[it->second]) continue;
    m.take(d, it->second);
    by_key.erase(it);
  }
}

// Phase 3: the old text survives whole in the new one, words only added
// (the tutor's "Handle data drift scenarios" -> "Handle data drift scenarios
// (covariate, label, concept drift)"). Existing texts are looked up by their
// first word at each word start of the draft, so the phase stays linear.
void grown_phase(Matching& m) {
  // group -> first word -> existing cards
  std::unordered_map<std::string, std::unordered_map<std::string_view, std::vector<std::size_t>>>
      groups;
  for (std::size_t e = 0; e < m.existing.size(); ++e) {
    if (m.existing_used[e]) continue;
    const ExistingCard& card = *m.existing[e];
    const std::string& norm = m.existing_text.norm_of(e, card.source);
    const std::vector<std::string_view> words = words_of(norm);
    if (words.size() < 2) continue;  // one word is too little to tell
    groups[group_key(card.kind, card.topic_key, true)][words.front()].push_back(e);
  }
  if (groups.empty()) return;
  std::vector<Pair> pairs;
  for (std::size_t d = 0; d < m.drafts.size(); ++d) {
    if (m.result[d] != 0) continue;
    const auto group = groups.find(group_key(m.drafts[d].kind, m.drafts[d].topic_key, true));
    if (group == groups.end()) continue;
    const std::string& norm = m.draft_text.norm_of(d, m.drafts[d].source);
    for (std::string_view word : words_of(norm)) {
      const auto found = group->second.find(word);
      if (found == group->second.end()) continue;
      const auto at = static_cast<std::size_t>(word.data() - norm.data());
      for (std::size_t e : found->second) {
        const std::string& old_norm = m.existing_text.norm_of(e, m.existing[e]->source);
        if (old_norm.size() >= norm.size() || !occurs_at(norm, old_norm, at)) continue;
        // The more of the new text the old one is, the likelier the pair.
        pairs.push_back({double(old_norm.size()) / double(norm.size()), d, e});
      }
    }
  }
  assign(m, pairs);
}

// Phases 4 and 5: candidate pairs at or above `min_similarity` within the
// grouping.
void fuzzy_phase(Matching& m, bool by_topic, double min_similarity) {
  std::unordered_map<std::string, Bucket> buckets;
  for (std::size_t e = 0; e < m.existing.size(); ++e) {
    if (m.existing_used[e]) continue;
    buckets[group_key(m.existing[e]->kind, m.existing[e]->topic_key, by_topic)].add(e);
  }
  if (buckets.empty()) return;
  auto existing_terms = [&](std::size_t e) -> const std::vector<std::string>& {
    return m.existing_text.terms_of(e, m.existing[e]->source);
  };
  std::vector<Pair> pairs;
  for (std::size_t d = 0; d < m.drafts.size(); ++d) {
    if (m.result[d] != 0) continue;
    const auto it = buckets.find(group_key(m.drafts[d].kind, m.drafts[d].topic_key, by_topic));
    if (it == buckets.end()) continue;
    const std::vector<std::size_t> candidates =
        it->second.candidates(m.draft_text.terms_of(d, m.drafts[d].source), existing_terms);
    for (std::size_t e : candidates) {
      const double s = similarity(m.draft_text.profile_of(d, m.drafts[d].source),
                                  m.existing_text.profile_of(e, m.existing[e]->source));
      if (s >= min_similarity) pairs.push_back({s, d, e});
    }
  }
  assign(m, pairs);
}

}  // namespace

// ---------------------------------------------------------------------------
// Public API

IdentityRole identity_role(CardKind kind) {
  switch (kind) {
    case CardKind::kTopic:
      return IdentityRole::kTopic;
    case CardKind::kChecklist:
      return IdentityRole::kChecklist;
    case CardKind::kGap:
      return IdentityRole::kGap;
    default:
      return IdentityRole::kPoint;
  }
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
    const bool word =
        cp < 0x80 ? is_ascii_alnum(static_cast<char>(cp)) : !is_separator_code_point(cp);
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

CleanedPoint clean_key_point(std::string_view raw) {
  static constexpr std::string_view kWarning = "⚠";
  static constexpr std::string_view kEmojiSelector = "\xEF\xB8\x8F";
  CleanedPoint clean;
  std::string_view text = trim(raw);
  if (text.substr(0, kWarning.size()) == kWarning) {
    clean.flagged = true;
    text.remove_prefix(kWarning.size());
    if (text.substr(0, kEmojiSelector.size()) == kEmojiSelector)
      text.remove_prefix(kEmojiSelector.size());
    text = trim(text);
    // "Review needed: …", also in bold: "**Review needed:** …".
    std::string_view label = text;
    std::size_t marks = 0;
    while (marks < label.size() && marks < 2 && (label[marks] == '*' || label[marks] == '_')) ++marks;
    label.remove_prefix(marks);
    for (std::string_view prefix : {"Review needed:", "Needs review:", "Review:"}) {
      if (starts_with_no_case(label, prefix) && label.size() > prefix.size()) {
        std::string_view rest = label.substr(prefix.size());
        if (marks > 0 && rest.substr(0, marks) == text.substr(0, marks)) rest.remove_prefix(marks);
        rest = trim(rest);
        if (rest.empty()) break;
        text = rest;
        clean.remark = true;
        break;
      }
    }
  }
  clean.text = text;
  return clean;
}

std::string normalise_source(std::string_view text) {
  return normalise_cleaned(clean_key_point(text).text);
}

std::string card_identity(IdentityRole role, std::string_view topic_key, std::string_view source,
                          std::string_view facet) {
  const std::string_view name = role_name(role);
  const std::string_view bar = facet.empty() ? "" : "|";
  switch (role) {
    // Topic, checklist and gap keys are the ones of the kind-hashed rule
    // (their kind was their role): such cards keep their stored identity.
    case IdentityRole::kTopic:
      return make_identity(name, {"topic|", topic_key, bar, facet});
    case IdentityRole::kChecklist:
      return make_identity(name, {"checklist|", normalise_source(source), bar, facet});
    case IdentityRole::kGap:
      return make_identity(name, {"gap|", normalise_source(source), bar, facet});
    case IdentityRole::kPoint:
      break;
  }
  // A point's identity is of its text without the review flag, cleaned as
  // make_cards cleans it before building the card.
  const std::string normalised = normalise_source(clean_key_point(source).text);
  return make_identity(name, {"point|", topic_key, "|", normalised, bar, facet});
}

std::string card_identity(CardKind kind, std::string_view topic_key, std::string_view source) {
  return card_identity(identity_role(kind), topic_key, source);
}

std::string legacy_card_identity(CardKind kind, std::string_view topic_key,
                                 std::string_view source) {
  const IdentityRole role = identity_role(kind);
  if (role != IdentityRole::kPoint) return card_identity(role, topic_key, source);
  const std::string normalised = normalise_source(clean_key_point(source).text);
  const std::string_view name = to_string(kind);
  return make_identity(name, {name, "|", topic_key, "|", normalised});
}

void make_identities_unique(std::vector<CardDraft>& cards) {
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

double text_similarity(std::string_view a, std::string_view b) {
  return similarity(make_profile(normalise_source(a)), make_profile(normalise_source(b)));
}

bool only_words_added(std::string_view old_text, std::string_view new_text) {
  const std::string old_norm = normalise_source(old_text), new_norm = normalise_source(new_text);
  if (words_of(old_norm).size() < 2 || old_norm.size() >= new_norm.size()) return false;
  for (std::string_view word : words_of(new_norm)) {
    if (occurs_at(new_norm, old_norm, static_cast<std::size_t>(word.data() - new_norm.data())))
      return true;
  }
  return false;
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
  Matching m(existing, drafts);
  exact_phase(m);
  if (m.any_left()) rekeyed_phase(m);
  if (m.any_left()) grown_phase(m);
  if (m.any_left()) fuzzy_phase(m, /*by_topic=*/true, kSameCardSimilarity);
  if (m.any_left()) fuzzy_phase(m, /*by_topic=*/false, kRetitledSimilarity);
  return std::move(m.result);
}

}  // namespace recall
