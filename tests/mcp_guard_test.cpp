// recall mcp against hostile JSON and a tutor that looks for the answer
// (issue 22): bounded messages, the presented card's answer withheld from
// every tool until reveal_card, and text limits counted in characters.
#include <catch2/catch.hpp>

#include <sstream>

#include "mcp/protocol.h"
#include "mcp/tools.h"
#include "recall/json_edit.h"
#include "recall/store.h"
#include "recall/withhold.h"
#include "support.h"

using recall::Store;
using recall::mcp::JsonValue;
using recall::mcp::RecallTools;
using recall::test::run_recall;
using recall::test::TempDir;

namespace {

constexpr const char* kToday = "2026-11-25";

class NoTools : public recall::mcp::ToolSet {
 public:
  JsonValue list() override { return JsonValue::array(); }
  std::optional<JsonValue> call(const std::string&, const JsonValue&) override {
    return std::nullopt;
  }
};

std::string deep_ping(std::size_t levels) {
  return R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":)" + std::string(levels, '[') +
         std::string(levels, ']') + R"(,"b":1}})";
}

std::string wide_ping(std::size_t keys) {
  std::string line = R"({"jsonrpc":"2.0","id":"w","method":"ping","params":{)";
  for (std::size_t i = 0; i < keys; ++i) line += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
  return line + "}}";
}

// Every string in `value`, keys aside.
void strings_of(const JsonValue& value, std::vector<std::string>& out) {
  if (value.is_string())
    out.push_back(value.get<std::string>());
  else if (value.is_structured())
    for (const auto& item : value) strings_of(item, out);
}

}  // namespace

TEST_CASE("mcp: a message nested 100,000 deep or with 70,000 keys is refused under its id",
          "[mcp][guard]") {
  NoTools tools;
  recall::mcp::Server server(tools, {"recall", "test", ""});
  const JsonValue deep = JsonValue::parse(*server.handle(deep_ping(100000)));
  CHECK(deep["id"] == 1);
  CHECK(deep["error"]["code"] == recall::mcp::kInvalidRequest);
  CHECK(deep["error"]["message"] == "Invalid Request: nested deeper than 64 levels (at byte 116)");
  const JsonValue wide = JsonValue::parse(*server.handle(wide_ping(70000)));
  CHECK(wide["id"] == "w");
  CHECK(wide["error"]["code"] == recall::mcp::kInvalidRequest);
  CHECK_THAT(wide["error"]["message"].get<std::string>(),
             Catch::StartsWith("Invalid Request: more than 10000 members in one object or array"));
  // Within the bounds, the same shapes are served.
  CHECK(JsonValue::parse(*server.handle(deep_ping(recall::kMaxJsonDepth - 3)))["result"] ==
        JsonValue::object());
  CHECK(JsonValue::parse(*server.handle(wide_ping(1000)))["result"] == JsonValue::object());
  // A bracket inside a string is no nesting.
  CHECK(JsonValue::parse(
            *server.handle(R"({"jsonrpc":"2.0","id":2,"method":"ping","params":{"s":")" +
                           std::string(1000, '[') + R"("}})"))["result"] == JsonValue::object());
}

TEST_CASE("recall mcp: the real binary answers a 200 KB deep line and keeps serving",
          "[mcp][guard][cli]") {
  TempDir dir;
  std::ostringstream in;
  in << deep_ping(100000) << "\n"
     << wide_ping(70000) << "\n"
     << R"({"jsonrpc":"2.0","id":3,"method":"ping"})"
     << "\n";
  const auto run = run_recall(dir.file("r.db"), {"--today", kToday, "mcp"}, in.str());
  CHECK(run.exit_code == 0);
  std::vector<JsonValue> replies;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) replies.push_back(JsonValue::parse(line));
  REQUIRE(replies.size() == 3);
  CHECK(replies[0]["id"] == 1);
  CHECK(replies[0]["error"]["code"] == -32600);
  CHECK(replies[1]["id"] == "w");
  CHECK(replies[1]["error"]["code"] == -32600);
  CHECK(replies[2] == JsonValue::parse(R"({"jsonrpc":"2.0","id":3,"result":{}})"));
}

TEST_CASE("mcp tools: no tool carries the presented card's answer until reveal_card",
          "[mcp][guard]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("tracker.md");
  recall::test::write_bytes(tracker, recall::test::read_bytes(recall::test::fixture_path()));
  REQUIRE(run_recall(db, {"--today", "2026-11-19", "import", tracker}).exit_code == 0);
  // A recurring mistake: the card of "ROC axes" failed on two days, with notes.
  long long id = 0;
  {
    Store store(db);
    for (const auto& card : store.cards(std::nullopt, false, false))
      if (card.source.find("ROC axes") != std::string::npos &&
          card.kind != recall::CardKind::kTopic)
        id = card.id;
  }
  REQUIRE(id > 0);
  for (const char* day : {"2026-11-20", "2026-11-21"})
    REQUIRE(run_recall(db, {"--today", day, "answer", std::to_string(id), "1", "--note",
                            "swapped them again"})
                .exit_code == 0);

  Store store(db);
  const recall::Day today = *recall::parse_day(kToday);
  RecallTools tools{store, [&] { return today; }, [] { return std::string("2026-11-25T09:00"); }};
  auto call = [&](const std::string& name, const JsonValue& args) {
    const auto result = tools.call(name, args);
    REQUIRE(result);
    return *result;
  };
  const JsonValue next = call("next_card", {{"gaps_only", true}});
  REQUIRE(next["structuredContent"]["card"]["id"] == id);
  const recall::Card card = *store.card(id);
  // What gives the answer away: the key point and each line of the back
  // that the front does not show.
  std::vector<std::string> answer = {card.source};
  std::istringstream back(card.back);
  for (std::string line; std::getline(back, line);)
    if (line.size() > 2 && card.front.find(line) == std::string::npos) answer.push_back(line);

  // Another card of its topic, for the batch tools to act on.
  long long other_id = 0;
  std::string other_back;
  for (const auto& other : store.cards(std::nullopt, false, false))
    if (other.id != id && other.topic_id == card.topic_id && !other_id) {
      other_id = other.id;
      other_back = other.back;
    }
  REQUIRE(other_id > 0);

  // Every tool (and some failures) between next_card and reveal_card.
  std::vector<std::pair<std::string, JsonValue>> calls = {
      {"brief", JsonValue::object()},
      {"gaps", JsonValue::object()},
      {"cards_to_review", JsonValue::object()},
      {"cards_to_review", {{"limit", 1000}}},
      {"find_cards", {{"query", card.source}}},
      {"find_cards", {{"topic", card.topic_label}}},
      {"approve_cards", {{"ids", {id, other_id}}}},
      {"approve_cards", {{"ids", {id, 999999}}}},
      {"edit_cards", {{"edits", {{{"card_id", id}, {"front", card.front}}}}}},
      {"edit_cards", {{"edits", {{{"card_id", other_id}, {"back", other_back}}}}}},
      {"add_cards",
       {{"cards",
         {{{"topic", card.topic_label},
           {"front", "Which axis is which?"},
           {"back", card.source}}}}}},
      {"retire_cards", {{"ids", {other_id}}, {"reason", "recite-a-list"}}},
      {"topics", JsonValue::object()},
      {"stats", JsonValue::object()},
      {"plan", JsonValue::object()},
      {"sync_tracker", {{"path", tracker}, {"dry_run", true}}},
      {"card", {{"card_id", id}}},
      {"edit_card", {{"card_id", id}, {"front", card.front}}},
      {"grade_card", {{"card_id", id}, {"grade", 4}}},
      {"reveal_card", {{"card_id", id + 1}}},
      {"record_answer", {{"card_id", id}, {"grade", 4}, {"note", ""}}},
      {"undo_last", JsonValue::object()},
      {"next_card", {{"gaps_only", true}}},
  };
  // Every other card: its topic's outline, a checklist, a gap card and the
  // recurring confusion's card all list this key point.
  for (const auto& other : store.cards(std::nullopt, false, false))
    calls.push_back({"card", {{"card_id", other.id}}});
  // Not the presented card: refused. (Skipping the presented one ends its
  // presentation: the reveal below needs it in hand.)
  calls.push_back({"skip_card", {{"card_id", id + 1}}});
  int withheld = 0;
  for (const auto& [name, args] : calls) {
    const JsonValue result = call(name, args);
    std::vector<std::string> texts;
    strings_of(result, texts);
    for (const auto& text : texts)
      for (const auto& secret : answer) {
        INFO(name << " " << args.dump() << " carries \"" << secret << "\" in: " << text);
        CHECK(text.find(secret) == std::string::npos);
        withheld += text.find(recall::kWithheld) != std::string::npos;
      }
  }
  CHECK(withheld > 0);  // the guard had something to withhold
  // Revealed, the answer is the tutor's to read again.
  const JsonValue revealed = call("reveal_card", {{"card_id", id}});
  CHECK(revealed["structuredContent"]["source"] == card.source);
  CHECK(call("brief", JsonValue::object()).dump().find(recall::kWithheld) == std::string::npos);
}

TEST_CASE("brief and gaps name a recurring mistake by its topic, question and notes",
          "[mcp][guard][brief]") {
  recall::Card card;
  card.front = "[A.8 Evaluation Metrics · A. ML]\nWhat are the axes of the ROC curve?";
  card.back = "[A.8 Evaluation Metrics · A. ML]\nx=FPR, y=TPR";
  card.source = "ROC axes: x=FPR, y=TPR";
  CHECK(recall::question_of(card) == "What are the axes of the ROC curve?");
  const auto texts = recall::answer_texts(card);
  CHECK(texts == std::vector<std::string>{card.back, "ROC axes: x=FPR, y=TPR", "x=FPR, y=TPR"});
  JsonValue reply = {{"text", "ROC axes: x=FPR, y=TPR"}, {"other", "axes x=FPR, y=TPRs"}};
  CHECK(recall::withhold(reply, texts) == 1);
  CHECK(reply["text"] == recall::kWithheld);
  CHECK(reply["other"] == "axes x=FPR, y=TPRs");  // not at a word boundary
}

TEST_CASE("mcp tools: text limits are in characters, and errors name the tool's arguments",
          "[mcp][guard]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  Store store(db);
  const recall::Day today = *recall::parse_day(kToday);
  RecallTools tools{store, [&] { return today; }, [] { return std::string("2026-11-25T09:00"); }};
  std::string cjk;
  for (int i = 0; i < 400; ++i) cjk += "\xE6\xBC\xA2";  // 漢: 3 bytes, 1 character
  const auto kept = tools.call("record_answer", {{"card_id", 2}, {"grade", 1}, {"note", cjk}});
  REQUIRE(kept);
  INFO(kept->dump());
  CHECK_FALSE(kept->value("isError", false));
  std::string long_note;
  for (int i = 0; i < 501; ++i) long_note += "\xE6\xBC\xA2";
  const auto refused =
      tools.call("record_answer", {{"card_id", 2}, {"grade", 1}, {"note", long_note}});
  CHECK((*refused)["content"][0]["text"] == "note: longer than 500 characters");
  JsonValue schema;
  for (const auto& tool : tools.list())
    if (tool["name"] == "grade_card") schema = tool["inputSchema"]["properties"]["note"];
  CHECK(schema["maxLength"] == 500);
  const auto edit = tools.call("edit_card", {{"card_id", 2}, {"back", "bad\x1b[31m text"}});
  const std::string reason = (*edit)["content"][0]["text"];
  CHECK_THAT(reason, Catch::StartsWith("back: not a card text"));
  CHECK(reason.find("--back") == std::string::npos);
}

TEST_CASE("recall brief and gaps name a recurring mistake by its question, not its answer",
          "[brief][guard][cli]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, "2026-11-19");
  recall::Card card;
  {
    Store store(db);
    for (const auto& c : store.cards(std::nullopt, false, false))
      if (c.source == "ROC axes: x=FPR, y=TPR") card = c;
  }
  REQUIRE(card.id > 0);
  for (const char* day : {"2026-11-20", "2026-11-21"})
    REQUIRE(run_recall(db, {"--today", day, "answer", std::to_string(card.id), "1", "--note",
                            "swapped them again"})
                .exit_code == 0);
  const std::string question = recall::question_of(card);
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"brief"}, {"brief", "--json"}, {"gaps"}, {"gaps", "--json"}}) {
    std::vector<std::string> args = {"--today", kToday};
    args.insert(args.end(), command.begin(), command.end());
    const auto run = run_recall(db, args);
    INFO(run.out);
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("x=FPR, y=TPR") == std::string::npos);
    CHECK(run.out.find(question) != std::string::npos);
  }
  const JsonValue brief =
      JsonValue::parse(run_recall(db, {"--today", kToday, "brief", "--json"}).out);
  CHECK(brief["recurring"][0]["question"] == question);
  CHECK_FALSE(brief["recurring"][0].contains("source"));
}
