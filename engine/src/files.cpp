#include "recall/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "recall/error.h"

namespace recall {

namespace {

Error io_error(const std::string& path, const char* doing) {
  return Error::io(path + ": " + doing + ": " + std::strerror(errno));
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

}  // namespace

namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Reads a regular file up to `limit` bytes; with `capped`, more than that
// is an error rather than a prefix.
std::string read_regular(const std::string& path, std::size_t limit, bool capped) {
  // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever;
  // fstat below refuses it before any read. Regular files ignore the flag.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) throw io_error(path, "cannot open");
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throw io_error(path, "cannot stat");
  if (!S_ISREG(info.st_mode))
    throw Error::io(path + ": is " + kind_of(info.st_mode) + ", not a regular file");
  auto too_large = [&] {
    return Error::io(path + ": larger than " + std::to_string(kMaxTextFileBytes >> 20) +
                     " MiB, the most recall reads as a tracker or deck");
  };
  if (capped && static_cast<unsigned long long>(info.st_size) > limit) throw too_large();
  std::string bytes;
  bytes.reserve(std::min<std::size_t>(limit, static_cast<std::size_t>(info.st_size)));
  char buffer[1 << 16];
  while (bytes.size() < limit || capped) {
    const std::size_t want = capped ? sizeof buffer : std::min(sizeof buffer, limit - bytes.size());
    const ssize_t got = ::read(fd.get(), buffer, want);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw io_error(path, "cannot read");
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
    if (capped && bytes.size() > limit) throw too_large();  // it grew while read
  }
  return bytes;
}

}  // namespace

std::string read_file(const std::string& path) {
  return read_regular(path, kMaxTextFileBytes, true);
}

std::string read_file_head(const std::string& path, std::size_t limit) {
  return read_regular(path, limit, false);
}

std::optional<std::string> non_regular_kind(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || S_ISREG(info.st_mode)) return std::nullopt;
  return kind_of(info.st_mode);
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::filesystem::path target(path);
  const std::string temp = path + ".recall-tmp";
  mode_t mode = 0644;
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) mode = info.st_mode & 07777;
  FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (fd.get() < 0) throw io_error(temp, "cannot create");
  auto fail = [&](const char* doing) {
    const Error error = io_error(path, doing);
    ::close(fd.release());
    ::unlink(temp.c_str());
    return error;
  };
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t put = ::write(fd.get(), bytes.data() + written, bytes.size() - written);
    if (put < 0) {
      if (errno == EINTR) continue;
      throw fail("cannot write");
    }
    written += static_cast<std::size_t>(put);
  }
  if (::fsync(fd.get()) != 0) throw fail("cannot flush to disk");
  if (::close(fd.release()) != 0) {
    ::unlink(temp.c_str());
    throw io_error(path, "cannot close");
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const Error error = io_error(path, "cannot replace");
    ::unlink(temp.c_str());
    throw error;
  }
  const std::string folder = target.has_parent_path() ? target.parent_path().string() : ".";
  FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

}  // namespace recall
