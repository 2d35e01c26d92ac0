// libFuzzer target: any bytes as the JSON recall reads from outside — one
// recall mcp message (mcp/protocol.h) and a tutor's .mcp.json and
// .claude/settings.json (integrate.h merges, json_edit.h bounds and splices).
// A crash, a hang, a leak, a reply that is not one line of JSON, a merge
// whose result is not a JSON object or that a second merge would change
// again, is a finding. Refusals (recall::Error) are expected.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mcp/protocol.h"
#include "recall/error.h"
#include "recall/integrate.h"

namespace {

class NoTools : public recall::mcp::ToolSet {
 public:
  recall::mcp::JsonValue list() override { return recall::mcp::JsonValue::array(); }
  std::optional<recall::mcp::JsonValue> call(const std::string&,
                                             const recall::mcp::JsonValue&) override {
    return std::nullopt;
  }
};

using Merge = std::string (*)(const std::string&, const std::string&,
                              const recall::ClaudeCodeSetup&);

void check_merge(Merge merge, const std::string& text) {
  const recall::ClaudeCodeSetup setup{"/opt/recall/bin/recall", "/home/me/my data/recall.db",
                                      false};
  std::string merged;
  try {
    merged = merge(text, "fuzz.json", setup);
  } catch (const recall::Error&) {
    return;  // refused with a message: fine
  }
  if (!recall::mcp::JsonValue::parse(merged, nullptr, false).is_object()) std::abort();
  if (merge(merged, "fuzz.json", setup) != merged) std::abort();  // installed: unchanged
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  NoTools tools;
  recall::mcp::Server server(tools, {"recall", "fuzz", ""});
  if (const auto reply = server.handle(text)) {
    if (reply->find('\n') != std::string::npos) std::abort();
    if (recall::mcp::JsonValue::parse(*reply, nullptr, false).is_discarded()) std::abort();
  }
  check_merge(&recall::merge_mcp_config, text);
  check_merge(&recall::merge_session_hook, text);
  return 0;
}
