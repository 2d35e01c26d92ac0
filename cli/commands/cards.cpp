#include <iostream>
#include <map>

#include "commands.h"
#include "recall/feedback.h"
#include "recall/json_shapes.h"
#include "recall/review.h"
#include "render.h"
#include "terminal.h"

namespace recall::cli {

namespace {

std::string first_line(const std::string& text, std::size_t width) {
  // Skip the context line cards start with, show the question itself.
  std::string line = text;
  if (auto newline = line.find('\n'); newline != std::string::npos && line.rfind('[', 0) == 0)
    line = line.substr(newline + 1);
  if (auto newline = line.find('\n'); newline != std::string::npos) line = line.substr(0, newline);
  line = printable(line);
  if (line.size() > width) {
    std::size_t cut = width - 1;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    line = line.substr(0, cut) + "…";
  }
  return line;
}

}  // namespace

int run_cards(Context& context, const std::vector<std::string>& args) {
  po::options_description options("cards options");
  options.add_options()("topic", po::value<std::string>(), "only the topic with this label (A.8)")(
      "retired", "include retired cards")(
      "review", "only the cards flagged quality \"review\" (worth an edit)")(
      "unreviewed",
      "the review pass: cards no one has reviewed yet, flagged first, with their context")(
      "limit", po::value<std::string>(), "with --unreviewed: at most N cards (default 50)")(
      "json", "print a JSON array (--unreviewed: an object)");
  po::variables_map values;
  if (!parse_args("cards", args, options, {}, values,
                  "cards [--topic LABEL] [--retired] [--review | --unreviewed [--limit N]] "
                  "[--json]"))
    return 0;
  if (values.count("unreviewed")) {
    const int limit =
        values.count("limit") ? parse_count("--limit", values["limit"].as<std::string>()) : 50;
    const ReviewPass pass = cards_to_review(context.store(), limit);
    if (values.count("json")) {
      std::cout << json_text(review_pass_json(pass.items, pass.counts)) << "\n";
      return 0;
    }
    std::cout << review_text(pass.counts) << ".\n";
    for (const auto& item : pass.items) {
      const Card& card = item.card;
      std::cout << card.id << "\t" << (card.topic_id ? printable(card.topic_label) : "-") << "\t"
                << (card.quality == "review" ? "flagged: " + printable(card.quality_reason)
                                             : std::string("ok"))
                << "\t" << first_line(card.front, 60) << "\n";
    }
    return 0;
  }
  std::optional<std::string> topic;
  if (values.count("topic")) topic = values["topic"].as<std::string>();
  const auto cards =
      context.store().cards(topic, values.count("retired") > 0, values.count("review") > 0);
  const ReviewCounts counts = context.store().review_counts();
  if (values.count("review") && !values.count("json")) std::cout << review_text(counts) << ".\n";
  if (values.count("json")) {
    std::cout << json_text(cards_json(cards)) << "\n";
    return 0;
  }
  for (const auto& card : cards) {
    std::cout << card.id << "\t" << (card.topic_id ? printable(card.topic_label) : "-") << "\t"
              << to_string(card.kind) << "\t" << due_text(card.state.due_day) << "\t"
              << first_line(card.front, 60)
              << (card.retired
                      ? "\t[retired" +
                            (card.reviewed_as == "retired" ? ": " + printable(card.review_reason)
                                                           : std::string()) +
                            "]"
                      : "")
              << (waits_for_review(card, counts) ? "\t[waits]" : "")
              << (card.quality == "review" ? "\t[review: " + printable(card.quality_reason) + "]"
                                           : "")
              << "\n";
  }
  return 0;
}

int run_topics(Context& context, const std::vector<std::string>& args) {
  po::options_description options("topics options");
  options.add_options()("json", "print a JSON array");
  po::variables_map values;
  if (!parse_args("topics", args, options, {}, values, "topics [--json]")) return 0;
  const auto topics = context.store().topics(context.today());
  std::map<long long, std::string> derived;
  for (auto& [id, confidence] : derived_confidences(context.store(), topics)) derived[id] = confidence;
  if (values.count("json")) {
    std::cout << json_text(topics_json(topics, derived)) << "\n";
    return 0;
  }
  for (const auto& t : topics) {
    if (t.retired) continue;
    std::cout << printable(t.label) << "\t" << printable(t.title)
              << (t.in_progress ? " (in progress)" : "") << "\t" << printable(t.confidence)
              << (derived[t.id] != t.confidence ? " -> " + printable(derived[t.id]) : "") << "\t"
              << t.cards << " cards, " << t.new_cards << " new, " << t.due_cards << " due\n";
  }
  return 0;
}

}  // namespace recall::cli
