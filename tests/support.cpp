#include "support.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace recall::test {

namespace fs = std::filesystem;

std::vector<ExistingCard> as_existing(const std::vector<CardDraft>& cards) {
  std::vector<ExistingCard> out;
  for (std::size_t i = 0; i < cards.size(); ++i)
    out.push_back({static_cast<long long>(i + 1), cards[i].identity, cards[i].kind, cards[i].source,
                   cards[i].topic_key});
  return out;
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = fs::temp_directory_path() /
          ("recall-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ignored);
  fs::remove_all(path_, ignored);
}

namespace {

// Every test process keeps recall's backups (files.h backup_folder) in a
// folder of its own, never in the user's ~/.local/state; the child
// processes of run_recall inherit it.
struct StateHome {
  TempDir dir;
  StateHome() { ::setenv("XDG_STATE_HOME", dir.path().c_str(), 1); }
};
StateHome& state_home() {
  static StateHome home;
  return home;
}
const bool kStateHomeSet = (state_home(), true);

}  // namespace

std::vector<std::string> backups_of(const std::string& path) {
  state_home();
  std::error_code error;
  const std::string absolute = fs::absolute(path).lexically_normal().string() + "\n";
  std::vector<std::string> found;
  const fs::path root = fs::path(std::getenv("XDG_STATE_HOME")) / "recall" / "backups";
  for (const auto& folder : fs::directory_iterator(root, error)) {
    if (read_bytes((folder.path() / "path").string()) != absolute) continue;
    for (const auto& file : fs::directory_iterator(folder.path(), error))
      if (file.path().filename() != "path") found.push_back(file.path().string());
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string newest_backup_of(const std::string& path) {
  const auto backups = backups_of(path);
  return backups.empty() ? "" : backups.back();
}

std::string source_path(const std::string& relative) {
  return std::string(RECALL_SOURCE_DIR) + "/" + relative;
}

std::string fixture_path() { return source_path("tests/data/ml-study-tracker.md"); }

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

namespace {

std::string quote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'')
      quoted += "'\\''";
    else
      quoted += c;
  }
  return quoted + "'";
}

}  // namespace

RunResult run_raw(const std::vector<std::string>& args, const std::string& input,
                  const std::string& env) {
  TempDir io;
  write_bytes(io.file("in"), input);
  std::string command = env + (env.empty() ? "" : " ") + quote(RECALL_BINARY);
  for (const auto& arg : args) command += " " + quote(arg);
  command +=
      " < " + quote(io.file("in")) + " > " + quote(io.file("out")) + " 2> " + quote(io.file("err"));
  const int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_bytes(io.file("out"));
  result.err = read_bytes(io.file("err"));
  return result;
}

RunResult run_recall(const std::string& db, const std::vector<std::string>& args,
                     const std::string& input) {
  std::vector<std::string> full = {"--db", db};
  full.insert(full.end(), args.begin(), args.end());
  return run_raw(full, input);
}

void import_fixture(const std::string& db, const std::string& today) {
  REQUIRE(run_recall(db, {"--today", today, "import", fixture_path()}).exit_code == 0);
}

void drill_drafts(const std::string& db) {
  REQUIRE(run_recall(db, {"config", "set", "drafts", "drill"}).exit_code == 0);
}

void flag_every_card(const std::string& db) {
  SQLite::Database raw(db, SQLite::OPEN_READWRITE);
  raw.exec("UPDATE cards SET quality = 'review', quality_reason = 'flagged by the test' "
           "WHERE quality = 'ok'");
}

std::string imported_fixture(const TempDir& dir, const std::string& today) {
  const std::string db = dir.file("r.db");
  import_fixture(db, today);
  return db;
}

std::vector<CardRef> topic_cards(const std::string& db, const std::string& label) {
  const std::string out = run_recall(db, {"cards", "--topic", label, "--json"}).out;
  std::vector<CardRef> cards;
  const std::string marker = "{\"id\":";
  for (std::size_t at = out.find(marker); at != std::string::npos; at = out.find(marker, at + 1)) {
    const long long id = std::stoll(out.substr(at + marker.size()));
    const std::size_t source = out.find("\"source\":\"", at) + 10;
    cards.push_back({id, out.substr(source, out.find('"', source) - source)});
  }
  return cards;
}

RecallProcess::RecallProcess(const std::vector<std::string>& args) {
  ::signal(SIGPIPE, SIG_IGN);  // a killed child must fail write(), not kill the tests
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> argv_storage = {RECALL_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(fds[0], 0);
    ::close(fds[0]);
    ::close(fds[1]);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[0]);
  stdin_fd_ = fds[1];
}

RecallProcess::~RecallProcess() {
  if (pid_ > 0) kill_hard();
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
}

void RecallProcess::write(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(stdin_fd_, text.data() + done, text.size() - done);
    if (n <= 0) throw std::runtime_error("write to recall failed");
    done += static_cast<std::size_t>(n);
  }
}

void RecallProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

int RecallProcess::wait_exit() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string line_with(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  if (at == std::string::npos) return "";
  const auto start = text.rfind('\n', at) + 1;
  return text.substr(start, text.find('\n', at) - start);
}

unsigned mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

unsigned own_mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::lstat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

bool waits_for_lock(pid_t pid) {
  std::ifstream locks("/proc/locks");
  const std::string needle = " " + std::to_string(pid) + " ";
  for (std::string line; std::getline(locks, line);)
    if (line.find("->") != std::string::npos && line.find(needle) != std::string::npos) return true;
  return false;
}

long long review_count(const std::string& db) {
  SQLite::Database connection(db, SQLite::OPEN_READONLY);
  connection.setBusyTimeout(10000);
  return connection.execAndGet("SELECT COUNT(*) FROM reviews").getInt64();
}

void wait_for_reviews(const std::string& db, long long at_least) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (review_count(db) < at_least) {
    REQUIRE(std::chrono::steady_clock::now() < give_up);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string integrity(const std::string& db) {
  SQLite::Database connection(db, SQLite::OPEN_READONLY);
  connection.setBusyTimeout(10000);
  return connection.execAndGet("PRAGMA integrity_check").getString();
}

bool one_error_line(const std::string& err) {
  return err.rfind("recall: ", 0) == 0 && err.find('\n') == err.size() - 1;
}

std::vector<std::string> schema_of(const std::string& path, bool autoincrement) {
  SQLite::Database raw(path);
  std::vector<std::string> objects;
  SQLite::Statement s(raw, "SELECT type, name, COALESCE(sql, '') FROM sqlite_master ORDER BY name");
  while (s.executeStep()) {
    const std::string type = s.getColumn(0).getString(), name = s.getColumn(1).getString();
    if (type != "table") {
      objects.push_back(type + " " + name + ": " + s.getColumn(2).getString());
      continue;
    }
    if (autoincrement) {
      const bool is_auto = s.getColumn(2).getString().find("AUTOINCREMENT") != std::string::npos;
      objects.push_back("table " + name + (is_auto ? " autoincrement" : ""));
    }
    SQLite::Statement columns(raw,
                              "SELECT name, type, \"notnull\", COALESCE(dflt_value, ''), pk "
                              "FROM pragma_table_info(?) ORDER BY cid");
    columns.bind(1, name);
    while (columns.executeStep())
      objects.push_back("table " + name + " column " + columns.getColumn(0).getString() + " " +
                        columns.getColumn(1).getString() +
                        " notnull=" + columns.getColumn(2).getString() +
                        " default=" + columns.getColumn(3).getString() +
                        " pk=" + columns.getColumn(4).getString());
  }
  return objects;
}

}  // namespace recall::test
