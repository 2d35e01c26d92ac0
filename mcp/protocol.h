// recall mcp, the protocol half: newline-delimited JSON-RPC 2.0 over stdio
// as the Model Context Protocol specifies it (2025-06-18 and 2025-11-25:
// basic/transports, basic/lifecycle, server/tools). Pure: bytes in, reply
// lines out; the only I/O is through the read/write functions serve() is
// given. The tools themselves are behind ToolSet (mcp/tools.h).
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace recall::mcp {

using JsonValue = nlohmann::ordered_json;

// A message longer than this is refused unread (tool arguments are a path,
// a note, a card id: a few hundred bytes).
inline constexpr std::size_t kMaxMessageBytes = 1 << 20;

// The protocol versions served; the last is offered to a client asking for
// another one.
inline constexpr const char* kProtocolVersions[] = {"2025-06-18", "2025-11-25"};

// JSON-RPC error codes (schema.ts).
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;

// Splits a byte stream into messages, one per line ("\n", a "\r" before it
// dropped). A line over kMaxMessageBytes is dropped as it streams (never
// held whole) and reported as too long.
class LineReader {
 public:
  struct Line {
    std::string text;
    bool too_long = false;
  };
  void feed(std::string_view bytes);
  // The next complete line, or nullopt until more bytes come.
  std::optional<Line> next();
  // End of input: the last line when it had no "\n".
  std::optional<Line> finish();

 private:
  void complete();
  std::string partial_;
  bool overflow_ = false;
  std::deque<Line> ready_;
};

// The tools a server offers.
class ToolSet {
 public:
  virtual ~ToolSet() = default;
  // The `tools` array of tools/list.
  virtual JsonValue list() = 0;
  // A CallToolResult ({content, structuredContent?, isError?}), or nullopt
  // when there is no tool of that name (a protocol error).
  virtual std::optional<JsonValue> call(const std::string& name, const JsonValue& arguments) = 0;
};

struct ServerInfo {
  std::string name;
  std::string version;
  std::string instructions;
};

class Server {
 public:
  Server(ToolSet& tools, ServerInfo info) : tools_(tools), info_(std::move(info)) {}
  // One message in; the reply line (no "\n") or nullopt when none is due
  // (a notification, or a response from the client).
  std::optional<std::string> handle(const LineReader::Line& line);
  std::optional<std::string> handle(std::string_view line) {
    return handle({std::string(line), false});
  }
  // The version agreed by initialize ("" before it).
  const std::string& protocol_version() const { return version_; }

 private:
  JsonValue dispatch(const std::string& method, const JsonValue& params);
  JsonValue initialize(const JsonValue& params);
  JsonValue call_tool(const JsonValue& params);

  ToolSet& tools_;
  ServerInfo info_;
  std::string version_;
};

// Thrown inside dispatch: becomes a JSON-RPC error response.
struct ProtocolError {
  int code;
  std::string message;
};

// Serializes a message as one line: invalid UTF-8 in a string is replaced
// (U+FFFD) rather than failing, and no raw newline can appear.
std::string to_line(const JsonValue& message);

// Reads with `read` (returns bytes read; 0 at end of input) until the end of
// input, answering each message through `write` (one line with its "\n").
void serve(const std::function<std::size_t(char*, std::size_t)>& read,
           const std::function<void(std::string_view)>& write, Server& server);

}  // namespace recall::mcp
