// `recall approve ID…` and `recall retire ID… --reason TEXT`: the learner's
// review pass in a terminal (review.h), each one transaction.
#include <iostream>

#include "commands.h"
#include "recall/json_shapes.h"
#include "recall/review.h"
#include "render.h"
#include "terminal.h"

namespace recall::cli {

namespace {

std::vector<long long> card_ids(const po::variables_map& values) {
  std::vector<long long> ids;
  for (const auto& text : values["card-id"].as<std::vector<std::string>>())
    ids.push_back(parse_card_id(text));
  return ids;
}

void print_cards(const std::vector<Card>& cards, bool json, const std::string& done) {
  if (json) {
    std::cout << json_text(cards_json(cards)) << "\n";
    return;
  }
  for (const Card& card : cards)
    std::cout << done << " card " << card.id << (card.topic_id ? " — " + topic_line(card) : "")
              << "\n";
}

}  // namespace

int run_approve(Context& context, const std::vector<std::string>& args) {
  po::options_description options("approve options");
  options.add_options()("card-id", po::value<std::vector<std::string>>()->required(), "the cards")(
      "json", "print the approved cards as a JSON array");
  po::positional_options_description positional;
  positional.add("card-id", -1);
  po::variables_map values;
  if (!parse_args("approve", args, options, positional, values, "approve CARD_ID... [--json]"))
    return 0;
  const auto cards =
      approve_cards(context.store(), card_ids(values), Reviewer::kLearner, context.today());
  print_cards(cards, values.count("json") > 0, "approved");
  return 0;
}

int run_retire(Context& context, const std::vector<std::string>& args) {
  po::options_description options("retire options");
  options.add_options()("card-id", po::value<std::vector<std::string>>()->required(), "the cards")(
      "reason", po::value<std::string>()->default_value("not worth drilling"),
      "why (kept with the cards)")("json", "print the retired cards as a JSON array");
  po::positional_options_description positional;
  positional.add("card-id", -1);
  po::variables_map values;
  if (!parse_args("retire", args, options, positional, values,
                  "retire CARD_ID... [--reason TEXT] [--json]"))
    return 0;
  const auto cards =
      retire_cards(context.store(), card_ids(values), values["reason"].as<std::string>(),
                   Reviewer::kLearner, context.today());
  print_cards(cards, values.count("json") > 0, "retired");
  return 0;
}

}  // namespace recall::cli
