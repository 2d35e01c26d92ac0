// The one guard for every file a command writes at a path the user names
// (report -o, backup, deck generate -o): it must never be the live database,
// one of SQLite's files beside it, or the tracker that only `sync` rewrites.
#pragma once

#include <string>
#include <vector>

namespace recall {

class Store;

// The files no output may replace.
struct ProtectedFiles {
  std::string database;               // its -wal, -shm and -journal too
  std::vector<std::string> trackers;  // the one `sync` remembers; a command may add its input
};

// The store's database and its remembered tracker (setting "tracker-path").
ProtectedFiles protected_files(Store& store);

// Throws Error(kUsage), naming `command` and `output`, when `output` is one
// of `files` (the same inode after following symlinks, or the same resolved
// name, so a -wal that does not exist yet still counts), or when it exists
// and is not a regular file (a device, a FIFO, a directory).
void refuse_protected_output(const std::string& command, const std::string& output,
                             const ProtectedFiles& files);

}  // namespace recall
