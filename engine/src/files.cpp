#include "recall/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

std::string read_file(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw io_error(path, "cannot open");
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throw io_error(path, "cannot stat");
  if (S_ISDIR(info.st_mode)) throw Error::io(path + ": is a directory, not a file");
  std::string bytes;
  if (info.st_size > 0) bytes.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw io_error(path, "cannot read");
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
  return bytes;
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
