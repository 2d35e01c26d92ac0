#include "recall/pinning.h"

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "recall/error.h"
#include "recall/files.h"
#include "recall/integrate.h"

namespace recall {

namespace {

namespace fs = std::filesystem;

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code error;
  return fs::equivalent(a, b, error) && !error;
}

bool executable_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

bool beside_cmake_cache(const fs::path& binary) {
  std::error_code error;
  const fs::path folder = binary.parent_path();
  return fs::exists(folder / "CMakeCache.txt", error) ||
         (folder.has_parent_path() && fs::exists(folder.parent_path() / "CMakeCache.txt", error));
}

std::optional<nlohmann::json> read_json(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return std::nullopt;
  const std::string text = read_file(path.string());
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error::data(path.string() + ": malformed JSON near byte " + std::to_string(e.byte));
  }
}

// The value after --db in `args`, "" when none.
std::string database_of(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "--db") return args[i + 1];
  for (const auto& arg : args)
    if (arg.rfind("--db=", 0) == 0) return arg.substr(5);
  return "";
}

PinCheck checked(PinCheck pin, const fs::path& dir) {
  if (!pin.binary.empty()) {
    pin.binary_ok = executable_file(pin.binary);
    pin.in_build_folder = in_build_folder(pin.binary);
  }
  if (!pin.database.empty()) {
    // A relative --db is read from the folder the server or hook runs in.
    const fs::path db =
        fs::path(pin.database).is_absolute() ? fs::path(pin.database) : dir / pin.database;
    std::error_code error;
    pin.database_ok = fs::is_regular_file(db, error);
  }
  return pin;
}

}  // namespace

bool in_build_folder(const std::string& binary) {
  if (binary.empty()) return false;
  std::error_code error;
  const fs::path given = fs::absolute(binary, error).lexically_normal();
  if (beside_cmake_cache(given)) return true;
  const fs::path resolved = fs::canonical(given, error);
  return !error && beside_cmake_cache(resolved);
}

PinnedBinary choose_pinned_binary(const std::string& running, const std::string& invoked,
                                  const std::string& search_path) {
  auto pinned = [](const fs::path& path) {
    std::error_code error;
    const std::string absolute = fs::absolute(path, error).lexically_normal().string();
    return PinnedBinary{absolute, in_build_folder(absolute)};
  };
  // `command -v recall`: the first executable `recall` on the PATH.
  std::size_t start = 0;
  while (start <= search_path.size()) {
    const std::size_t end = std::min(search_path.find(':', start), search_path.size());
    const std::string folder = search_path.substr(start, end - start);
    const fs::path candidate = fs::path(folder.empty() ? "." : folder) / "recall";
    if (executable_file(candidate)) {
      if (same_file(candidate, running)) return pinned(candidate);
      break;
    }
    start = end + 1;
  }
  if (invoked.find('/') != std::string::npos && same_file(invoked, running)) return pinned(invoked);
  return pinned(running);
}

std::vector<PinCheck> check_claude_code(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) throw Error::io(dir + ": is not a folder");
  std::vector<PinCheck> pins;
  if (const auto mcp = read_json(fs::path(dir) / ".mcp.json")) {
    if (mcp->is_object() && mcp->contains("mcpServers") && (*mcp)["mcpServers"].is_object() &&
        (*mcp)["mcpServers"].contains("recall") && (*mcp)["mcpServers"]["recall"].is_object()) {
      const auto& server = (*mcp)["mcpServers"]["recall"];
      PinCheck pin;
      pin.file = ".mcp.json";
      pin.purpose = "the recall MCP server";
      if (server.contains("command") && server["command"].is_string())
        pin.binary = server["command"].get<std::string>();
      std::vector<std::string> args;
      if (server.contains("args") && server["args"].is_array())
        for (const auto& arg : server["args"])
          if (arg.is_string()) args.push_back(arg.get<std::string>());
      pin.database = database_of(args);
      pins.push_back(checked(pin, dir));
    }
  }
  if (const auto settings = read_json(fs::path(dir) / ".claude/settings.json")) {
    const auto* session = settings->is_object() && settings->contains("hooks") &&
                                  (*settings)["hooks"].is_object() &&
                                  (*settings)["hooks"].contains("SessionStart") &&
                                  (*settings)["hooks"]["SessionStart"].is_array()
                              ? &(*settings)["hooks"]["SessionStart"]
                              : nullptr;
    for (std::size_t i = 0; session && i < session->size(); ++i) {
      const auto& entry = (*session)[i];
      if (!entry.is_object() || !entry.contains("hooks") || !entry["hooks"].is_array()) continue;
      for (const auto& hook : entry["hooks"]) {
        if (!hook.is_object() || !hook.contains("command") || !hook["command"].is_string())
          continue;
        const std::string command = hook["command"].get<std::string>();
        if (!is_recall_brief_command(command)) continue;
        const auto words = shell_words(command);
        PinCheck pin;
        pin.file = ".claude/settings.json";
        pin.purpose = "the SessionStart hook (recall brief)";
        pin.binary = words.front();
        pin.database = database_of(words);
        pins.push_back(checked(pin, dir));
        session = nullptr;  // the first one is the one recall keeps up to date
        break;
      }
    }
  }
  return pins;
}

std::optional<PinCheck> stale_session_hook(const std::string& dir) {
  try {
    for (const auto& pin : check_claude_code(dir))
      if (pin.file == ".claude/settings.json" && (!pin.binary_ok || pin.in_build_folder))
        return pin;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace recall
