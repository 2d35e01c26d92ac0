// Which recall binary a tutor's files name (`recall integrate claude-code`
// pins it into .mcp.json and the SessionStart hook), and whether what they
// pinned still exists (`integrate --check`, `recall brief`).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace recall {

struct PinnedBinary {
  std::string path;              // absolute, as pinned (a symlink is kept, not resolved)
  bool in_build_folder = false;  // it, or the file it links to, lives in a CMake build folder
};

// The path that lasts for the running binary `running` (/proc/self/exe):
// the first `recall` on `search_path` ($PATH, as `command -v recall` finds
// it) when that is the running binary, else `invoked` (argv[0]) made
// absolute when it names the running binary (a versioned symlink's target
// is not taken), else `running` itself.
PinnedBinary choose_pinned_binary(const std::string& running, const std::string& invoked,
                                  const std::string& search_path);

// True when `binary`'s folder or the one above it holds CMakeCache.txt,
// for the path as given or the file it resolves to.
bool in_build_folder(const std::string& binary);

// One place in a tutor's repository that names a recall binary.
struct PinCheck {
  std::string file;        // ".mcp.json", ".claude/settings.json"
  std::string purpose;     // "the recall MCP server", "the SessionStart hook"
  std::string binary;      // as written; "" when the entry has none
  std::string database;    // the --db it passes; "" when none
  bool binary_ok = false;  // an executable regular file (after links)
  bool in_build_folder = false;
  bool database_ok = false;  // a regular file
  bool ok() const { return binary_ok && database_ok; }
};

// The recall entries of `dir`'s .mcp.json (mcpServers.recall) and
// .claude/settings.json (the SessionStart hook running `recall ... brief`),
// each checked; entries missing from the files are left out. Reads only;
// throws Error(kIo) when `dir` is not a folder, Error(kData) naming the file
// for malformed JSON.
std::vector<PinCheck> check_claude_code(const std::string& dir);

// The SessionStart hook's entry when its binary is missing or lives in a
// build folder; nullopt when there is no such hook or it is fine, and when
// the files cannot be read (the brief says nothing then).
std::optional<PinCheck> stale_session_hook(const std::string& dir);

}  // namespace recall
