// Reading and safely replacing the user's files.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

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

// Replaces `path` with `bytes` atomically: a temporary file beside it is
// written, flushed to disk (fsync) and renamed over the target, then the
// folder is synced. A crash leaves either the old or the new file, never a
// mix. Throws Error(kIo) naming the path; on failure the target is untouched.
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace recall
