#include "recall/integrate.h"

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "recall/error.h"
#include "recall/feedback.h"
#include "recall/files.h"
#include "recall/json_edit.h"

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

bool blank_text(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// The text as a JSON object; whitespace only (or a missing file) is {}.
// Nesting and size are bounded first (json_edit.h): a file nested 200,000
// deep would crash the parser, and its re-indented diff would not fit in memory.
Json parse_object(const std::string& text, const std::string& name) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return Json::object();
  if (const auto breach = json_breach(text))
    throw Error::data(name + ": " + line_col(text, breach->offset) + ": " + breach->reason +
                      "; recall reads no deeper or larger JSON");
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

// Throws when the user's `value` at `where` is not of the kind recall extends.
void check_type(const Json& value, const Json& empty, const std::string& name,
                const std::string& where) {
  if (value.type() != empty.type())
    throw Error::data(name + ": \"" + where + "\" must be an " +
                      (empty.is_object() ? "object" : "array") + " (it is " + value.type_name() +
                      ")");
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

// A file recall creates (or one holding only blanks): the template, laid out
// as recall's templates are.
std::string new_file(const Json& ours, const std::string& text) {
  return ours.dump(2) + (text.find("\r\n") != std::string::npos ? "\r\n" : "\n");
}

}  // namespace

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

namespace {

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

// The first of `relative`'s parts under `root` (folders and the file) that
// is a symlink; nullopt when none is.
std::optional<fs::path> linked_part(const fs::path& root, const std::string& relative) {
  fs::path at = root;
  for (const auto& part : fs::path(relative)) {
    at /= part;
    std::error_code error;
    if (fs::is_symlink(fs::symlink_status(at, error))) return at;
  }
  return std::nullopt;
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
  const Json ours = fill_template(detail::kClaudeCodeMcpJson, setup, false);
  if (blank_text(text)) return new_file(ours, text);
  const Json& server = ours.at("mcpServers").at("recall");
  const JsonSpan root = json_spans(text);
  JsonEdits edits(text);
  const JsonSpan* servers = root.member("mcpServers");
  if (!servers) {
    edits.add_member(root, "mcpServers", Json{{"recall", server}});
    return edits.apply();
  }
  check_type(before["mcpServers"], Json::object(), name, "mcpServers");
  const JsonSpan* entry = servers->member("recall");
  const Json& old =
      before["mcpServers"].contains("recall") ? before["mcpServers"]["recall"] : Json();
  if (!entry) {
    edits.add_member(*servers, "recall", server);
  } else if (!old.is_object()) {
    edits.replace(*entry, server);
  } else {
    // Only the keys recall sets; the entry's other keys stay as they are.
    for (const auto& [key, value] : server.items()) {
      if (const JsonSpan* at = entry->member(key)) {
        if (old[key] != value) edits.replace(*at, value);
      } else {
        edits.add_member(*entry, key, value);
      }
    }
  }
  return edits.empty() ? text : edits.apply();
}

std::string merge_session_hook(const std::string& text, const std::string& name,
                               const ClaudeCodeSetup& setup) {
  const Json before = parse_object(text, name);
  const Json ours = fill_template(detail::kClaudeCodeSettingsJson, setup, true);
  if (blank_text(text)) return new_file(ours, text);
  const Json& group = ours.at("hooks").at("SessionStart").at(0);
  const Json& command = group.at("hooks").at(0).at("command");
  const JsonSpan root = json_spans(text);
  JsonEdits edits(text);
  const JsonSpan* hooks = root.member("hooks");
  if (!hooks) {
    edits.add_member(root, "hooks", Json{{"SessionStart", Json::array({group})}});
    return edits.apply();
  }
  check_type(before["hooks"], Json::object(), name, "hooks");
  const JsonSpan* session = hooks->member("SessionStart");
  if (!session) {
    edits.add_member(*hooks, "SessionStart", Json::array({group}));
    return edits.apply();
  }
  const Json& groups = before["hooks"]["SessionStart"];
  check_type(groups, Json::array(), name, "hooks.SessionStart");
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const Json& entry = groups[g];
    if (!entry.is_object() || !entry.contains("hooks") || !entry["hooks"].is_array()) continue;
    for (std::size_t h = 0; h < entry["hooks"].size(); ++h) {
      const Json& hook = entry["hooks"][h];
      if (!hook.is_object() || !hook.contains("command") || !hook["command"].is_string() ||
          !is_recall_brief_command(hook["command"].get<std::string>()))
        continue;
      const JsonSpan& entry_span = session->elements[g];
      // recall moved or its database did: the same hook, its new command.
      if (hook["command"] != command)
        edits.replace(*entry_span.member("hooks")->elements[h].member("command"), command);
      // An older install's matcher lacked "resume": recall's group gets recall's matcher.
      if (const JsonSpan* matcher = entry_span.member("matcher")) {
        if (entry["matcher"] != group.at("matcher")) edits.replace(*matcher, group.at("matcher"));
      } else {
        edits.add_member(entry_span, "matcher", group.at("matcher"));
      }
      return edits.apply();
    }
  }
  edits.add_element(*session, group);
  return edits.apply();
}

namespace {

// True when the shell would read more than one simple command (or a
// substitution, a redirection) in `command`: an operator outside quotes, or
// `$` or a backquote outside single quotes.
bool compound(const std::string& command) {
  bool single = false, double_quoted = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (single) {
      single = c != '\'';
      continue;
    }
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '$' || c == '`') return true;
    if (c == '"') double_quoted = !double_quoted;
    if (double_quoted) continue;
    if (c == '\'') single = true;
    if (std::string_view(";&|<>()\n#").find(c) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

bool is_recall_brief_command(const std::string& command) {
  if (compound(command)) return false;  // the user's own script: left alone
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
  // One integrate at a time in a repository, from the first read to the
  // last write: two runs with two databases cannot mix their files.
  plan.lock = std::make_shared<FolderLock>((fs::path(dir) / ".mcp.json").string());
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
    // A file recall makes up lands in the repository, never through a link
    // a clone can plant (.claude/skills/recall-drill -> ~/.ssh); the user's
    // own files (.mcp.json, settings.json) are written through theirs.
    if (target.kind == Kind::kSkill &&
        (file.change == FileChange::kCreate || file.change == FileChange::kUpdate))
      if (const auto link = linked_part(dir, target.path))
        throw Error::io(link->string() + ": is a symlink; recall writes " + target.purpose +
                        " only inside the repository, never through a link (remove the link, "
                        "or copy the skill from recall's templates yourself); nothing written");
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

std::map<std::string, std::string> apply_integration(const IntegrationPlan& plan) {
  std::vector<const FilePlan*> writes;
  for (const auto& file : plan.files)
    if (file.change == FileChange::kCreate || file.change == FileChange::kUpdate)
      writes.push_back(&file);
  for (const FilePlan* file : writes) {
    const fs::path path = fs::path(plan.dir) / file->path;
    if (read_if_present(path) != file->before)
      throw Error::io(path.string() + ": changed on disk since it was read; nothing written");
  }
  // The plan holds the repository's lock: a temporary file of recall's
  // beside a target is left by a run that was killed.
  for (const auto& file : plan.files) {
    const fs::path path = fs::path(plan.dir) / file.path;
    std::error_code error;
    if (fs::is_directory(path.parent_path(), error) && !fs::is_symlink(path, error))
      remove_stale_temp_files(path.string());
  }
  // Everything that can fail comes first: folders, backups, every new file
  // written and flushed beside its target. Only then the renames, so a
  // failure leaves the repository as it was (folders made are removed).
  std::vector<fs::path> made;
  try {
    for (const FilePlan* file : writes) {
      const fs::path folder = (fs::path(plan.dir) / file->path).parent_path();
      std::vector<fs::path> missing;
      std::error_code error;
      for (fs::path at = folder; !fs::exists(at, error) && at != fs::path(plan.dir);
           at = at.parent_path())
        missing.push_back(at);
      for (auto at = missing.rbegin(); at != missing.rend(); ++at) {
        if (!fs::create_directory(*at, error) && error)
          throw Error::io(at->string() + ": cannot create the folder: " + error.message());
        made.push_back(*at);
      }
    }
    std::map<std::string, std::string> backups;
    for (const FilePlan* file : writes)
      if (file->before)
        backups[file->path] =
            backup_user_file((fs::path(plan.dir) / file->path).string(), &*file->before);
    std::vector<std::unique_ptr<StagedReplace>> staged;
    for (const FilePlan* file : writes)
      staged.push_back(
          std::make_unique<StagedReplace>((fs::path(plan.dir) / file->path).string(), file->after));
    for (auto& replace : staged) replace->commit();
    return backups;
  } catch (...) {
    std::error_code error;
    for (auto at = made.rbegin(); at != made.rend(); ++at) fs::remove(*at, error);  // if empty
    throw;
  }
}

}  // namespace recall
