// Reading and safely replacing the user's files.
#pragma once

#include <string>

namespace recall {

// The whole file as bytes. Throws Error(kIo) naming the path when it is
// missing, a directory, unreadable or a symlink loop.
std::string read_file(const std::string& path);

// Replaces `path` with `bytes` atomically: a temporary file beside it is
// written, flushed to disk (fsync) and renamed over the target, then the
// folder is synced. A crash leaves either the old or the new file, never a
// mix. Throws Error(kIo) naming the path; on failure the target is untouched.
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace recall
