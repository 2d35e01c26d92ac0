// Reading and safely replacing the user's files.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace recall {

// The largest tracker or deck recall reads: 64 MiB. A real tracker is tens of
// kilobytes; the cap keeps `import /dev/zero`-like mistakes from eating memory.
inline constexpr std::size_t kMaxTextFileBytes = std::size_t{64} << 20;

// The whole file as bytes. Throws Error(kIo) naming the path when it is
// missing, unreadable, a symlink loop, not a regular file (a FIFO, a device,
// a directory: opened without blocking, so a FIFO cannot hang the read) or
// larger than kMaxTextFileBytes.
std::string read_file(const std::string& path);

// At most the first `limit` bytes of a regular file (same refusals as
// read_file, but no size cap): enough to recognise what an existing file is.
std::string read_file_head(const std::string& path, std::size_t limit);

// What `path` is when it exists and is not a regular file, following
// symlinks: "a directory", "a FIFO (named pipe)", "a character device", ...
// nullopt for a regular file or a path that does not exist yet.
std::optional<std::string> non_regular_kind(const std::string& path);

// The file `path` names once every symlink is followed (a relative link is
// read from its own folder; at most 40 links). `path` itself when it is not
// a symlink; the missing target of a dangling link. Throws Error(kIo)
// naming the path on a symlink loop or an unreadable link.
std::string resolve_symlinks(const std::string& path);

// How write_file_atomically replaces a file; the defaults suit a plain write.
struct ReplaceOptions {
  // The file whose mode, owner and group the new file takes ("": the file
  // replaced; a new file gets 0666 less the umask and the process's owner).
  std::string metadata_from;
  // When set, the bytes the file must still hold when it is replaced: they
  // are compared right before the rename and again, on the file displaced,
  // right after it (see below). A mismatch throws Error(kIo) with
  // `changed_message` and leaves whatever is on disk in place.
  const std::string* expected = nullptr;
  std::string changed_message;
  // Test hooks: with the new bytes flushed, before the last check; between
  // the check and the rename.
  std::function<void()> before_check, after_check;
};

struct Replaced {
  std::string path;          // the file written (symlinks followed)
  unsigned other_links = 0;  // other hard links of the old file: they keep the old bytes
};

// Replaces the file `path` names (following symlinks: the link stays a link
// and its target gets the bytes) atomically. The bytes go to a new file
// beside the target, created with O_EXCL under a unique name (mkstemp:
// TARGET.recall-XXXXXX, so a planted name is never followed); it gets the
// mode, owner and group (see ReplaceOptions) and is flushed (fsync) before it
// is renamed over the target, then the folder is synced. A crash leaves the
// old or the new file, never a mix (and at worst a stray TARGET.recall-*).
// Hard links cannot survive a rename: the other names keep the old bytes;
// the count is returned. With `expected`, the rename is an exchange
// (renameat2 RENAME_EXCHANGE) where the file system has it: the displaced
// file is checked to be the one compared, still holding `expected`, and is
// put back otherwise, so an edit landing between the check and the rename is
// kept; without the exchange (e.g. NFS) the window is from the last read to
// rename(2). A writer that still has the old file open and writes after the
// exchange writes to the replaced file. Throws Error(kIo) naming the path
// (also when the owner or group cannot be kept); on failure the target and
// its links are untouched.
Replaced write_file_atomically(const std::string& path, const std::string& bytes,
                               const ReplaceOptions& options = {});

// A replacement made in two steps, so that several files can be prepared
// before any is replaced: the constructor writes and flushes the bytes to a
// temporary file beside the target (as write_file_atomically does, throwing
// the same errors); commit() renames it over the target. Destroyed without
// commit(), the temporary file is removed and the target never touched.
class StagedReplace {
 public:
  StagedReplace(const std::string& path, const std::string& bytes,
                const ReplaceOptions& options = {});
  ~StagedReplace();
  StagedReplace(const StagedReplace&) = delete;
  StagedReplace& operator=(const StagedReplace&) = delete;
  Replaced commit();

 private:
  ReplaceOptions options_;
  Replaced result_;
  std::string temp_;  // "" once renamed or removed
};

// The name part write_file_atomically adds to a temporary file's name:
// TARGET.recall-XXXXXX (six letters or digits).
inline constexpr const char* kTempInfix = ".recall-";

// Removes the temporary files (TARGET.recall-XXXXXX, regular files only)
// that a killed or failed replacement of `target` left beside it. Call it
// only while holding the lock that keeps every other writer of `target`
// away (FolderLock). Returns the names removed.
std::vector<std::string> remove_stale_temp_files(const std::string& target);

// ---- backups of the user's files ----

// Backups kept per file: its first one (never removed, so the state before
// recall first touched it can always be restored) and this many newest.
inline constexpr int kBackupGenerations = 5;

// The folder recall keeps backups in: $XDG_STATE_HOME/recall/backups, else
// $HOME/.local/state/recall/backups (not created here).
std::string backup_folder();

// Keeps a copy of a user's file before recall rewrites it, outside the
// user's folders (so a planted FILE.bak symlink cannot be written through and
// no .bak shows up in a repository): backup_folder()/NAME-HASH/TIME, where
// NAME is the file's name, HASH tells files of the same name apart (from its
// absolute path, written beside in `path`), and TIME is the UTC time
// YYYYMMDDTHHMMSS.uuuuuuZ. `bytes` are the bytes kept (the caller's reading
// of the file); without them the file is read. The folders are created 0700,
// the copy 0600; none of recall's folders or the copy is reached through a
// symlink (O_NOFOLLOW, O_EXCL). Older generations beyond the first and the
// kBackupGenerations newest are removed. Returns the copy's path. Throws
// Error(kIo) naming the path that failed; the user's file is never touched.
std::string backup_user_file(const std::string& path, const std::string* bytes = nullptr);

// A copy of `bytes` (the file at `path` before recall replaces it) beside
// it, where the user looks for it (`deck generate -o`'s FILE.bak): PATH.bak,
// else PATH.bak.1, .2, ... with the file's mode, flushed; never over an
// existing file and never through a link (O_EXCL, O_NOFOLLOW refuse any
// name that exists, a link too). Returns the copy's path. Throws Error(kIo)
// "COPY: cannot write `what`: reason" (a partial copy is removed).
std::string backup_beside(const std::string& path, const std::string& bytes,
                          const std::string& what);

// An exclusive lock (flock) on the folder holding `path`, so one recall
// writes a file there at a time. The folder, not the file: a replace gives
// the file a new inode, which a lock on the old one would not cover, and a
// lock file would be one more file in the user's folder. Waits for another
// holder (calling `on_wait` first, once, when it has to); the lock goes with
// the object or the process. Throws Error(kIo) naming the folder when it
// cannot be opened or locked.
class FolderLock {
 public:
  explicit FolderLock(const std::string& path, const std::function<void()>& on_wait = {});
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_;
};

}  // namespace recall
