// libFuzzer target: any bytes as the stdin of `recall mcp`, through the line
// reader and the JSON-RPC dispatch (mcp/protocol.h) with a one-tool set.
// Every reply must be one line of JSON; a crash, a leak or a reply that
// does not parse is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mcp/protocol.h"

namespace {

class EchoTools : public recall::mcp::ToolSet {
 public:
  recall::mcp::JsonValue list() override { return recall::mcp::JsonValue::array(); }
  std::optional<recall::mcp::JsonValue> call(const std::string& name,
                                             const recall::mcp::JsonValue& arguments) override {
    if (name != "echo") return std::nullopt;
    return recall::mcp::JsonValue{{"content", recall::mcp::JsonValue::array()},
                                  {"structuredContent", arguments}};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  EchoTools tools;
  recall::mcp::Server server(tools, {"recall", "fuzz", ""});
  // Already initialized, so tools/call paths are reached too.
  (void)server.handle(
      R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25"}})");
  std::size_t at = 0;
  recall::mcp::serve(
      [&](char* buffer, std::size_t capacity) {
        // Uneven reads: message boundaries fall anywhere.
        const std::size_t n = std::min({capacity, bytes.size() - at, std::size_t{7} + at % 13});
        bytes.copy(buffer, n, at);
        at += n;
        return n;
      },
      [](std::string_view line) {
        if (line.empty() || line.back() != '\n' || line.find('\n') != line.size() - 1) std::abort();
        if (recall::mcp::JsonValue::parse(line, nullptr, false).is_discarded()) std::abort();
      },
      server);
  return 0;
}
