// `recall integrate claude-code`: installs recall into a tutor's repository
// for Claude Code — the MCP server in .mcp.json, a SessionStart hook running
// `recall brief` in .claude/settings.json, and two skills. The templates are
// integrations/claude-code/, compiled into the binary.
//
// The user's JSON files are merged, never replaced: every other key, hook and
// server stays, in its order. Everything is read and checked before anything
// is written; a run that finds recall installed changes nothing.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "recall/files.h"

namespace recall {

struct ClaudeCodeSetup {
  std::string recall_binary;  // absolute path: the server's and the hook's command
  std::string database;       // absolute path, passed to both as --db
  bool force = false;         // replace a skill file that differs from the template
};

// Pure merges: the file's text (empty when it does not exist) -> the new
// text; `text` itself when nothing changes. Throws Error(kData) as
// "NAME: LINE:COL: what is wrong" for malformed JSON, and "NAME: ..." when a
// key recall must extend is not an object or array.
// .mcp.json: mcpServers.recall set to the template's type, command and args
// (other keys of that entry, and every other server, kept).
std::string merge_mcp_config(const std::string& text, const std::string& name,
                             const ClaudeCodeSetup& setup);
// .claude/settings.json: the SessionStart hook appended to hooks.SessionStart,
// or the command of an existing `recall ... brief` hook updated in place.
std::string merge_session_hook(const std::string& text, const std::string& name,
                               const ClaudeCodeSetup& setup);

// True for a hook command that runs recall's brief: its first word names a
// file called `recall` and its last word is `brief` (shell quotes read), and
// it is one simple command: a hook with `;`, `&&`, `|`, a redirection or a
// substitution is the user's own script and is left alone.
bool is_recall_brief_command(const std::string& command);

// The words a POSIX shell reads from `command` (single and double quotes,
// backslashes; no expansion).
std::vector<std::string> shell_words(const std::string& command);

enum class FileChange {
  kNone,  // already as recall would write it
  kCreate,
  kUpdate,  // the old bytes are kept in recall's backups (backup_user_file)
  kKept,    // a skill the user edited: left alone (ClaudeCodeSetup::force replaces it)
};

struct FilePlan {
  std::string path;     // relative to the repository: ".claude/settings.json"
  std::string purpose;  // "the recall MCP server", ...
  FileChange change = FileChange::kNone;
  std::optional<std::string> before;  // nullopt: the file does not exist
  std::string after;                  // the bytes to write
};

struct IntegrationPlan {
  std::string dir;
  std::vector<FilePlan> files;
  std::shared_ptr<FolderLock> lock;  // the repository's, held while the plan lives
  bool changes() const;              // some file is created or updated
};

// Locks the repository at `dir` (FolderLock: one integrate at a time, held by
// the plan), reads it and computes every file's change; writes nothing.
// Throws Error(kIo) naming the path when `dir` is not a folder, a file cannot
// be read, a file's folder is not a folder, or a skill recall would write is
// reached through a symlink; Error(kData) for a malformed JSON file, or one
// nested deeper than kMaxJsonDepth or larger than kMaxJsonMembers (merge_*).
IntegrationPlan plan_claude_code(const std::string& dir, const ClaudeCodeSetup& setup);

// Unified diffs (---/+++/@@) of every file the plan creates or updates.
std::string plan_diff(const IntegrationPlan& plan);

// Writes the plan's created and updated files. Every file is first checked
// unchanged since the plan read it; then, before any file is replaced,
// recall's temporary files left by a killed run are removed, folders made,
// the old bytes backed up (backup_user_file) and every new file written to a
// temporary file beside its target; the renames come last. Error(kIo) when a
// file changed, or a step fails: nothing is replaced then (folders made are
// removed). Returns each updated file's backup, by its plan path.
std::map<std::string, std::string> apply_integration(const IntegrationPlan& plan);

}  // namespace recall
