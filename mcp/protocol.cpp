#include "protocol.h"

#include <algorithm>
#include <exception>
#include <vector>

#include "recall/json_edit.h"

namespace recall::mcp {

void LineReader::complete() {
  Line line{std::move(partial_), overflow_};
  if (line.too_long) line.text.clear();
  if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
  ready_.push_back(std::move(line));
  partial_.clear();
  overflow_ = false;
}

void LineReader::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, newline);
    // An overlong line is counted, not kept: memory stays bounded.
    if (!overflow_ && partial_.size() + piece.size() > kMaxMessageBytes) {
      overflow_ = true;
      partial_.clear();
    }
    if (!overflow_) partial_.append(piece);
    if (newline == std::string_view::npos) return;
    complete();
    bytes.remove_prefix(newline + 1);
  }
}

std::optional<LineReader::Line> LineReader::next() {
  if (ready_.empty()) return std::nullopt;
  Line line = std::move(ready_.front());
  ready_.pop_front();
  return line;
}

std::optional<LineReader::Line> LineReader::finish() {
  if (partial_.empty() && !overflow_) return next();
  complete();
  return next();
}

std::string to_line(const JsonValue& message) {
  return message.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

namespace {

JsonValue error_response(const JsonValue* id, int code, const std::string& message) {
  JsonValue reply = {{"jsonrpc", "2.0"}};
  // Without a readable id the response has none (basic/index: error responses).
  if (id) reply["id"] = *id;
  reply["error"] = {{"code", code}, {"message", message}};
  return reply;
}

bool valid_id(const JsonValue& id) {
  // basic/index: a string or an integer, never null.
  return id.is_string() || id.is_number_integer();
}

const JsonValue kEmptyObject = JsonValue::object();

// The message's id, read without any object or array under the top level
// (nothing deep or large is built): a message refused for its bounds is
// still answered under its id.
std::optional<JsonValue> id_only(const std::string& text) {
  using Event = nlohmann::json::parse_event_t;
  const JsonValue head = JsonValue::parse(
      text,
      [](int depth, Event event, JsonValue& parsed) {
        if ((event == Event::object_start || event == Event::array_start) && depth >= 1)
          return false;
        if (event == Event::key && depth == 1) return parsed == "id";
        return true;
      },
      false);
  if (!head.is_object() || !head.contains("id") || !valid_id(head["id"])) return std::nullopt;
  return head["id"];
}

}  // namespace

std::optional<std::string> Server::handle(const LineReader::Line& line) {
  if (line.too_long)
    return to_line(
        error_response(nullptr, kInvalidRequest,
                       "message longer than " + std::to_string(kMaxMessageBytes) + " bytes"));
  if (std::all_of(line.text.begin(), line.text.end(), [](char c) { return c == ' ' || c == '\t'; }))
    return std::nullopt;  // a blank line is no message
  // Bounded before it is parsed: 100,000 levels of [ crash a recursive copy
  // or destructor, and 70,000 keys in one ordered object take seconds.
  if (const auto breach = json_breach(line.text)) {
    const auto id = id_only(line.text);
    return to_line(error_response(id ? &*id : nullptr, kInvalidRequest,
                                  "Invalid Request: " + breach->reason + " (at byte " +
                                      std::to_string(breach->offset) + ")"));
  }
  JsonValue message = JsonValue::parse(line.text, nullptr, false);
  if (message.is_discarded())
    return to_line(
        error_response(nullptr, kParseError, "Parse error: not a JSON text (UTF-8, one per line)"));
  if (message.is_array())
    return to_line(error_response(
        nullptr, kInvalidRequest,
        "batches are not supported (JSON-RPC batching was removed in MCP 2025-06-18)"));
  if (!message.is_object())
    return to_line(
        error_response(nullptr, kInvalidRequest, "Invalid Request: a message is a JSON object"));
  const auto id_it = message.find("id");
  const bool has_id = id_it != message.end();
  const JsonValue* id = has_id && valid_id(*id_it) ? &*id_it : nullptr;
  if (has_id && !id)
    return to_line(error_response(nullptr, kInvalidRequest,
                                  "Invalid Request: id must be a string or an integer"));
  const auto version = message.find("jsonrpc");
  if (version == message.end() || *version != "2.0")
    return to_line(error_response(id, kInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\""));
  const auto method = message.find("method");
  if (method == message.end()) {
    // A response to a request of ours: we send none, so there is nothing to do.
    if (id && (message.contains("result") || message.contains("error"))) return std::nullopt;
    return to_line(error_response(id, kInvalidRequest, "Invalid Request: no method"));
  }
  if (!method->is_string())
    return to_line(error_response(id, kInvalidRequest, "Invalid Request: method must be a string"));
  const auto params = message.find("params");
  if (params != message.end() && !params->is_object()) {
    if (!id) return std::nullopt;
    return to_line(error_response(id, kInvalidParams, "Invalid params: params must be an object"));
  }
  const JsonValue& args = params != message.end() ? *params : kEmptyObject;
  if (!id) {
    // Notifications get no answer (initialized, cancelled, anything else).
    return std::nullopt;
  }
  try {
    JsonValue result = dispatch(method->get<std::string>(), args);
    return to_line(JsonValue{{"jsonrpc", "2.0"}, {"id", *id}, {"result", std::move(result)}});
  } catch (const ProtocolError& e) {
    return to_line(error_response(id, e.code, e.message));
  } catch (const std::exception& e) {
    return to_line(error_response(id, kInternalError, std::string("Internal error: ") + e.what()));
  }
}

JsonValue Server::dispatch(const std::string& method, const JsonValue& params) {
  if (method == "ping") return JsonValue::object();
  if (method == "initialize") return initialize(params);
  if (method != "tools/list" && method != "tools/call")
    throw ProtocolError{kMethodNotFound, "Method not found: " + method};
  // lifecycle: nothing but ping before initialize.
  if (version_.empty())
    throw ProtocolError{kInvalidRequest, "Invalid Request: send initialize first"};
  if (method == "tools/list") return JsonValue{{"tools", tools_.list()}};
  return call_tool(params);
}

JsonValue Server::initialize(const JsonValue& params) {
  const auto asked = params.find("protocolVersion");
  if (asked == params.end() || !asked->is_string())
    throw ProtocolError{kInvalidParams,
                        "Invalid params: initialize needs protocolVersion (a string)"};
  if (!version_.empty())
    throw ProtocolError{kInvalidRequest, "Invalid Request: already initialized"};
  // lifecycle: echo the client's version when supported, else our latest.
  version_ = std::end(kProtocolVersions)[-1];
  for (const char* supported : kProtocolVersions)
    if (*asked == supported) version_ = supported;
  JsonValue result = {{"protocolVersion", version_},
                      {"capabilities", {{"tools", {{"listChanged", false}}}}},
                      {"serverInfo", {{"name", info_.name}, {"version", info_.version}}}};
  if (!info_.instructions.empty()) result["instructions"] = info_.instructions;
  return result;
}

JsonValue Server::call_tool(const JsonValue& params) {
  const auto name = params.find("name");
  if (name == params.end() || !name->is_string())
    throw ProtocolError{kInvalidParams, "Invalid params: tools/call needs name (a string)"};
  const auto arguments = params.find("arguments");
  if (arguments != params.end() && !arguments->is_object() && !arguments->is_null())
    throw ProtocolError{kInvalidParams, "Invalid params: arguments must be an object"};
  const JsonValue& args =
      arguments != params.end() && arguments->is_object() ? *arguments : kEmptyObject;
  auto result = tools_.call(name->get<std::string>(), args);
  if (!result) throw ProtocolError{kInvalidParams, "Unknown tool: " + name->get<std::string>()};
  return std::move(*result);
}

void serve(const std::function<std::size_t(char*, std::size_t)>& read,
           const std::function<void(std::string_view)>& write, Server& server) {
  LineReader reader;
  std::vector<char> buffer(64 * 1024);
  auto answer_ready = [&] {
    while (auto line = reader.next())
      if (auto reply = server.handle(*line)) write(*reply + "\n");
  };
  while (const std::size_t got = read(buffer.data(), buffer.size())) {
    reader.feed(std::string_view(buffer.data(), got));
    answer_ready();
  }
  if (auto line = reader.finish())
    if (auto reply = server.handle(*line)) write(*reply + "\n");
}

}  // namespace recall::mcp
