#include "recall/integrate.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "recall/error.h"
#include "recall/feedback.h"
#include "recall/files.h"

namespace recall {

namespace detail {
// Generated from integrations/claude-code/ (embed.cmake).
extern const char* const kClaudeCodeMcpJson;
extern const char* const kClaudeCodeSettingsJson;
extern const char* const kClaudeCodeDrillSkill;
extern const char* const kClaudeCodeCardsSkill;
}  // namespace detail

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;  // keeps the user's key order

constexpr const char* kBinaryToken = "@RECALL@";
constexpr const char* kDatabaseToken = "@DB@";

// "LINE:COL" of the byte at `index` (0-based), the column in code points.
std::string line_col(const std::string& text, std::size_t index) {
  index = std::min(index, text.size());
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < index; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

// nlohmann's reason without its prefix (which repeats the position) and
// without the "last read" excerpt of the file's own bytes.
std::string parse_reason(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  if (const auto column = what.find("column "); column != std::string::npos)
    if (const auto colon = what.find(": ", column); colon != std::string::npos)
      what = what.substr(colon + 2);
  if (const auto last = what.find("; last read"); last != std::string::npos) what.resize(last);
  return what;
}

// The text as a JSON object; whitespace only (or a missing file) is {}.
Json parse_object(const std::string& text, const std::string& name) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return Json::object();
  Json root;
  try {
    root = Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error::data(name + ": " + line_col(text, e.byte == 0 ? 0 : e.byte - 1) + ": " +
                      parse_reason(e));
  }
  if (!root.is_object())
    throw Error::data(name + ": " + line_col(text, first) + ": expected a JSON object");
  return root;
}

Json& member(Json& parent, const char* key, const Json& empty, const std::string& name,
             const std::string& where) {
  if (!parent.contains(key)) parent[key] = empty;
  Json& value = parent[key];
  if (value.type() != empty.type())
    throw Error::data(name + ": \"" + where + "\" must be an " +
                      (empty.is_object() ? "object" : "array") + " (it is " + value.type_name() +
                      ")");
  return value;
}

// A word the shell reads back unchanged, quoted only when it needs to be.
std::string shell_word(const std::string& word) {
  const bool plain =
      !word.empty() &&
      word.find_first_not_of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/.,:+=%@-") ==
          std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

void replace_all(std::string& text, const std::string& token, const std::string& value) {
  for (auto at = text.find(token); at != std::string::npos;
       at = text.find(token, at + value.size()))
    text.replace(at, token.size(), value);
}

// A template with its tokens filled in; `for_shell` quotes them as words.
Json fill_template(const char* text, const ClaudeCodeSetup& setup, bool for_shell) {
  Json json = Json::parse(text);
  const std::string binary = for_shell ? shell_word(setup.recall_binary) : setup.recall_binary;
  const std::string database = for_shell ? shell_word(setup.database) : setup.database;
  auto walk = [&](auto& self, Json& node) -> void {
    if (node.is_string()) {
      std::string value = node.get<std::string>();
      replace_all(value, kBinaryToken, binary);
      replace_all(value, kDatabaseToken, database);
      node = value;
    } else if (node.is_structured()) {
      for (auto& child : node) self(self, child);
    }
  };
  walk(walk, json);
  return json;
}

// The file's indentation (its first indented line), so a merge keeps it.
std::pair<int, char> indentation(const std::string& text) {
  const auto newline = text.find('\n');
  if (newline == std::string::npos || newline + 1 >= text.size()) return {2, ' '};
  const char c = text[newline + 1];
  if (c != ' ' && c != '\t') return {2, ' '};
  const auto end = text.find_first_not_of(c, newline + 1);
  return {static_cast<int>((end == std::string::npos ? text.size() : end) - newline - 1), c};
}

std::string render(const Json& before, const Json& after, const std::string& text) {
  if (before == after) return text;
  const auto [width, c] = indentation(text);
  return after.dump(width, c) + "\n";
}

std::vector<std::string> shell_words(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const auto close = command.find('\'', i + 1);
      word += command.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
      i = close == std::string::npos ? command.size() : close;
    } else if (c == '"') {
      for (++i; i < command.size() && command[i] != '"'; ++i) {
        if (command[i] == '\\' && i + 1 < command.size()) ++i;
        word += command[i];
      }
    } else if (c == '\\' && i + 1 < command.size()) {
      word += command[++i];
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::optional<std::string> read_if_present(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return std::nullopt;
  return read_file(path.string());
}

// Every folder between the repository and the file is a folder or absent.
void check_folders(const fs::path& root, const std::string& relative) {
  fs::path folder = root;
  for (const auto& part : fs::path(relative).parent_path()) {
    folder /= part;
    std::error_code error;
    if (fs::exists(folder, error) && !fs::is_directory(folder, error))
      throw Error::io(folder.string() + ": is not a folder");
  }
}

enum class Kind { kMcp, kSettings, kSkill };

struct Target {
  const char* path;
  const char* purpose;
  Kind kind;
  const char* skill = nullptr;  // the template of a skill
};

const Target kTargets[] = {
    {".mcp.json", "the recall MCP server (recall mcp)", Kind::kMcp},
    {".claude/settings.json", "a SessionStart hook running recall brief", Kind::kSettings},
    {".claude/skills/recall-drill/SKILL.md", "the recall-drill skill", Kind::kSkill,
     detail::kClaudeCodeDrillSkill},
    {".claude/skills/recall-cards/SKILL.md", "the recall-cards skill", Kind::kSkill,
     detail::kClaudeCodeCardsSkill},
};

}  // namespace

std::string merge_mcp_config(const std::string& text, const std::string& name,
                             const ClaudeCodeSetup& setup) {
  const Json before = parse_object(text, name);
  Json root = before;
  const Json ours = fill_template(detail::kClaudeCodeMcpJson, setup, false);
  Json& servers = member(root, "mcpServers", Json::object(), name, "mcpServers");
  const Json& server = ours.at("mcpServers").at("recall");
  if (!servers.contains("recall") || !servers["recall"].is_object()) {
    servers["recall"] = server;
  } else {
    for (const auto& [key, value] : server.items()) servers["recall"][key] = value;
  }
  return render(before, root, text);
}

std::string merge_session_hook(const std::string& text, const std::string& name,
                               const ClaudeCodeSetup& setup) {
  const Json before = parse_object(text, name);
  Json root = before;
  const Json ours = fill_template(detail::kClaudeCodeSettingsJson, setup, true);
  const Json& group = ours.at("hooks").at("SessionStart").at(0);
  const Json& command = group.at("hooks").at(0).at("command");
  Json& hooks = member(root, "hooks", Json::object(), name, "hooks");
  Json& session = member(hooks, "SessionStart", Json::array(), name, "hooks.SessionStart");
  for (auto& entry : session) {
    if (!entry.is_object() || !entry.contains("hooks") || !entry["hooks"].is_array()) continue;
    for (auto& hook : entry["hooks"]) {
      if (hook.is_object() && hook.contains("command") && hook["command"].is_string() &&
          is_recall_brief_command(hook["command"].get<std::string>())) {
        hook["command"] = command;  // recall moved or its database did: same hook, new command
        entry["matcher"] = group.at("matcher");  // an older install's matcher lacked "resume"
        return render(before, root, text);
      }
    }
  }
  session.push_back(group);
  return render(before, root, text);
}

bool is_recall_brief_command(const std::string& command) {
  const auto words = shell_words(command);
  return words.size() >= 2 && words.back() == "brief" &&
         fs::path(words.front()).filename() == "recall";
}

bool IntegrationPlan::changes() const {
  for (const auto& file : files)
    if (file.change == FileChange::kCreate || file.change == FileChange::kUpdate) return true;
  return false;
}

IntegrationPlan plan_claude_code(const std::string& dir, const ClaudeCodeSetup& setup) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) throw Error::io(dir + ": is not a folder");
  IntegrationPlan plan;
  plan.dir = dir;
  for (const Target& target : kTargets) {
    const fs::path path = fs::path(dir) / target.path;
    check_folders(dir, target.path);
    FilePlan file;
    file.path = target.path;
    file.purpose = target.purpose;
    file.before = read_if_present(path);
    const std::string old = file.before.value_or("");
    switch (target.kind) {
      case Kind::kMcp:
        file.after = merge_mcp_config(old, path.string(), setup);
        break;
      case Kind::kSettings:
        file.after = merge_session_hook(old, path.string(), setup);
        break;
      case Kind::kSkill:
        file.after = target.skill;
        break;
    }
    if (!file.before)
      file.change = FileChange::kCreate;
    else if (*file.before == file.after)
      file.change = FileChange::kNone;
    else if (target.kind == Kind::kSkill && !setup.force)
      file.change = FileChange::kKept;
    else
      file.change = FileChange::kUpdate;
    plan.files.push_back(std::move(file));
  }
  return plan;
}

std::string plan_diff(const IntegrationPlan& plan) {
  std::string out;
  for (const auto& file : plan.files) {
    if (file.change != FileChange::kCreate && file.change != FileChange::kUpdate) continue;
    out += unified_diff(file.before.value_or(""), file.after,
                        file.before ? "a/" + file.path : "/dev/null", "b/" + file.path);
  }
  return out;
}

void apply_integration(const IntegrationPlan& plan) {
  std::vector<const FilePlan*> writes;
  for (const auto& file : plan.files)
    if (file.change == FileChange::kCreate || file.change == FileChange::kUpdate)
      writes.push_back(&file);
  for (const FilePlan* file : writes) {
    const fs::path path = fs::path(plan.dir) / file->path;
    if (read_if_present(path) != file->before)
      throw Error::io(path.string() + ": changed on disk since it was read; nothing written");
  }
  for (const FilePlan* file : writes) {
    const fs::path path = fs::path(plan.dir) / file->path;
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    if (error)
      throw Error::io(path.parent_path().string() +
                      ": cannot create the folder: " + error.message());
    if (file->before) {
      const std::string backup = path.string() + ".bak";
      write_file_atomically(backup, *file->before);
      // The copy is as private as the file it keeps.
      fs::permissions(backup, fs::status(path).permissions(), error);
    }
    write_file_atomically(path.string(), file->after);
  }
}

}  // namespace recall
