#include "recall/files.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_EXCHANGE
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>

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
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = other.release();
    }
    return *this;
  }
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

std::string resolve_symlinks(const std::string& path) {
  std::filesystem::path current(path);
  for (int hops = 0; hops <= 40; ++hops) {
    struct stat info {};
    if (::lstat(current.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return current.string();
    std::error_code error;
    const std::filesystem::path link = std::filesystem::read_symlink(current, error);
    if (error)
      throw Error::io(path + ": cannot read the symlink " + current.string() + ": " +
                      error.message());
    current = link.is_absolute() ? link : current.parent_path() / link;
  }
  throw Error::io(path + ": too many levels of symbolic links");
}

namespace {

// A temporary file's name, removed with the object unless kept.
class TempName {
 public:
  explicit TempName(std::string path) : path_(std::move(path)) {}
  ~TempName() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempName(const TempName&) = delete;
  TempName& operator=(const TempName&) = delete;
  const std::string& path() const { return path_; }
  void forget() { path_.clear(); }  // the name is no longer ours to remove

 private:
  std::string path_;
};

std::string folder_of(const std::string& path) {
  const std::filesystem::path file(path);
  return file.has_parent_path() ? file.parent_path().string() : ".";
}

bool write_all(int fd, const std::string& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t put = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (put < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<std::size_t>(put);
  }
  return true;
}

// An open file's bytes from its start; nullopt when they cannot be read.
std::optional<std::string> read_from_start(int fd) {
  std::string bytes;
  char buffer[1 << 16];
  for (off_t at = 0;;) {
    const ssize_t got = ::pread(fd, buffer, sizeof buffer, at);
    if (got < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    if (got == 0) return bytes;
    bytes.append(buffer, static_cast<std::size_t>(got));
    at += got;
  }
}

// Gives the new file `fd` the owner, group and mode of `like` (or, without
// it, what open(2) would give a new file: 0666 less the umask).
void copy_metadata(int fd, const struct stat* like, const std::string& target) {
  mode_t mode = 0;
  if (like) {
    struct stat mine {};
    if (::fstat(fd, &mine) != 0) throw io_error(target, "cannot stat the new file");
    if ((mine.st_uid != like->st_uid || mine.st_gid != like->st_gid) &&
        ::fchown(fd, like->st_uid, like->st_gid) != 0)
      throw io_error(target,
                     "cannot give the new file the owner and group of the old one; not replaced");
    mode = like->st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  if (::fchmod(fd, mode) != 0) throw io_error(target, "cannot set the mode of the new file");
}

Error changed_error(const std::string& target, const ReplaceOptions& options) {
  return Error::io(options.changed_message.empty()
                       ? target + ": changed on disk while it was being replaced; left as it is"
                       : options.changed_message);
}

// Puts `temp` in place of `target` if `target` still holds *options.expected
// (files.h): compare, exchange, then check the file displaced and put it
// back when it is not the one compared or no longer holds those bytes.
void replace_if_unchanged(const std::string& target, TempName& temp,
                          const ReplaceOptions& options) {
  FileDescriptor old(::open(target.c_str(), O_RDONLY | O_CLOEXEC));
  if (old.get() < 0) {
    if (errno == ENOENT) throw changed_error(target, options);
    throw io_error(target, "cannot open");
  }
  struct stat compared {};
  if (::fstat(old.get(), &compared) != 0) throw io_error(target, "cannot stat");
  const auto before = read_from_start(old.get());
  if (!before) throw io_error(target, "cannot read");
  if (*before != *options.expected) throw changed_error(target, options);
  if (options.after_check) options.after_check();
  if (::renameat2(AT_FDCWD, temp.path().c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
    if (errno != EINVAL && errno != ENOSYS) throw io_error(target, "cannot replace");
    // No exchange on this file system: a plain rename, right after the check.
    if (::rename(temp.path().c_str(), target.c_str()) != 0)
      throw io_error(target, "cannot replace");
    temp.forget();
    return;
  }
  struct stat displaced {};
  const bool same = ::lstat(temp.path().c_str(), &displaced) == 0 &&
                    displaced.st_dev == compared.st_dev && displaced.st_ino == compared.st_ino &&
                    read_from_start(old.get()) == *options.expected;
  if (same) {  // the old file, now under the temporary name, goes
    ::unlink(temp.path().c_str());
    temp.forget();
    return;
  }
  if (::renameat2(AT_FDCWD, temp.path().c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
    temp.forget();
    throw Error::io(
        target + ": edited while it was being replaced; the edit could not be put back and is in " +
        temp.path());
  }
  throw changed_error(target, options);
}

}  // namespace

StagedReplace::StagedReplace(const std::string& path, const std::string& bytes,
                             const ReplaceOptions& options)
    : options_(options) {
  result_.path = resolve_symlinks(path);
  const std::string& target = result_.path;
  struct stat old {
  }, from{};
  const bool exists = ::stat(target.c_str(), &old) == 0;
  if (exists && !S_ISREG(old.st_mode))
    throw Error::io(target + ": not a regular file; not replaced");
  if (exists && old.st_nlink > 1) result_.other_links = static_cast<unsigned>(old.st_nlink - 1);
  const struct stat* like = exists ? &old : nullptr;
  if (!options.metadata_from.empty()) {
    if (::stat(options.metadata_from.c_str(), &from) != 0)
      throw io_error(options.metadata_from, "cannot stat");
    like = &from;
  }
  std::string name = target + kTempInfix + "XXXXXX";
  FileDescriptor fd(::mkostemp(name.data(), O_CLOEXEC));  // O_CREAT | O_EXCL, mode 0600
  if (fd.get() < 0) throw io_error(target, "cannot create a temporary file beside it");
  TempName temp(name);
  copy_metadata(fd.get(), like, target);
  if (!write_all(fd.get(), bytes)) throw io_error(target, "cannot write");
  if (::fsync(fd.get()) != 0) throw io_error(target, "cannot flush to disk");
  if (::close(fd.release()) != 0) throw io_error(target, "cannot close");
  temp.forget();
  temp_ = name;
}

StagedReplace::~StagedReplace() {
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

Replaced StagedReplace::commit() {
  const std::string& target = result_.path;
  TempName temp(temp_);
  temp_.clear();
  if (options_.before_check) options_.before_check();
  if (options_.expected) {
    replace_if_unchanged(target, temp, options_);
  } else {
    if (::rename(temp.path().c_str(), target.c_str()) != 0)
      throw io_error(target, "cannot replace");
    temp.forget();
  }
  FileDescriptor dir(::open(folder_of(target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
  return result_;
}

Replaced write_file_atomically(const std::string& path, const std::string& bytes,
                               const ReplaceOptions& options) {
  return StagedReplace(path, bytes, options).commit();
}

std::vector<std::string> remove_stale_temp_files(const std::string& target) {
  const std::filesystem::path file(resolve_symlinks(target));
  const std::string prefix = file.filename().string() + kTempInfix;
  std::vector<std::string> removed;
  std::error_code error;
  const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
    if (!std::all_of(name.begin() + static_cast<long>(prefix.size()), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
      continue;
    struct stat info {};
    if (::lstat(entry.path().c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    if (::unlink(entry.path().c_str()) == 0) removed.push_back(entry.path().string());
  }
  return removed;
}

// ---- backups ----

namespace {

std::string backup_time() {
  const auto now = std::chrono::system_clock::now();
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02d.%06lldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<long long>(micros % 1000000));
  return text;
}

// A folder of recall's own inside the open folder `parent`: made 0700 when
// missing, never a symlink.
FileDescriptor own_folder(int parent, const std::string& name, const std::string& shown) {
  if (::mkdirat(parent, name.c_str(), 0700) != 0 && errno != EEXIST)
    throw io_error(shown, "cannot create the backup folder");
  FileDescriptor fd(
      ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0)
    throw io_error(shown, errno == ELOOP || errno == ENOTDIR
                              ? "is not a folder of recall's own (a symlink?); no backup made"
                              : "cannot open the backup folder");
  return fd;
}

bool is_backup_name(const std::string& name) {
  return name.size() == 23 && name[8] == 'T' && name[15] == '.' && name.back() == 'Z';
}

// Removes the generations between the first and the kBackupGenerations newest.
void prune_backups(int folder, const std::string& shown) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(shown, error))
    if (is_backup_name(entry.path().filename().string()))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  const std::size_t keep = static_cast<std::size_t>(kBackupGenerations) + 1;
  if (names.size() <= keep) return;
  for (std::size_t i = 1; i + kBackupGenerations < names.size(); ++i)
    ::unlinkat(folder, names[i].c_str(), 0);
}

}  // namespace

std::string backup_folder() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state == '/')
    return std::string(state) + "/recall/backups";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/state/recall/backups";
}

std::string backup_user_file(const std::string& path, const std::string* bytes) {
  const std::string kept = bytes ? *bytes : read_file(path);
  std::error_code error;
  const std::filesystem::path absolute =
      std::filesystem::absolute(resolve_symlinks(path), error).lexically_normal();
  // The state folder itself may be the user's link (dotfiles); recall's own
  // folders under it may not.
  const std::filesystem::path root = backup_folder();
  const std::filesystem::path state = root.parent_path().parent_path();
  std::filesystem::create_directories(state, error);
  FileDescriptor state_fd(::open(state.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (state_fd.get() < 0) throw io_error(state.string(), "cannot open the state folder");
  FileDescriptor recall_fd = own_folder(state_fd.get(), "recall", (state / "recall").string());
  FileDescriptor backups_fd = own_folder(recall_fd.get(), "backups", root.string());
  // FNV-1a of the absolute path: files of the same name get folders of their own.
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : absolute.string()) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08llx", static_cast<unsigned long long>(hash & 0xffffffffull));
  std::string name = absolute.filename().string();
  for (char& c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '_';
  const std::string folder_name = name + "-" + hex;
  const std::filesystem::path folder = root / folder_name;
  FileDescriptor folder_fd = own_folder(backups_fd.get(), folder_name, folder.string());
  // Which file the folder's backups are of, for the user restoring one.
  {
    FileDescriptor origin(::openat(folder_fd.get(), "path",
                                   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (origin.get() >= 0) write_all(origin.get(), absolute.string() + "\n");
  }
  std::string copy = backup_time();
  FileDescriptor fd(::openat(folder_fd.get(), copy.c_str(),
                             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  for (int tries = 0; fd.get() < 0 && errno == EEXIST && tries < 100; ++tries) {
    copy = backup_time();  // the same microsecond as another backup: the next one
    fd = FileDescriptor(::openat(folder_fd.get(), copy.c_str(),
                                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  }
  const std::string shown = (folder / copy).string();
  if (fd.get() < 0) throw io_error(shown, "cannot create the backup");
  if (::fchmod(fd.get(), 0600) != 0 || !write_all(fd.get(), kept) || ::fsync(fd.get()) != 0) {
    ::unlinkat(folder_fd.get(), copy.c_str(), 0);
    throw io_error(shown, "cannot write the backup");
  }
  ::fsync(folder_fd.get());
  prune_backups(folder_fd.get(), folder.string());
  return shown;
}

std::string backup_beside(const std::string& path, const std::string& bytes,
                          const std::string& what) {
  struct stat info {};
  const mode_t mode = ::stat(path.c_str(), &info) == 0 ? (info.st_mode & 0777) : 0644;
  for (int n = 0; n < 1000; ++n) {
    const std::string backup = path + ".bak" + (n ? "." + std::to_string(n) : "");
    FileDescriptor fd(
        ::open(backup.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (fd.get() < 0) {
      if (errno == EEXIST) continue;
      throw io_error(backup, ("cannot write " + what).c_str());
    }
    if (!write_all(fd.get(), bytes) || ::fsync(fd.get()) != 0 || ::close(fd.release()) != 0) {
      const Error error = io_error(backup, ("cannot write " + what).c_str());
      ::unlink(backup.c_str());
      throw error;
    }
    return backup;
  }
  throw Error::io(path + ": 1000 backups beside it already; remove old ones");
}

FolderLock::FolderLock(const std::string& path, const std::function<void()>& on_wait) : fd_(-1) {
  const std::string folder = folder_of(path);
  FileDescriptor fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) throw io_error(folder, "cannot open the folder to lock it");
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) throw io_error(folder, "cannot lock");
    if (on_wait) on_wait();
    while (::flock(fd.get(), LOCK_EX) != 0)
      if (errno != EINTR) throw io_error(folder, "cannot lock");
  }
  fd_ = fd.release();
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace recall
