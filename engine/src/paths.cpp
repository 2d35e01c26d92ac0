#include "recall/paths.h"

#include <sys/stat.h>

#include <filesystem>
#include <vector>

#include "recall/error.h"
#include "recall/files.h"
#include "recall/store.h"

namespace recall {

namespace fs = std::filesystem;

namespace {

// SQLite's files beside a database, which may appear at any moment.
constexpr const char* kSidecars[] = {"", "-wal", "-shm", "-journal"};

// The absolute name `path` stands for: symlinks followed, including a last
// component that is a dangling link (writing through it would create its
// target).
fs::path resolve(const fs::path& path) {
  std::error_code error;
  fs::path current = fs::absolute(path, error).lexically_normal();
  for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(current, error)); ++hops) {
    const fs::path target = fs::read_symlink(current, error);
    if (error) break;
    current = (target.is_absolute() ? target : current.parent_path() / target).lexically_normal();
  }
  const fs::path canonical = fs::weakly_canonical(current, error);
  return error ? current : canonical;
}

bool same_inode(const std::string& a, const std::string& b) {
  struct stat first {
  }, second{};
  return ::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0 &&
         first.st_dev == second.st_dev && first.st_ino == second.st_ino;
}

// True when `output` names `file`, by inode or by either spelling of its name.
bool names(const std::string& output, const fs::path& resolved_output, const std::string& file) {
  return same_inode(output, file) || resolve(file) == resolved_output ||
         fs::absolute(file).lexically_normal() == resolved_output;
}

}  // namespace

ProtectedFiles protected_files(Store& store) {
  ProtectedFiles files{store.path(), {}};
  if (auto tracker = store.tracker_path()) files.trackers.push_back(std::move(*tracker));
  return files;
}

void refuse_protected_output(const std::string& command, const std::string& output,
                             const ProtectedFiles& files) {
  const std::string refused = command + ": " + output;
  const fs::path resolved = resolve(output);
  // SQLite names the sidecars after the database as given and, for a
  // symlinked database, after its target: both spellings are checked.
  const std::vector<std::string> databases = {files.database, resolve(files.database).string()};
  for (const auto& database : databases)
    for (const char* suffix : kSidecars)
      if (names(output, resolved, database + suffix))
        throw Error::usage(refused + " is the live database" +
                           (*suffix ? std::string("'s ") + suffix + " file" : std::string()) +
                           "; choose another file");
  for (const auto& tracker : files.trackers)
    if (names(output, resolved, tracker))
      throw Error::usage(refused + " is the tracker recall syncs (" + tracker +
                         "); only recall sync rewrites it");
  if (const auto kind = non_regular_kind(output))
    throw Error::usage(refused + " is " + *kind + ", not a regular file");
}

}  // namespace recall
