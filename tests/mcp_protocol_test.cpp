// recall mcp's protocol layer (mcp/protocol.h) with hostile input, without
// I/O: framing, JSON-RPC validation, the lifecycle, and tool dispatch
// through a fake tool set.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "mcp/protocol.h"

using recall::mcp::JsonValue;
using recall::mcp::LineReader;
using recall::mcp::Server;

namespace {

// One tool, "echo", returning its arguments.
class EchoTools : public recall::mcp::ToolSet {
 public:
  JsonValue list() override {
    return JsonValue::array({{{"name", "echo"}, {"inputSchema", {{"type", "object"}}}}});
  }
  std::optional<JsonValue> call(const std::string& name, const JsonValue& arguments) override {
    if (name == "boom") throw std::runtime_error("exploded");
    if (name != "echo") return std::nullopt;
    return JsonValue{{"content", JsonValue::array()}, {"structuredContent", arguments}};
  }
};

JsonValue reply(Server& server, const std::string& line) {
  const auto out = server.handle(line);
  REQUIRE(out);
  CHECK(out->find('\n') == std::string::npos);
  return JsonValue::parse(*out);
}

int error_code(const JsonValue& r) { return r.at("error").at("code").get<int>(); }

const char* kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
    R"("capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";

struct Session {
  EchoTools tools;
  Server server{tools, {"recall", "0.1.0", ""}};
  Session() { REQUIRE(reply(server, kInitialize).contains("result")); }
};

}  // namespace

TEST_CASE("mcp: initialize echoes a supported version, else offers 2025-11-25", "[mcp]") {
  for (const auto& [asked, agreed] :
       std::vector<std::pair<std::string, std::string>>{{"2025-06-18", "2025-06-18"},
                                                        {"2025-11-25", "2025-11-25"},
                                                        {"2024-11-05", "2025-11-25"},
                                                        {"2099-01-01", "2025-11-25"}}) {
    EchoTools tools;
    Server server(tools, {"recall", "0.1.0", "drill"});
    const auto r = reply(
        server, R"({"jsonrpc":"2.0","id":"a","method":"initialize","params":{"protocolVersion":")" +
                    asked + R"(","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
    CHECK(r["id"] == "a");
    CHECK(r["result"]["protocolVersion"] == agreed);
    CHECK(r["result"]["capabilities"].contains("tools"));
    CHECK(r["result"]["serverInfo"]["name"] == "recall");
    CHECK(r["result"]["instructions"] == "drill");
  }
}

TEST_CASE("mcp: a request before initialize is refused, ping is not", "[mcp]") {
  EchoTools tools;
  Server server(tools, {"recall", "0.1.0", ""});
  CHECK(error_code(reply(server, R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})")) == -32600);
  CHECK(reply(server, R"({"jsonrpc":"2.0","id":2,"method":"ping"})")["result"] ==
        JsonValue::object());
  CHECK(error_code(reply(server, R"({"jsonrpc":"2.0","id":3,"method":"initialize"})")) ==
        -32602);  // no params
  CHECK(reply(server, kInitialize).contains("result"));
  CHECK(error_code(reply(server, kInitialize)) == -32600);  // twice
  CHECK(reply(server,
              R"({"jsonrpc":"2.0","id":4,"method":"tools/list"})")["result"]["tools"][0]["name"] ==
        "echo");
}

TEST_CASE("mcp: hostile messages get JSON-RPC errors, never a crash", "[mcp]") {
  Session s;
  // Not JSON; invalid UTF-8 inside a string; truncated.
  for (const std::string bad : {"garbage", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\xfe\"}",
                                "{\"jsonrpc\":\"2.0\",\"id\":1,", "\xc3\x28"}) {
    const auto r = reply(s.server, bad);
    CHECK(error_code(r) == -32700);
    CHECK_FALSE(r.contains("id"));
  }
  // JSON that is not an object; a batch (removed in 2025-06-18).
  CHECK(error_code(reply(s.server, "42")) == -32600);
  CHECK(error_code(reply(s.server, "\"ping\"")) == -32600);
  CHECK(error_code(reply(s.server, "null")) == -32600);
  const auto batch = reply(s.server, R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
  CHECK(error_code(batch) == -32600);
  CHECK_THAT(batch["error"]["message"].get<std::string>(), Catch::Contains("batch"));
  // Missing or wrong jsonrpc; no method; method not a string.
  CHECK(error_code(reply(s.server, R"({"id":1,"method":"ping"})")) == -32600);
  CHECK(error_code(reply(s.server, R"({"jsonrpc":"1.0","id":1,"method":"ping"})")) == -32600);
  CHECK(error_code(reply(s.server, R"({"jsonrpc":"2.0","id":1})")) == -32600);
  CHECK(error_code(reply(s.server, R"({"jsonrpc":"2.0","id":1,"method":7})")) == -32600);
  // Unknown method; params not an object.
  const auto unknown = reply(s.server, R"({"jsonrpc":"2.0","id":9,"method":"resources/list"})");
  CHECK(error_code(unknown) == -32601);
  CHECK(unknown["id"] == 9);
  CHECK(error_code(reply(
            s.server, R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":[1]})")) == -32602);
  // Deep nesting.
  CHECK(error_code(reply(s.server, std::string(100000, '[') + std::string(100000, ']'))) == -32600);
  // A blank line is no message.
  CHECK_FALSE(s.server.handle(""));
  CHECK_FALSE(s.server.handle("  "));
}

TEST_CASE("mcp: ids are strings or integers, null, objects, floats are refused", "[mcp]") {
  Session s;
  CHECK(reply(s.server, R"({"jsonrpc":"2.0","id":"x-1","method":"ping"})")["id"] == "x-1");
  CHECK(reply(s.server, R"({"jsonrpc":"2.0","id":0,"method":"ping"})")["id"] == 0);
  CHECK(reply(s.server, R"({"jsonrpc":"2.0","id":-7,"method":"ping"})")["id"] == -7);
  CHECK(reply(s.server, R"({"jsonrpc":"2.0","id":9007199254740993,"method":"ping"})")["id"] ==
        9007199254740993LL);
  for (const char* id : {"null", "{}", "[1]", "true", "1.5"}) {
    const auto r =
        reply(s.server, std::string(R"({"jsonrpc":"2.0","id":)") + id + R"(,"method":"ping"})");
    CHECK(error_code(r) == -32600);
    CHECK_FALSE(r.contains("id"));
  }
}

TEST_CASE("mcp: notifications and client responses get no answer", "[mcp]") {
  Session s;
  CHECK_FALSE(s.server.handle(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  CHECK_FALSE(s.server.handle(
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}})"));
  CHECK_FALSE(s.server.handle(R"({"jsonrpc":"2.0","method":"no/such/notification"})"));
  CHECK_FALSE(s.server.handle(R"({"jsonrpc":"2.0","id":5,"result":{}})"));
}

TEST_CASE("mcp: tools/call dispatch: missing params, unknown tool, a throwing tool", "[mcp]") {
  Session s;
  const auto echoed = reply(
      s.server,
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"a":"é"}}})");
  CHECK(echoed["result"]["structuredContent"]["a"] == "é");
  const auto no_args =
      reply(s.server, R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo"}})");
  CHECK(no_args["result"]["structuredContent"] == JsonValue::object());
  CHECK(error_code(reply(s.server, R"({"jsonrpc":"2.0","id":3,"method":"tools/call"})")) == -32602);
  CHECK(error_code(
            reply(s.server,
                  R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"nope"}})")) ==
        -32602);
  CHECK(
      error_code(reply(
          s.server,
          R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":[1]}})")) ==
      -32602);
  CHECK(error_code(
            reply(s.server,
                  R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"boom"}})")) ==
        -32603);
  // Still serving.
  CHECK(reply(s.server, R"({"jsonrpc":"2.0","id":7,"method":"ping"})")["result"] ==
        JsonValue::object());
}

TEST_CASE("mcp: invalid UTF-8 in a reply is replaced, never a raw byte or a throw", "[mcp]") {
  const std::string line = recall::mcp::to_line(JsonValue{{"text",
                                                           "a\xff"
                                                           "b\nc"}});
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line ==
        "{\"text\":\"a\xef\xbf\xbd"
        "b\\nc\"}");
}

TEST_CASE("mcp: the line reader splits, joins and bounds lines", "[mcp]") {
  LineReader reader;
  reader.feed("{\"a\":");
  CHECK_FALSE(reader.next());
  reader.feed("1}\r\n{\"b\":2}\n{\"c\"");
  CHECK(reader.next()->text == "{\"a\":1}");
  CHECK(reader.next()->text == "{\"b\":2}");
  CHECK_FALSE(reader.next());
  CHECK(reader.finish()->text == "{\"c\"");
  CHECK_FALSE(reader.finish());

  // A 10 MB line, fed in pieces: reported too long, not kept, and the next
  // line is read as usual.
  LineReader big;
  const std::string chunk(1 << 16, 'x');
  for (int i = 0; i < 160; ++i) big.feed(chunk);
  big.feed("\n{\"ok\":1}\n");
  const auto first = big.next();
  REQUIRE(first);
  CHECK(first->too_long);
  CHECK(first->text.empty());
  CHECK(big.next()->text == "{\"ok\":1}");
}

TEST_CASE("mcp: serve answers line by line and stops at the end of input", "[mcp]") {
  EchoTools tools;
  Server server(tools, {"recall", "0.1.0", ""});
  const std::string input = std::string(kInitialize) + "\n" +
                            R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
                            "\n" +
                            std::string(11 * 1024 * 1024, '{') + "\n" +
                            R"({"jsonrpc":"2.0","id":2,"method":"ping"})";  // no final newline
  std::size_t at = 0;
  std::vector<std::string> written;
  recall::mcp::serve(
      [&](char* buffer, std::size_t size) {
        const std::size_t n = std::min<std::size_t>(size, input.size() - at);
        input.copy(buffer, n, at);
        at += n;
        return n;
      },
      [&](std::string_view line) { written.emplace_back(line); }, server);
  REQUIRE(written.size() == 3);
  CHECK(JsonValue::parse(written[0])["result"]["protocolVersion"] == "2025-11-25");
  CHECK(JsonValue::parse(written[1])["error"]["code"] == -32600);  // too long
  CHECK(written[2] == "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}\n");
}
