#include "recall/importer.h"

#include <unordered_map>

namespace recall {

namespace {

std::string tier_name(GapTier tier) {
  switch (tier) {
    case GapTier::kHigh: return "high";
    case GapTier::kMedium: return "medium";
    case GapTier::kResolved: return "resolved";
  }
  return "medium";
}

std::string joined(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& tag : tags) out += (out.empty() ? "" : " ") + tag;
  return out;
}

bool same_content(const CardDraft& draft, const StoredCardContent& stored) {
  return !stored.retired && stored.match.identity == draft.identity &&
         stored.match.kind == draft.kind && stored.match.source == draft.source &&
         stored.front == draft.front && stored.back == draft.back &&
         stored.tags == joined(draft.tags) && stored.topic_key == draft.topic_key &&
         stored.position == draft.order;
}

}  // namespace

ImportPlan plan_import(const Tracker& tracker, const std::vector<CardDraft>& drafts,
                       const std::vector<StoredCardContent>& stored, ImportReport& report) {
  ImportPlan plan;
  for (const auto& domain : tracker.domains)
    plan.domains.push_back({domain.letter, domain.name, domain.weight_percent, domain.total_topics});
  report.domains = static_cast<int>(tracker.domains.size());

  std::unordered_map<std::string, std::size_t> topic_index;
  for (std::size_t i = 0; i < tracker.topics.size(); ++i) {
    const Topic& topic = tracker.topics[i];
    report.key_points += static_cast<int>(topic.key_points.size());
    const std::string key = topic_key(topic.title);
    // The same title twice in one tracker is one topic: the first row wins.
    if (!topic_index.emplace(key, plan.topics.size()).second) continue;
    plan.topics.push_back({key, topic.label, topic.title, topic.confidence, topic.domain_letter,
                           topic.in_progress, static_cast<int>(i)});
  }
  report.topics = static_cast<int>(plan.topics.size());

  std::vector<ExistingCard> existing;
  existing.reserve(stored.size());
  std::unordered_map<long long, const StoredCardContent*> by_id;
  for (const auto& card : stored) {
    existing.push_back(card.match);
    by_id[card.match.id] = &card;
  }
  const std::vector<long long> matches = match_cards(existing, drafts);
  std::unordered_map<long long, bool> kept;
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    const long long id = matches[i];
    if (id == 0) {
      plan.card_writes.push_back({0, drafts[i]});
      ++report.added;
      continue;
    }
    kept[id] = true;
    const StoredCardContent& old = *by_id.at(id);
    if (same_content(drafts[i], old)) {
      ++report.unchanged;
      continue;
    }
    plan.card_writes.push_back({id, drafts[i]});
    if (old.retired)
      ++report.restored;
    else
      ++report.updated;
  }
  for (const auto& card : stored) {
    if (kept.count(card.match.id) || card.retired) continue;
    // Cards added by hand are not the tracker's to retire.
    if (card.match.identity.rfind("manual|", 0) == 0) continue;
    plan.retire_ids.push_back(card.match.id);
    ++report.retired;
  }

  for (const auto& gap : tracker.gaps) {
    ImportPlan::GapWrite write;
    write.gap_key = topic_key(gap.text);
    write.text = gap.text;
    write.tier = tier_name(gap.tier);
    write.recurring = gap.recurring;
    write.resolution_date = gap.resolution_date;
    write.note = gap.notes;
    if (gap.tier != GapTier::kResolved)
      for (std::size_t index : cards_for_gap(gap, drafts))
        write.card_identities.push_back(drafts[index].identity);
    plan.gaps.push_back(std::move(write));
  }
  report.gaps = static_cast<int>(plan.gaps.size());
  return plan;
}

ImportReport import_tracker(Store& store, const Tracker& tracker, Day today,
                            const std::optional<std::string>& source_path) {
  ImportReport report;
  const std::vector<CardDraft> drafts = make_cards(tracker);
  ImportPlan plan = plan_import(tracker, drafts, store.card_contents(), report);
  plan.source_path = source_path;
  store.apply_import(plan, today);
  return report;
}

}  // namespace recall
