// Drafts: the rules' cards with their context line, identity and flag.
// make_cards (cards.cpp) calls these in tracker order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cardgen/cardgen.h"
#include "cardgen/term_index.h"
#include "recall/cards.h"
#include "recall/tracker.h"

namespace recall::cardgen {

std::string context_line(const Topic& topic);

// The card of one key point; nullopt for a statement about the learner.
// A "⚠️ Review needed: X" remark gives a gap card about X (topic_key "",
// drills_topic_key `key`).
// `points` are the topic's cleaned points, `read` their reading
// (read_topic) and `p` this one's index.
// Each point's context line: the topic's, or, for points that open with a
// term two or more of the topic's points open with ("BYOL: …"), the topic's
// with that term after it; such a point's text becomes the rest after the
// term. `points` views texts that outlive the call.
std::vector<std::string> subject_contexts(const std::string& context,
                                          std::vector<CleanPoint>& points);
std::optional<CardDraft> point_draft(const Topic& topic, const std::string& key,
                                     const std::string& context,
                                     const std::vector<CleanPoint>& points,
                                     const TopicReading& read, std::size_t p,
                                     const std::string& raw);
// A topic as the title index reads it (kind kTopic, its key, title and
// domain): topics make no card of their own, but a gap or a checklist item
// may name one by its title.
CardDraft topic_entry(const Topic& topic, const std::string& key);
// A checklist item's card: only a derivation ("Derive X", "Prove X") whose
// related points (found by terms; `titles` indexes `topics`, topic_entry,
// whose point cards are cards[ranges[t].first, ranges[t].second)) hold its
// answer; nullopt for any other item.
std::optional<CardDraft> checklist_draft(const Tracker& tracker, const ChecklistItem& item, const TermIndex& index,
                          const std::vector<CardDraft>& cards, const TermIndex& titles,
                          const std::vector<CardDraft>& topics,
                          const std::vector<std::pair<std::size_t, std::size_t>>& ranges);
// `related`: the cards the gap links to (their sources give the answer when
// the gap's own text holds none).
CardDraft gap_draft(const Gap& gap, const std::vector<const CardDraft*>& related);
std::optional<CardDraft> discrimination_draft(const Gap& gap,
                                              const std::vector<const CardDraft*>& related);

// Answers a remark's gap card from its topic's point cards,
// cards[begin, begin + ideas.size()), the cards of the points `ideas` (indices
// into the topic's points, read as `read`): each part of the remark ("RMSNorm
// details") is answered by the point that opens with the same word
// ("RMSNorm: removes mean centering ...").
void answer_remark(CardDraft& remark, const std::vector<CardDraft>& cards, std::size_t begin,
                   const TopicReading& read, const std::vector<std::size_t>& ideas);

// Sets quality/quality_reason from a reason ("" = ok).
void set_quality(CardDraft& draft, std::string reason);
// A card still "ok" whose rule is not trusted (rule_trusted, the confidence
// table in confidence.cpp) becomes "review", the table saying what to check.
void apply_rule_confidence(CardDraft& draft);

}  // namespace recall::cardgen
