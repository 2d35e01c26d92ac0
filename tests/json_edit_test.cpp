// JSON from outside read within bounds, and edited in place (json_edit.h):
// every byte outside an edit stays, and an added entry looks like its
// neighbours.
#include <catch2/catch.hpp>

#include "recall/json_edit.h"

using recall::json_breach;
using recall::json_spans;
using recall::JsonEdits;
using Json = nlohmann::ordered_json;

TEST_CASE("json_breach finds the first bracket past the depth bound, skipping strings",
          "[json-edit]") {
  const auto nested = [](int levels) {
    return std::string(static_cast<std::size_t>(levels), '[') +
           std::string(static_cast<std::size_t>(levels), ']');
  };
  CHECK_FALSE(json_breach(nested(recall::kMaxJsonDepth)));
  const auto breach = json_breach(nested(recall::kMaxJsonDepth + 1));
  REQUIRE(breach);
  CHECK(breach->offset == static_cast<std::size_t>(recall::kMaxJsonDepth));
  CHECK(breach->reason == "nested deeper than 64 levels");
  CHECK_FALSE(json_breach("{\"s\": \"" + nested(100) + "\\\"[[[\"}"));
  CHECK_FALSE(json_breach("[" + std::string(recall::kMaxJsonMembers - 1, ',') + "]"));
  CHECK(json_breach("[" + std::string(recall::kMaxJsonMembers, ',') + "]"));
  CHECK(recall::line_col("a\nbé\nc", 5) == "2:3");
}

TEST_CASE("json_spans locates members, the last of duplicate keys, and escaped keys",
          "[json-edit]") {
  const std::string text = "\xEF\xBB\xBF{\"a\": 1, \"\\u0062\": [true, {\"c\": \"x\"}], \"a\": 2}";
  const auto root = json_spans(text);
  REQUIRE(root.members.size() == 3);
  CHECK(root.member("a")->begin == text.find("2}"));
  const auto* b = root.member("b");
  REQUIRE(b);
  REQUIRE(b->elements.size() == 2);
  CHECK(text.substr(b->elements[1].begin, b->elements[1].end - b->elements[1].begin) ==
        "{\"c\": \"x\"}");
}

TEST_CASE("added entries follow their neighbours' layout, other bytes stay", "[json-edit]") {
  using Case = std::tuple<std::string, std::string>;  // before, after
  auto [before, after] = GENERATE(table<std::string, std::string>({
      // Four spaces, a number recall would print otherwise, kept.
      Case{"{\n    \"n\": 1.50e+2\n}\n",
           "{\n    \"n\": 1.50e+2,\n    \"k\": {\n        \"v\": [\n            1\n        ]\n    "
           "}\n}\n"},
      // An empty object beside it stays as it is.
      Case{"{\n  \"o\": {}\n}",
           "{\n  \"o\": {},\n  \"k\": {\n    \"v\": [\n      1\n    ]\n  }\n}"},
      // One line stays one line.
      Case{"{\"a\": 1, \"b\": 2}", "{\"a\": 1, \"b\": 2, \"k\": {\"v\":[1]}}"},
      Case{"{\"a\":1}", "{\"a\":1,\"k\":{\"v\":[1]}}"},
      // CRLF and tabs.
      Case{"{\r\n\t\"a\": 1\r\n}\r\n",
           "{\r\n\t\"a\": 1,\r\n\t\"k\": {\r\n\t\t\"v\": [\r\n\t\t\t1\r\n\t\t]\r\n\t}\r\n}\r\n"},
  }));
  const auto root = json_spans(before);
  JsonEdits edits(before);
  edits.add_member(root, "k", Json{{"v", Json::array({1})}});
  CHECK(edits.apply() == after);
  CHECK(Json::parse(after)["k"]["v"][0] == 1);
}

TEST_CASE("a replaced value and an added element touch nothing else", "[json-edit]") {
  const std::string text = "{\n  \"list\": [\n    \"a\"\n  ],\n  \"s\": \"old\"  \n}\n";
  const auto root = json_spans(text);
  JsonEdits edits(text);
  edits.replace(*root.member("s"), "new");
  edits.add_element(*root.member("list"), "b");
  CHECK(edits.apply() == "{\n  \"list\": [\n    \"a\",\n    \"b\"\n  ],\n  \"s\": \"new\"  \n}\n");
}

TEST_CASE("an empty object opens onto lines of its own, unless the file is one line",
          "[json-edit]") {
  for (const auto& [before, after] : std::vector<std::pair<std::string, std::string>>{
           {"{\n  \"o\": {}\n}\n", "{\n  \"o\": {\n    \"k\": 1\n  }\n}\n"},
           {"{\"o\": {}}\n", "{\"o\": {\"k\": 1}}\n"},
           {"{\"o\":{ }}", "{\"o\":{\"k\":1}}"},
       }) {
    const auto root = json_spans(before);
    JsonEdits edits(before);
    edits.add_member(*root.member("o"), "k", 1);
    CHECK(edits.apply() == after);
  }
}
