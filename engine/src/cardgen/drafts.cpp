#include "cardgen/drafts.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "recall/text.h"

namespace recall::cardgen {
namespace {

std::string with_context(const std::string& context, std::string_view text) {
  std::string out;
  out.reserve(context.size() + 1 + text.size());
  out.append(context).append(1, '\n').append(text);
  return out;
}

void set_topic(CardDraft& d, const Topic& topic, const std::string& key) {
  d.topic_key = key;
  d.topic_label = topic.label;
  d.topic_title = topic.title;
  d.domain_letter = topic.domain_letter;
}

// Significant words of a domain or group name ("ML", "&" and such dropped).
std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> words;
  for (std::string_view w : split_words(name)) {
    std::string low = lower(w);
    while (!low.empty() && !is_ascii_alnum(low.back())) low.pop_back();
    if (low.size() >= 2 && low != "ml" && low != "and") words.push_back(low);
  }
  return words;
}

// Checklist groups ("Fundamentals", "System Design") name domains loosely:
// the domain whose name holds every word of the group ("A. ML Fundamentals").
const Domain* domain_for_group(const Tracker& tracker, std::string_view group) {
  const std::vector<std::string> words = name_words(group);
  if (words.empty()) return nullptr;
  const Domain* best = nullptr;
  std::size_t best_extra = 0;
  for (const Domain& d : tracker.domains) {
    const std::vector<std::string> name = name_words(d.name);
    bool all = true;
    for (const std::string& w : words)
      all = all && std::find(name.begin(), name.end(), w) != name.end();
    if (!all) continue;
    const std::size_t extra = name.size() - std::min(name.size(), words.size());
    if (!best || extra < best_extra) best = &d, best_extra = extra;
  }
  return best;
}

// How many terms two unique_terms() lists share.
std::size_t shared_terms(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t n = 0;
  for (const std::string& t : a) n += std::binary_search(b.begin(), b.end(), t);
  return n;
}

// "Compare L1 vs L2 regularization (L2 covered in logistic regression)" ->
// "L1 vs L2 regularization": the tutor's asides point at where it was
// covered, not at what it is.
std::string_view item_subject(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.back() == ')') {
    const std::size_t open = find_matching_open(text, text.size() - 1);
    if (open != std::string_view::npos && open > 0) text = trim(text.substr(0, open));
  }
  return text;
}

// "Compare AUC-ROC vs AUC-PR for imbalanced data" -> "Compare AUC-ROC vs
// AUC-PR": what the item asks about, before a qualifying phrase ("for ...",
// "in ...", "with ..."). Empty when there is no qualifier.
std::string_view item_head(std::string_view subject) {
  std::size_t cut = std::string_view::npos;
  for (std::string_view q : {" for ", " in ", " with ", " on ", " from ", " under "}) {
    const std::vector<std::size_t> at = find_top_level(subject, q);
    if (!at.empty() && at.front() > 0) cut = std::min(cut, at.front());
  }
  return cut == std::string_view::npos ? std::string_view() : trim(subject.substr(0, cut));
}

// The names an item asks about ("AUC-PR", "L1", "CLIP", "REINFORCE"): a
// capital or a digit after the first letter, or an all-capital word.
std::vector<std::string> item_names(std::string_view text) {
  std::vector<std::string> names;
  for (std::string_view w : split_words(text)) {
    while (!w.empty() && std::string_view("(),.;:\"'").find(w.front()) != std::string_view::npos)
      w.remove_prefix(1);
    while (!w.empty() && std::string_view("(),.;:\"'").find(w.back()) != std::string_view::npos)
      w.remove_suffix(1);
    if (w.size() >= 2 && is_ascii_alnum(w.front()) && has_inner_capital_or_digit(w))
      names.emplace_back(w);
  }
  return names;
}

}  // namespace

void set_quality(CardDraft& draft, std::string reason) {
  draft.quality = reason.empty() ? "ok" : "review";
  draft.quality_reason = std::move(reason);
}

std::string context_line(const Topic& topic) {
  std::string line = "[";
  if (!topic.label.empty()) line += topic.label + " ";
  line += topic.title;
  if (topic.domain_letter != '?' || !topic.domain_name.empty()) {
    line += " · ";
    if (topic.domain_letter != '?') line += std::string(1, topic.domain_letter) + ". ";
    line += topic.domain_name;
  }
  return std::string(trim(line)) + "]";
}

CardDraft topic_entry(const Topic& topic, const std::string& key) {
  CardDraft d;
  d.kind = CardKind::kTopic;
  set_topic(d, topic, key);
  d.source = topic.title;
  return d;
}

std::vector<std::string> subject_contexts(const std::string& context,
                                          std::vector<CleanPoint>& points) {
  std::vector<std::string> contexts(points.size(), context);
  std::vector<std::optional<ColonSplit>> splits(points.size());
  std::unordered_map<std::string, int> count;
  for (std::size_t p = 0; p < points.size(); ++p) {
    if (points[p].remark) continue;
    splits[p] = split_colon_term(points[p].text);
    if (splits[p]) ++count[lower(splits[p]->term)];
  }
  for (std::size_t p = 0; p < points.size(); ++p) {
    // Not a point of two labelled parts ("Post-LN: …; Pre-LN: …"), nor one
    // whose rest alone reads as a remark on the learner ("needs warmup …").
    if (!splits[p] || count[lower(splits[p]->term)] < 2 || split_colon_term(splits[p]->rest) ||
        is_learner_statement(read_point(splits[p]->rest)))
      continue;
    contexts[p] = context.substr(0, context.size() - 1) + " \xC2\xB7 " +
                  std::string(splits[p]->term) + "]";
    points[p].text = splits[p]->rest;
  }
  return contexts;
}

std::optional<CardDraft> point_draft(const Topic& topic, const std::string& key,
                                     const std::string& context,
                                     const std::vector<CleanPoint>& points,
                                     const TopicReading& read, std::size_t p,
                                     const std::string& raw) {
  const CleanPoint& clean = points[p];
  if (clean.remark) {
    Gap gap;
    gap.text = std::string(clean.text);
    CardDraft d = gap_draft(gap, {});
    d.source = raw;
    d.identity = card_identity(d.kind, "", d.source);
    d.domain_letter = topic.domain_letter;
    d.drills_topic_key = key;  // filed under the topic it sits in; no topic in its identity
    const std::string gap_context = "[Knowledge gap · " + context.substr(1);
    d.front = gap_context + d.front.substr(d.front.find('\n'));
    d.back = gap_context + d.back.substr(d.back.find('\n'));
    d.tags = {"gap", "review"};
    d.rule = "gap/remark";
    return d;
  }
  // A point with no text (a bare "⚠️") is not among the read ones.
  const PointReading* listed = read.point(p);
  const PointReading unlisted = listed ? PointReading{} : read_point(clean.text);
  const PointReading& reading = listed ? *listed : unlisted;
  if (is_learner_statement(reading)) return std::nullopt;
  PointContext ctx(reading, read, std::span(read.points).first(read.at[p]));
  ctx.context_line = context;  // the topic's, or with the point's subject
  Built built = build_point_card(ctx);
  CardDraft d;
  d.kind = built.kind;
  set_topic(d, topic, key);
  d.source = raw;
  d.identity = card_identity(d.kind, d.topic_key, d.source);
  d.front = with_context(context, built.question);
  d.back = with_context(context, built.back);
  for (std::size_t i = 0; i < built.hidden.size(); ++i) {
    if (i > 0) d.answer += ", ";
    d.answer += built.hidden[i];
  }
  if (d.answer.empty()) d.answer = built.back;
  if (clean.flagged) d.tags.push_back("review");
  d.rule = built.rule;
  set_quality(d, built.quality_reason);
  return d;
}

void answer_remark(CardDraft& remark, const std::vector<CardDraft>& cards, std::size_t begin,
                   const TopicReading& read, const std::vector<std::size_t>& ideas) {
  const std::string_view text = clean_key_point(remark.source).text;
  std::vector<const CardDraft*> related;
  for (std::string_view part : split_top_level(text, ", ")) {
    std::string head = lower(split_words(part).front());
    for (std::size_t k = 0; k < ideas.size(); ++k) {
      const std::size_t i = begin + k;
      const PointReading* point = read.point(ideas[k]);  // nullptr: no text, no words
      if (!point || point->words.empty()) continue;
      const std::vector<std::string_view>& words = point->words;
      std::string first = lower(words.front());
      while (!first.empty() && !is_ascii_alnum(first.back())) first.pop_back();
      if (first == head && std::find(related.begin(), related.end(), &cards[i]) == related.end()) {
        related.push_back(&cards[i]);
        break;
      }
    }
  }
  if (related.empty()) return;
  Gap gap;
  gap.text = std::string(text);
  const CardDraft with = gap_draft(gap, related);
  const std::string context = remark.front.substr(0, remark.front.find('\n'));
  remark.answer = with.answer;
  remark.back = context + "\n" + with.answer;
  remark.quality = with.quality;
  remark.quality_reason = with.quality_reason;
}

constexpr std::size_t kMaxRelatedPoints = 8;

// "Derive the finite-H realizable PAC bound", "Prove that ...": a task whose
// answer is a derivation the tracker's points can hold.
static bool asks_derivation(std::string_view item) {
  const std::vector<std::string_view> words = split_words(trim(item));
  return !words.empty() && (equals_no_case(words.front(), "derive") ||
                            equals_no_case(words.front(), "prove"));
}

std::optional<CardDraft> checklist_draft(
    const Tracker& tracker, const ChecklistItem& item, const TermIndex& index,
    const std::vector<CardDraft>& cards, const TermIndex& titles,
    const std::vector<CardDraft>& topics,
    const std::vector<std::pair<std::size_t, std::size_t>>& ranges) {
  // Read strictly, a checklist card is GOOD only as "Derive X" with the
  // derivation on the back (2 of 45 read): "Explain / Describe / Compare X"
  // with a list of points is an essay prompt (REWORD), and an item with no
  // answer in the tracker is DROP. Any other item makes no card; its
  // knowledge is in its topic's point cards.
  if (!asks_derivation(item.text)) return std::nullopt;
  CardDraft d;
  d.kind = CardKind::kChecklist;
  d.source = item.text;
  const Domain* domain = domain_for_group(tracker, item.group);
  d.domain_letter = domain ? domain->letter : '?';
  d.identity = card_identity(d.kind, "", d.source);
  d.tags.push_back("checklist");
  std::string context = "[Checklist]";
  if (domain)
    context = "[Checklist · " + std::string(1, domain->letter) + ". " + domain->name + "]";
  else if (!item.group.empty())
    context = "[Checklist · " + item.group + "]";
  d.front = with_context(context, trim(item.text));
  // Related material by topic: a point or title must share at least half of
  // the item's own terms (two at least), so "precision, recall, F1" does not
  // reach a semantic-cache line that mentions precision and recall.
  const std::string_view subject = item_subject(item.text);
  // With a qualifier, a related point must share a term with the head: the
  // topic "Handling Imbalanced Data" does not answer "Compare AUC-ROC vs
  // AUC-PR for imbalanced data".
  const std::string_view head = item_head(subject);
  const std::vector<std::string> subject_terms = unique_terms(subject);
  const std::vector<std::string> head_terms = unique_terms(head);
  const std::size_t own = subject_terms.size();
  const std::size_t needed = std::max<std::size_t>(std::min<std::size_t>(2, own), (own + 1) / 2);
  // A topic whose title the item names gives all its points: a derivation
  // is told in one topic, so points of other topics that share a word
  // ("Weighted cross-entropy" for the softmax gradient) would only pad it.
  std::vector<std::size_t> related_points;
  for (std::size_t t : titles.query(subject)) {
    const std::vector<std::string> terms = unique_terms(topics[t].topic_title);
    if (shared_terms(subject_terms, terms) < std::min<std::size_t>(2, terms.size())) continue;
    if (!head.empty() && shared_terms(head_terms, terms) == 0) continue;
    for (std::size_t i = ranges[t].first; i < ranges[t].second; ++i) related_points.push_back(i);
  }
  // Otherwise the points that share at least half the item's terms.
  if (related_points.empty())
    for (std::size_t link : index.query(subject)) {
      const std::vector<std::string> terms = unique_terms(clean_key_point(cards[link].source).text);
      if (shared_terms(subject_terms, terms) < needed) continue;
      if (!head.empty() && shared_terms(head_terms, terms) == 0) continue;
      related_points.push_back(link);
    }
  std::string related;
  std::unordered_set<std::size_t> listed;
  for (std::size_t i : related_points) {
    if (listed.size() == kMaxRelatedPoints || !listed.insert(i).second) continue;
    related.append("\n• ").append(clean_key_point(cards[i].source).text);
  }
  // Every name the item asks about must be in what answers it: "Compare L1
  // vs L2" answered with L2 points alone is half an answer.
  std::string missing;
  if (!related.empty()) {
    // The related points and the titles of their topics ("Evaluation
    // Metrics - AUC-ROC" names what its points are about).
    // A hyphen is a space here: "finite-H" is named by "finite H".
    const auto spaced = [](std::string text) {
      std::replace(text.begin(), text.end(), '-', ' ');
      return lower(text);
    };
    std::string low = spaced(related);
    for (std::size_t i : related_points) low += "\n" + spaced(cards[i].topic_title);
    for (const std::string& name : item_names(head.empty() ? subject : head)) {
      if (low.find(spaced(name)) != std::string::npos) continue;
      missing += (missing.empty() ? "" : ", ") + name;
    }
  }
  // No answer in the tracker, or none on a name the item asks about: no card.
  if (related.empty() || !missing.empty()) return std::nullopt;
  // Filed under the topic of the first point it lists, in that topic's domain.
  const CardDraft& first = cards[related_points.front()];
  d.drills_topic_key = filed_topic_key(first);
  d.domain_letter = first.domain_letter;
  d.answer = related.substr(1);  // the points, one "• " line each
  d.rule = "checklist/derive";
  set_quality(d, "");
  d.back = with_context(context, d.answer);
  return d;
}

CardDraft gap_draft(const Gap& gap, const std::vector<const CardDraft*>& related) {
  CardDraft d;
  d.kind = CardKind::kGap;
  d.source = gap.text;
  d.identity = card_identity(d.kind, "", d.source);
  d.tags.push_back("gap");
  if (!related.empty()) {
    d.domain_letter = related.front()->domain_letter;
    d.drills_topic_key = filed_topic_key(*related.front());
  }
  const std::string context = gap.tier == GapTier::kHigh ? "[Knowledge gap · High priority]"
                                                         : "[Knowledge gap · Medium priority]";
  // The gap's words without markdown emphasis ("**MAF vs IAF**").
  const std::string words = without_session_asides(without_emphasis(gap.text));
  // A remark may name several things: "BatchNorm placement (before
  // activation), RMSNorm details" asks about each. A gap told in sentences,
  // or with a subject before a colon, is one thing, whatever its commas.
  const std::vector<std::string_view> parts = split_top_level(trim(words), ", ");
  const bool several = parts.size() > 1 && parts.size() <= 3 &&
                       words.find(" (") != std::string::npos &&
                       find_top_level(words, ". ").empty() && !split_colon_term(words);
  std::vector<GapQuestion> questions;
  if (several) {
    for (std::string_view part : parts) questions.push_back(gap_question(part));
  } else {
    questions.push_back(gap_question(words));
  }
  // A question the gap's own text does not answer is answered by the key
  // point the gap links to best; of several parts ("BatchNorm placement
  // (...), RMSNorm details"), each by the point that opens with its word.
  const auto first_word = [](std::string_view text) {
    const std::vector<std::string_view> words = split_words(text);
    std::string w = words.empty() ? "" : lower(words.front());
    while (!w.empty() && !is_ascii_alnum(w.back())) w.pop_back();
    return w;
  };
  for (std::size_t i = 0; i < questions.size() && !related.empty(); ++i) {
    // A practice prompt asks for practice: no key point answers it.
    if (!questions[i].answer.empty() || questions[i].rule == "gap/practice") continue;
    // The best linked point that opens with `word` (any point when
    // nullopt). A "⚠️ Review needed" remark is itself a gap, not an answer
    // ("write AIPW from memory …" answered "Explain AIPW precisely").
    const auto answering = [&](const std::optional<std::string>& word) -> const CardDraft* {
      for (const CardDraft* card : related)
        if (card->kind != CardKind::kGap &&
            (!word || first_word(clean_key_point(card->source).text) == *word))
          return card;
      return nullptr;
    };
    // Of several parts, the point that opens with the part's word; of one
    // question, the point that names the gap's first word ("CQL
    // regularizer: …" is answered by a point on CQL, not by the topic's
    // point on IQL), else the best linked.
    const CardDraft* best = answering(first_word(several ? parts[i] : std::string_view(words)));
    if (!best && !several) best = answering(std::nullopt);
    if (!best) continue;
    questions[i].answer = std::string(clean_key_point(best->source).text);
    questions[i].quality_reason.clear();  // "no model answer": it has one now
  }
  std::string front, answer, reason;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const std::string n = questions.size() > 1 ? "(" + std::to_string(i + 1) + ") " : "";
    if (!front.empty()) front += "\n";
    front += n + questions[i].question;
    if (!answer.empty()) answer += "\n";
    answer += n + (questions[i].answer.empty() ? "—" : questions[i].answer);
    if (questions[i].answer.empty() && reason.empty()) reason = questions[i].quality_reason;
  }
  // The back answers each question, and holds no list of points beside it.
  bool answered = true;
  for (const GapQuestion& q : questions) answered = answered && !q.answer.empty();
  d.front = with_context(context, front);
  d.rule = questions.size() > 1 ? "gap/parts" : questions.front().rule;
  d.answer = answer;
  d.back = with_context(context, answer);
  if (!answered && reason.empty()) reason = "no model answer in the tracker";
  // A doubt about an answered question ("be ____ with feature examples")
  // stands whatever the related points say.
  std::string doubt;
  for (const GapQuestion& q : questions)
    if (!q.answer.empty() && !q.quality_reason.empty() && doubt.empty()) doubt = q.quality_reason;
  set_quality(d, answered ? doubt : reason);
  return d;
}

std::optional<CardDraft> discrimination_draft(const Gap& gap,
                                              const std::vector<const CardDraft*>& related) {
  const std::string words = without_session_asides(without_emphasis(gap.text));
  const auto make = [&](const CardDraft* card, const GapQuestion& q) {
    CardDraft d;
    d.kind = CardKind::kDiscrimination;
    d.source = gap.text;
    d.identity = card_identity(d.kind, "", d.source);
    d.tags = {"gap", "discrimination"};
    d.domain_letter = card ? card->domain_letter : '?';
    if (card) d.drills_topic_key = filed_topic_key(*card);
    const std::string context =
        card ? "[Recurring confusion · " + card->topic_title + "]" : "[Recurring confusion]";
    d.front = with_context(context, q.question);
    d.answer = q.answer.empty() ? "Self-graded: the tracker holds no model answer." : q.answer;
    d.back = with_context(context, d.answer);
    d.rule = q.rule;
    set_quality(d, q.answer.empty() ? "no model answer in the tracker" : "");
    return d;
  };
  // "Invariance vs equivariance: invariant f(g·x) = f(x), equivariant
  // f(g·x) = ρ(g)·f(x)": the gap states both sides itself, which a linked
  // point (one side, or something near) does not.
  if (const auto own = discrimination_question(words, words);
      own && own->rule == "discrimination/assignments")
    return make(related.empty() ? nullptr : related.front(), *own);
  std::vector<const CardDraft*> candidates = related;
  if (candidates.empty()) candidates.push_back(nullptr);  // the gap's own "A vs B"
  for (const CardDraft* card : candidates) {
    const auto q = discrimination_question(words, card ? clean_key_point(card->source).text : "");
    if (q) return make(card, *q);
  }
  return std::nullopt;
}

}  // namespace recall::cardgen
