// Store::check and Store::backup: the database verified against itself, and
// a consistent copy taken while other processes may be writing.
#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>

#include "recall/check.h"
#include "recall/paths.h"
#include "recall/rules.h"
#include "recall/store.h"
#include "store_impl.h"

namespace recall {

using namespace store_detail;

// A no-op import record (importer.h) lets the next import of its text skip
// the comparison. Its digest line is import_digest() as it was written; a
// different digest now means some write changed what the record vouches for
// without clearing it, and that import would wrongly change nothing. A
// record without a digest line comes from a recall before schema 4: its
// fingerprint names the older schema, so no import can match it.
std::optional<std::string> Store::Impl::recorded_import_digest() {
  auto& s = statement("SELECT value FROM settings WHERE key = ?");
  s.bind(1, std::string(kImportRecordSetting));
  if (!s.executeStep()) return std::nullopt;
  const std::string record = s.getColumn(0).getString();
  s.reset();
  const std::string marker = std::string("\n") + kImportDigestPrefix;
  const auto at = record.rfind(marker);
  if (at == std::string::npos) return std::nullopt;
  return record.substr(at + marker.size());
}

namespace {

CheckProblem stale_import_record(const std::string& recorded, const std::string& now) {
  return {"import", 0, 0,
          "the no-op import record vouches for cards, topics and gaps with digest " + recorded +
              ", the database holds " + now +
              ": re-importing that tracker would wrongly change nothing (`recall sync --dry-run` "
              "or an import of another file compares in full and clears it)"};
}

}  // namespace

CheckReport Store::check() {
  return guarded(*impl_, path_, [&] {
    CheckReport report;
    auto& db = impl_->db;
    impl_->before_transaction();  // a statement left mid-result would pin an older snapshot
    // One read transaction: every query sees the same snapshot (WAL readers
    // do not block the writer), so a drill answering meanwhile cannot make a
    // card look out of step with its log.
    SQLite::Transaction snapshot(db, SQLite::TransactionBehavior::DEFERRED);
    {
      SQLite::Statement integrity(db, "PRAGMA integrity_check");
      while (integrity.executeStep()) {
        const std::string line = integrity.getColumn(0).getString();
        if (line != "ok") report.problems.push_back({"integrity", 0, 0, line});
      }
    }
    {
      SQLite::Statement keys(db, "PRAGMA foreign_key_check");
      while (keys.executeStep()) {
        const std::string table = keys.getColumn(0).getString();
        const long long row = keys.getColumn(1).isNull() ? 0 : keys.getColumn(1).getInt64();
        report.problems.push_back({"foreign_key", table == "cards" ? row : 0,
                                   table == "reviews" ? row : 0,
                                   table + " row " + std::to_string(row) + " refers to a missing " +
                                       keys.getColumn(2).getString() + " row"});
      }
    }
    bool interview_set = false;
    {
      auto& s = impl_->statement(
          "SELECT COUNT(*) FROM settings WHERE key LIKE '%interview%' AND value <> ''");
      if (s.executeStep()) interview_set = s.getColumn(0).getInt() > 0;
    }
    std::map<long long, CardHistory> histories;
    // What the triggers keep (schema.sql): each card's last two failure days.
    std::map<long long, std::pair<std::optional<Day>, std::optional<Day>>> failure_days;
    std::map<long long, std::optional<KeptMemory>> kept_memory;  // model.h KeptMemory
    {
      auto& cards = impl_->statement(
          "SELECT id, repetitions, easiness, interval_days, due_day, lapses, fail_last, fail_prev, "
          "risk, stability, difficulty, memory_day FROM cards ORDER BY id");
      while (cards.executeStep()) {
        CardHistory history;
        history.card_id = cards.getColumn(0).getInt64();
        history.current = {cards.getColumn(1).getInt(), cards.getColumn(2).getInt(),
                           cards.getColumn(3).getInt(), optional_day(cards.getColumn(4)),
                           cards.getColumn(5).getInt()};
        history.current_risk = cards.getColumn(8).getInt();
        failure_days[history.card_id] = {optional_day(cards.getColumn(6)),
                                         optional_day(cards.getColumn(7))};
        kept_memory[history.card_id] = read_kept_memory(Row(cards), 9);
        histories.emplace(history.card_id, std::move(history));
      }
    }
    for (const auto& tally : tallies()) {
      auto& s = impl_->statement("SELECT (SELECT value FROM tallies WHERE name = '" + tally.name +
                                 "'), (SELECT COUNT(*) FROM cards c WHERE " + tally.where + ")");
      s.executeStep();
      const std::string kept = s.getColumn(0).isNull() ? "none" : s.getColumn(0).getString();
      const std::string counted = s.getColumn(1).getString();
      if (kept != counted)
        report.problems.push_back(
            {"derived", 0, 0,
             "the " + tally.label + " tally says " + kept + ", the cards say " + counted});
    }
    {
      auto& s = impl_->statement(
          "SELECT (SELECT value FROM tallies WHERE name = 'reviews'), (SELECT COUNT(*) FROM reviews)");
      s.executeStep();
      const std::string kept = s.getColumn(0).isNull() ? "none" : s.getColumn(0).getString();
      const std::string counted = s.getColumn(1).getString();
      s.reset();
      if (kept != counted)
        report.problems.push_back(
            {"derived", 0, 0, "the review log tally says " + kept + ", the log holds " + counted});
    }
    {
      // Each topic's kept evidence (topic_answers) against its cards' logs
      // after its baseline (the sync-confidence-since: setting).
      auto& topics = impl_->statement(
          "SELECT t.id, t.label, a.since, a.graded, a.passed, a.days, a.last_day, "
          "COALESCE((SELECT CAST(value AS INTEGER) FROM settings "
          "WHERE key = 'sync-confidence-since:' || t.topic_key), 0) AS baseline, "
          "(SELECT COUNT(*) || ' ' || COALESCE(SUM(r.grade >= 3), 0) || ' ' || "
          "COUNT(DISTINCT r.day) || ' ' || COALESCE(MAX(r.day), '-') FROM cards c "
          "JOIN reviews r ON r.card_id = c.id WHERE c.topic_id = t.id AND r.kind <> 'redrill' "
          "AND r.id > COALESCE((SELECT CAST(value AS INTEGER) FROM settings "
          "WHERE key = 'sync-confidence-since:' || t.topic_key), 0)) "
          "FROM topics t LEFT JOIN topic_answers a ON a.topic_id = t.id ORDER BY t.id");
      while (topics.executeStep()) {
        const std::string label = topics.getColumn(1).getString();
        if (topics.getColumn(2).isNull()) {
          report.problems.push_back(
              {"derived", 0, 0, "topic " + label + " has no kept answer counts"});
          continue;
        }
        const std::string kept = topics.getColumn(3).getString() + " " +
                                 topics.getColumn(4).getString() + " " +
                                 topics.getColumn(5).getString() + " " +
                                 (topics.getColumn(6).isNull() ? std::string("-")
                                                               : topics.getColumn(6).getString());
        const std::string counted = topics.getColumn(8).getString();
        if (topics.getColumn(2).getInt64() != topics.getColumn(7).getInt64() || kept != counted)
          report.problems.push_back(
              {"derived", 0, 0,
               "topic " + label + "'s kept answer counts (graded passed days last-day) are " +
                   kept + " since answer " + topics.getColumn(2).getString() + ", its log says " +
                   counted + " since answer " + topics.getColumn(7).getString()});
      }
    }
    {
      auto& reviews = impl_->statement(std::string("SELECT ") + kReviewColumns +
                                       " FROM reviews ORDER BY card_id, id");
      store_detail::for_each_row(reviews, [&](const store_detail::Row& row) {
        ReviewLog log = read_review(row);
        ++report.reviews_checked;
        auto found = histories.find(log.card_id);
        if (found == histories.end()) return;  // reported by foreign_key_check
        found->second.reviews.push_back(std::move(log));
      });
    }
    {
      auto& gaps = impl_->statement(
          std::string("SELECT id, gap_open FROM (SELECT c.id, c.gap_open, ") + kOpenGapLinkSql +
          " AS linked FROM cards c) WHERE gap_open <> linked ORDER BY id");
      while (gaps.executeStep())
        report.problems.push_back({"derived", gaps.getColumn(0).getInt64(), 0,
                                   std::string("kept as ") +
                                       (gaps.getColumn(1).getInt() ? "" : "not ") +
                                       "linked to an open gap; the links say otherwise"});
      // A pair the tutor took away is never linked (edit_cards unlink_gap).
      auto& both = impl_->statement(
          "SELECT gc.card_id, gc.gap_id FROM gap_cards gc JOIN gap_unlinks u "
          "ON u.gap_id = gc.gap_id AND u.card_id = gc.card_id ORDER BY gc.card_id");
      while (both.executeStep())
        report.problems.push_back({"links", both.getColumn(0).getInt64(), 0,
                                   "linked to gap " + std::to_string(both.getColumn(1).getInt64()) +
                                       ", which the tutor took it away from (`recall check "
                                       "--repair` takes the link away)"});
    }
    if (const auto recorded = impl_->recorded_import_digest()) {
      const std::string now = impl_->import_digest(card_contents());
      if (*recorded != now) report.problems.push_back(stale_import_record(*recorded, now));
    }
    auto show = [](std::optional<Day> day) {
      return day ? std::to_string(*day) : std::string("none");
    };
    const fsrs::Parameters parameters = impl_->memory_parameters();
    for (const auto& [id, history] : histories) {
      ++report.cards_checked;
      std::set<Day> failed;
      for (const auto& log : history.reviews)
        if (is_failure(log.grade)) failed.insert(log.day);
      std::optional<Day> last, previous;
      if (!failed.empty()) last = *failed.rbegin();
      if (failed.size() >= 2) previous = *std::next(failed.rbegin());
      const auto& kept = failure_days[id];
      if (kept.first != last || kept.second != previous)
        report.problems.push_back({"derived", id, 0,
                                   "last failure days kept as " + show(kept.first) + ", " +
                                       show(kept.second) + "; the log says " + show(last) + ", " +
                                       show(previous)});
      fsrs::ReviewLog answers;
      answers.reserve(history.reviews.size());
      for (const auto& log : history.reviews) answers.push_back({log.day, log.grade});
      const auto replayed = replayed_memory(std::move(answers), parameters);
      if (!same_memory(kept_memory[id], replayed))
        report.problems.push_back({"memory", id, 0,
                                   "FSRS-6 memory kept as " + describe_memory(kept_memory[id]) +
                                       "; the log replays to " + describe_memory(replayed) +
                                       " (`recall check --repair` recomputes it)"});
      for (auto&& problems :
           {order_problems(history), replay_card(history, interview_set), replay_risk(history)})
        report.problems.insert(report.problems.end(), problems.begin(), problems.end());
    }
    return report;
  });
}

void Store::recompute_memory() {
  guarded(*impl_, path_, [&] {
    store_detail::WriteTransaction transaction(*impl_);
    impl_->refresh_all_memory();
    transaction.commit();
  });
}

int Store::drop_unlinked_links() {
  return store_detail::guarded(*impl_, path_, [&] {
    store_detail::WriteTransaction transaction(*impl_);
    impl_->db.exec(
        "DELETE FROM gap_cards WHERE EXISTS (SELECT 1 FROM gap_unlinks u "
        "WHERE u.gap_id = gap_cards.gap_id AND u.card_id = gap_cards.card_id)");
    const int dropped = impl_->db.getChanges();
    impl_->erase_setting(kImportRecordSetting);
    transaction.commit();
    return dropped;
  });
}

Store::LogRepairReport Store::repair_log() {
  return guarded(*impl_, path_, [&] {
    LogRepairReport report;
    auto& db = impl_->db;
    store_detail::WriteTransaction transaction(*impl_);
    std::map<long long, CardHistory> histories;
    {
      auto& reviews = impl_->statement(std::string("SELECT ") + kReviewColumns +
                                       " FROM reviews ORDER BY card_id, id");
      store_detail::for_each_row(reviews, [&](const store_detail::Row& row) {
        ReviewLog log = read_review(row);
        CardHistory& history = histories[log.card_id];
        history.card_id = log.card_id;
        history.reviews.push_back(std::move(log));
      });
    }
    for (const auto& [card_id, history] : histories) {
      const auto repair = recall::repair_log(history);
      if (!repair) continue;
      ++report.cards;
      report.redated += repair->redated;
      // The log is append-only (schema.sql): a repaired row is removed and
      // written again under its own id, so the failure-day triggers follow
      // and every id still names its answer. Later rows first, then in id
      // order, as the triggers expect a log written forward.
      std::size_t first = 0;
      while (first < repair->rows.size() && repair->rows[first] == history.reviews[first]) ++first;
      for (std::size_t i = history.reviews.size(); i-- > first;)
        impl_->delete_review(history.reviews[i].id);
      for (std::size_t i = first; i < repair->rows.size(); ++i)
        impl_->insert_review(repair->rows[i]);
      impl_->write_card_state(card_id, repair->state, repair->risk);
      impl_->refresh_memory(card_id);
    }
    // The log's kept size, counted again (a tally set wrong by hand).
    impl_->statement(
             "INSERT OR REPLACE INTO tallies(name, value) SELECT 'reviews', COUNT(*) FROM reviews")
        .exec();
    transaction.commit();
    return report;
  });
}

namespace {

// A backup is copied under `.NAME.recall-backup-PID` beside the destination
// and renamed into place, so a killed backup never leaves a half file under
// the destination's name.
constexpr const char kBackupTempInfix[] = ".recall-backup-";

std::string backup_temporary(const std::filesystem::path& target, long long pid) {
  return (target.parent_path() /
          ("." + target.filename().string() + kBackupTempInfix + std::to_string(pid)))
      .string();
}

void remove_with_sidecars(const std::string& file) {
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"})
    std::filesystem::remove(file + suffix, ignored);
}

// Removes what killed backups to `target` left: temporaries whose process is
// gone (kill(pid, 0) fails with ESRCH). A live owner's file is left alone.
void remove_stale_temporaries(const std::filesystem::path& target) {
  namespace fs = std::filesystem;
  const std::string prefix = "." + target.filename().string() + kBackupTempInfix;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(target.parent_path(), error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
        digits.size() > 9)
      continue;  // a sidecar (-journal) goes with its file below
    const long long pid = std::stoll(digits);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
      remove_with_sidecars(backup_temporary(target, pid));
  }
}

}  // namespace

void Store::backup(const std::string& destination) {
  namespace fs = std::filesystem;
  refuse_protected_output("backup", destination, protected_files(*this));
  const fs::path target = fs::absolute(destination).lexically_normal();
  std::error_code error;
  const fs::path folder = target.parent_path();
  if (!fs::is_directory(folder, error))
    throw Error::io(destination + ": folder " + folder.string() + " does not exist");
  remove_stale_temporaries(target);
  const std::string temporary = backup_temporary(target, static_cast<long long>(::getpid()));
  remove_with_sidecars(temporary);  // this pid's own leftover, from a process long gone
  try {
    guarded(destination, [&] {
      SQLite::Database copy(temporary, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      SQLite::Backup backup(copy, impl_->db);
      // -1: all pages in one step, under one read transaction of the source,
      // so the copy is one committed state even while a drill writes.
      for (int attempt = 0; backup.executeStep(-1) != SQLITE_DONE; ++attempt) {
        if (attempt >= 200) throw Error::io(destination + ": the database stayed busy; try again");
        ::usleep(50 * 1000);  // SQLITE_BUSY / SQLITE_LOCKED: another process holds a lock
      }
    });
    if (::rename(temporary.c_str(), target.c_str()) != 0)
      throw Error::io(destination +
                      ": cannot rename the finished copy into place: " + std::strerror(errno));
  } catch (...) {
    remove_with_sidecars(temporary);
    throw;
  }
}

}  // namespace recall
