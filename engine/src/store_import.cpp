// Store methods for an import: the stored cards an import plans from, the
// no-op import record's digest, and applying a plan in one transaction.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <map>
#include "recall/text.h"

#include "recall/error.h"
#include "recall/store.h"
#include "store_impl.h"

namespace recall {

using namespace store_detail;

std::vector<StoredCardContent> Store::card_contents() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<StoredCardContent> result;
    // Sized once: a 60,000-card vector grown by doubling moves every record
    // several times and holds two copies at its peak.
    result.reserve(impl_->row_count("cards"));
    auto& s = impl_->statement(
        // A card a person filed under another topic (cards.moved) is
        // compared and matched under the tracker's topic for it.
        "SELECT c.id, c.identity, c.kind, c.source, COALESCE(t.topic_key, ''), c.front, c.back, "
        "c.tags, c.position, c.retired, c.edited, c.quality, c.quality_reason, "
        "COALESCE(cd.letter, ''), c.reviewed_by, c.reviewed_as FROM cards c "
        "LEFT JOIN topics t ON t.id = CASE WHEN c.moved THEN c.tracker_topic_id "
        "ELSE c.topic_id END "
        "LEFT JOIN domains cd ON cd.id = c.domain_id ORDER BY c.id");
    // One Row for the whole read: getColumn makes a Column per call.
    for_each_row(s, [&](const Row& row) {
      StoredCardContent& content = result.emplace_back();
      content.match.id = row.int64(0);
      content.match.identity = row.text(1);
      content.match.kind = card_kind_from_string(row.view(2));
      content.match.source = row.text(3);
      content.topic_key = row.text(4);
      // A checklist, gap or discrimination card is filed under the topic it
      // drills, which its identity does not hold: matching sees no topic.
      if (is_point_kind(content.match.kind) || content.match.kind == CardKind::kTopic)
        content.match.topic_key = content.topic_key;
      content.front = row.text(5);
      content.back = row.text(6);
      content.tags = row.text(7);
      content.position = row.integer(8);
      content.retired = row.integer(9) != 0;
      content.edited_at = row.int64(10);
      content.edited = content.edited_at != 0;
      content.quality = row.text(11);
      content.quality_reason = row.text(12);
      content.domain_letter = row.letter(13);
      content.reviewed_by = row.text(14);
      content.reviewed_as = row.text(15);
    });
    return result;
  });
}

std::string join_tags(const std::vector<std::string>& tags) {
  std::string joined;
  for (const auto& tag : tags) {
    if (!joined.empty()) joined += ' ';
    joined += tag;
  }
  return joined;
}

namespace {

// A 64-bit digest of a sequence of values, word by word (a multiply-rotate
// mix as in xxHash/MurmurHash, read little-endian whatever the machine): the
// same in every build, unlike std::hash. Each value is its length (or a
// NULL mark) and its bytes, so no two sequences of values run together.
// It tells a change apart, nothing more: it is no defence against forgery.
class Digest {
 public:
  void add(std::string_view bytes) {
    mix(bytes.size());
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t left = bytes.size();
    for (; left >= 8; p += 8, left -= 8) mix(load(p, 8));
    if (left > 0) mix(load(p, left));
  }
  void add(long long number) { add(std::string_view(std::to_string(number))); }
  void add_null() { mix(~std::uint64_t{0}); }
  // A column of any type (its text, as SQLite gives it), or NULL.
  void add_column(const Row& row, int i) {
    if (row.null(i))
      add_null();
    else
      add(row.view(i));
  }
  std::string hex() const {
    std::uint64_t h = hash_;  // final avalanche (MurmurHash3's fmix64)
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    static const char digits[] = "0123456789abcdef";
    std::string text(16, '0');
    for (int i = 0; i < 16; ++i) text[15 - i] = digits[(h >> (4 * i)) & 0xf];
    return text;
  }

 private:
  static std::uint64_t load(const unsigned char* p, std::size_t n) {
    std::uint64_t word = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&word, p, n);  // one load for a whole word
    } else {
      for (std::size_t i = 0; i < n; ++i) word |= std::uint64_t{p[i]} << (8 * i);
    }
    return word;
  }
  void mix(std::uint64_t word) {
    hash_ ^= word * 0x9e3779b97f4a7c15ULL;
    hash_ = ((hash_ << 31) | (hash_ >> 33)) * 0x87c37b91114253d5ULL;
  }
  std::uint64_t hash_ = 0x27d4eb2f165667c5ULL;
};

// What an import writes besides the cards, each query in a fixed order.
constexpr const char* kImportDigestQueries[] = {
    "SELECT id, topic_key, label, title, domain_id, confidence, in_progress, retired, position "
    "FROM topics ORDER BY id",
    "SELECT id, letter, name, weight, total_topics FROM domains ORDER BY id",
    "SELECT id, gap_key, text, tier, recurring, origin, resolved_day, note, in_tracker "
    "FROM gaps ORDER BY id",
    "SELECT gap_id, card_id FROM gap_cards ORDER BY gap_id, card_id",
    "SELECT key, value FROM settings WHERE key IN ('tracker-interview-date', 'tracker-path') "
    "ORDER BY key",
};

}  // namespace

std::string Store::Impl::import_digest(const std::vector<StoredCardContent>& cards) {
  Digest digest;
  // The cards as the import read them (card_contents()): every field a plan
  // compares, by id. Hashed from memory, so recording a no-op import costs
  // no second read of 60,000 cards.
  for (const StoredCardContent& card : cards) {
    digest.add(card.match.id);
    digest.add(card.match.identity);
    digest.add(to_string(card.match.kind));
    digest.add(card.match.source);
    digest.add(card.topic_key);
    digest.add(std::string_view(&card.domain_letter, card.domain_letter ? 1 : 0));
    digest.add(card.front);
    digest.add(card.back);
    digest.add(card.tags);
    digest.add(static_cast<long long>(card.position));
    digest.add(static_cast<long long>(card.retired));
    digest.add(static_cast<long long>(card.edited));
    digest.add(card.reviewed_by);
    digest.add(card.reviewed_as);
  }
  for (const char* sql : kImportDigestQueries) {
    digest.add_null();  // between tables
    auto& s = statement(sql);
    for_each_row(s, [&](const Row& row) {
      for (int i = 0; i < s.getColumnCount(); ++i) digest.add_column(row, i);
    });
  }
  return digest.hex();
}

Store::AnswerImportCounts Store::import_source(const ImportPlanner& plan_for,
                                               const AnswerWalk& answers, const LogReplayer& replay,
                                               Day today, bool dry_run) {
  return store_detail::guarded(*impl_, path_, [&] {
    AnswerImportCounts counts;
    // The write lock first, then the read the plan rests on: a plan made
    // from cards read before the lock could meet cards another import wrote
    // meanwhile (inserting an identity that now exists, or recording "this
    // text changes nothing" over another text's cards).
    store_detail::WriteTransaction transaction(*impl_);
    if (plan_for) {
      const std::vector<StoredCardContent> stored = card_contents();
      const ImportPlan plan = plan_for(stored);
      const bool refiled = apply_import(plan, today);
      // The no-op import record (importer.h) holds only while nothing but a
      // tracker import that changed nothing has written cards since. It
      // carries a digest of the rows it vouches for, as they are now, for
      // `recall check` (store_check.cpp): a plan that writes no card leaves
      // them as `stored` holds them.
      const bool writes_cards =
          !plan.card_writes.empty() || !plan.retire_ids.empty() || refiled;
      if (plan.fingerprint && !writes_cards)
        impl_->write_setting(kImportRecordSetting, *plan.fingerprint + "\n" + kImportDigestPrefix +
                                                       impl_->import_digest(stored));
      else
        impl_->erase_setting(kImportRecordSetting);
    }
    // Answers written again under new ids are no longer the latest given
    // here: `recall undo` does not reach them (Store::undo_last).
    if (answers && merge_answers(answers, replay, counts)) {
      auto& top = impl_->statement("SELECT COALESCE(MAX(id), 0) FROM reviews");
      top.executeStep();
      const long long floor = top.getColumn(0).getInt64();
      top.reset();
      impl_->write_setting(kUndoFloorSetting, std::to_string(floor));
    }
    if (!dry_run) transaction.commit();
    return counts;
  });
}

// Inside import_source's transaction.
bool Store::apply_import(const ImportPlan& plan, Day today) {
  auto& db = impl_->db;
  // Each upsert writes only when something differs, so re-importing an
  // unchanged tracker leaves every row as it was.
  for (const auto& domain : plan.domains) {
    auto& s = impl_->statement(
        "INSERT INTO domains(letter, name, weight, total_topics) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(letter) DO UPDATE SET name = excluded.name, weight = excluded.weight, "
        "total_topics = excluded.total_topics WHERE name IS NOT excluded.name OR "
        "weight IS NOT excluded.weight OR total_topics IS NOT excluded.total_topics");
    s.bind(1, std::string(1, domain.letter));
    s.bind(2, domain.name);
    s.bind(3, domain.weight);
    s.bind(4, domain.total_topics);
    s.exec();
  }
  db.exec("CREATE TEMP TABLE IF NOT EXISTS seen_topics(topic_key TEXT PRIMARY KEY)");
  db.exec("DELETE FROM temp.seen_topics");
  // Looked up once, reset per row (a lookup hashes the whole SQL text).
  auto& upsert_topic = impl_->statement(
      "INSERT INTO topics(topic_key, label, title, domain_id, confidence, in_progress, "
      "retired, position) VALUES (?1, ?2, ?3, (SELECT id FROM domains WHERE letter = ?4), "
      "?5, ?6, 0, ?7) ON CONFLICT(topic_key) DO UPDATE SET label = excluded.label, "
      "title = excluded.title, domain_id = excluded.domain_id, "
      "confidence = excluded.confidence, in_progress = excluded.in_progress, retired = 0, "
      "position = excluded.position WHERE label IS NOT excluded.label OR "
      "title IS NOT excluded.title OR domain_id IS NOT excluded.domain_id OR "
      "confidence IS NOT excluded.confidence OR in_progress IS NOT excluded.in_progress OR "
      "retired != 0 OR position IS NOT excluded.position");
  auto& seen_topic = impl_->statement("INSERT OR IGNORE INTO temp.seen_topics VALUES (?)");
  for (const auto& topic : plan.topics) {
    auto& s = upsert_topic;
    s.reset();
    s.bind(1, topic.topic_key);
    s.bind(2, topic.label);
    s.bind(3, topic.title);
    s.bind(4, std::string(1, topic.domain_letter));
    s.bind(5, topic.confidence);
    s.bind(6, topic.in_progress ? 1 : 0);
    s.bind(7, topic.position);
    s.exec();
    seen_topic.reset();
    seen_topic.bind(1, topic.topic_key);
    seen_topic.exec();
  }
  bool refiled = false;
  if (!plan.partial) {
    db.exec(
        "UPDATE topics SET retired = 1 WHERE retired = 0 AND topic_key NOT IN "
        "(SELECT topic_key FROM temp.seen_topics)");
    // A card a person filed under a topic the tracker no longer has (renamed
    // or removed) goes back under the tracker's own topic for it, its
    // context line that topic's (none for no topic): not left in a retired
    // topic no command lists.
    auto& stranded = impl_->statement(
        "SELECT c.id, c.front, c.back, t.label, t.title, d.letter, d.name FROM cards c "
        "JOIN topics here ON here.id = c.topic_id AND here.retired = 1 "
        "LEFT JOIN topics t ON t.id = c.tracker_topic_id "
        "LEFT JOIN domains d ON d.id = t.domain_id WHERE c.moved = 1");
    struct Refile {
      long long id;
      std::string front, back;
    };
    std::vector<Refile> refiles;
    while (stranded.executeStep()) {
      const std::string context =
          stranded.getColumn(3).isNull()
              ? std::string()
              : store_detail::topic_context_line(
                    stranded.getColumn(3).getString(), stranded.getColumn(4).getString(),
                    stranded.getColumn(5).getString(), stranded.getColumn(6).getString());
      refiles.push_back(
          {stranded.getColumn(0).getInt64(),
           store_detail::with_context_line_replaced(stranded.getColumn(1).getString(), context),
           store_detail::with_context_line_replaced(stranded.getColumn(2).getString(), context)});
    }
    stranded.reset();
    for (const Refile& r : refiles) {
      auto& s = impl_->statement(
          "UPDATE cards SET topic_id = tracker_topic_id, tracker_topic_id = NULL, moved = 0, "
          "front = ?2, back = ?3 WHERE id = ?1");
      s.bind(1, static_cast<int64_t>(r.id));
      s.bind(2, r.front);
      s.bind(3, r.back);
      s.exec();
      refiled = true;
    }
  }
  // Every card's topic id from one read of the topics (a few thousand rows)
  // rather than a lookup per card row; a key no topic has stays NULL.
  std::unordered_map<std::string, long long> topic_ids;
  if (!plan.card_writes.empty()) {
    auto& ids = impl_->statement("SELECT topic_key, id FROM topics");
    while (ids.executeStep())
      topic_ids.emplace(ids.getColumn(0).getString(), ids.getColumn(1).getInt64());
  }
  const auto bind_topic_id = [&](SQLite::Statement& s, int index, const std::string& key) {
    const auto found = topic_ids.find(key);
    if (found == topic_ids.end())
      s.bind(index);
    else
      s.bind(index, static_cast<int64_t>(found->second));
  };
  // Both statements looked up once, reset per row. Texts are bound without
  // a copy: the plan outlives each row's step.
  auto& insert = impl_->statement(
      "INSERT INTO cards(identity, topic_id, kind, front, back, source, tags, position, "
      "created_day, edited, quality, quality_reason, domain_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
      "?7, ?8, ?9, CASE WHEN ?10 THEN " +
      std::string(kEditTimeSql) +
      " ELSE 0 END, CASE WHEN ?10 THEN 'ok' ELSE ?11 END, CASE WHEN ?10 THEN '' ELSE ?12 END, "
      "(SELECT id FROM domains WHERE letter = ?13))");
  // A card a person edited (before, or by this deck) is 'ok' whatever the
  // rules say (SET expressions read the row as it was). A deck's text that
  // differs from the card's is an edit made now.
  auto& update = impl_->statement(
      // A card a person filed under another topic keeps it, and follows
      // the tracker's topic for it (tracker_topic_id).
      "UPDATE cards SET identity = ?1, topic_id = CASE WHEN moved THEN topic_id ELSE ?2 END, "
      "tracker_topic_id = CASE WHEN moved THEN ?2 ELSE tracker_topic_id END, kind = ?3, "
      "front = ?4, back = ?5, "
      "source = ?6, tags = ?7, position = ?8, retired = 0, edited = CASE WHEN ?10 AND "
      "(front IS NOT ?4 OR back IS NOT ?5) THEN " +
      std::string(kEditTimeSql) +
      " ELSE MAX(edited, ?10) END, "
      "quality = CASE WHEN edited OR ?10 THEN 'ok' ELSE ?11 END, "
      "quality_reason = CASE WHEN edited OR ?10 THEN '' ELSE ?12 END, "
      "domain_id = (SELECT id FROM domains WHERE letter = ?13), "
      // A deck's new text is the learner's edit; a changed key point under
      // an approval (CardWrite::clear_review) is not reviewed any more.
      "reviewed_by = CASE WHEN ?10 THEN 'learner' WHEN ?14 THEN '' ELSE reviewed_by END, "
      "reviewed_as = CASE WHEN ?10 THEN 'edited' WHEN ?14 THEN '' ELSE reviewed_as END, "
      "reviewed_day = CASE WHEN ?10 THEN ?15 WHEN ?14 THEN NULL ELSE reviewed_day END "
      "WHERE id = ?9");
  std::string tags;
  for (const auto& write : plan.card_writes) {
    const CardDraft& d = write.draft;
    auto& s = write.id == 0 ? insert : update;
    s.reset();
    tags = join_tags(d.tags);
    s.bindNoCopy(1, d.identity);
    const std::string& topic = filed_topic_key(d);
    bind_topic_id(s, 2, topic);
    s.bindNoCopy(3, to_string(d.kind).data());  // a literal: NUL-terminated
    s.bindNoCopy(4, d.front);
    s.bindNoCopy(5, d.back);
    s.bindNoCopy(6, d.source);
    s.bindNoCopy(7, tags);
    s.bind(8, d.order);
    if (write.id == 0)
      s.bind(9, today);
    else
      s.bind(9, static_cast<int64_t>(write.id));
    s.bind(10, write.from_deck ? 1 : 0);
    s.bindNoCopy(11, d.quality);
    s.bindNoCopy(12, d.quality_reason);
    // A card without topic is filed under its domain (a checklist group's).
    if (topic.empty() && d.domain_letter != '?' && d.domain_letter != 0)
      s.bind(13, std::string(1, d.domain_letter));
    else
      s.bind(13);
    if (write.id != 0) {
      s.bind(14, write.clear_review ? 1 : 0);
      s.bind(15, today);
    }
    s.exec();
  }
  insert.clearBindings();
  update.clearBindings();
  if (!plan.card_writes.empty()) impl_->recount_tallies();
  for (long long id : plan.retire_ids) {
    auto& s = impl_->statement("UPDATE cards SET retired = 1 WHERE id = ? AND retired = 0");
    s.bind(1, static_cast<int64_t>(id));
    s.exec();
  }
  if (plan.partial) return refiled;
  db.exec("CREATE TEMP TABLE IF NOT EXISTS seen_gaps(gap_key TEXT PRIMARY KEY)");
  db.exec("DELETE FROM temp.seen_gaps");
  for (const auto& gap : plan.gaps) {
    auto& s = impl_->statement(
        "INSERT INTO gaps(gap_key, text, tier, recurring, origin, resolved_day, note, "
        "in_tracker) VALUES (?1, ?2, ?3, ?4, 'tracker', ?5, ?6, 1) "
        "ON CONFLICT(gap_key) DO UPDATE SET text = excluded.text, tier = excluded.tier, "
        "recurring = excluded.recurring, resolved_day = excluded.resolved_day, "
        "note = excluded.note, in_tracker = 1 WHERE text IS NOT excluded.text OR "
        "tier IS NOT excluded.tier OR recurring IS NOT excluded.recurring OR "
        "resolved_day IS NOT excluded.resolved_day OR note IS NOT excluded.note OR "
        "in_tracker != 1");
    s.bind(1, gap.gap_key);
    s.bind(2, gap.text);
    s.bind(3, std::string(to_string(gap.tier)));
    s.bind(4, gap.recurring ? 1 : 0);
    bind_optional_day(s, 5, parse_day(gap.resolution_date));
    s.bind(6, gap.note);
    s.exec();
    auto& seen = impl_->statement("INSERT OR IGNORE INTO temp.seen_gaps VALUES (?)");
    seen.bind(1, gap.gap_key);
    seen.exec();
    // Links are few per gap: replace the rules' links only when they differ.
    // A card added by hand, or any card the tutor linked (gap_cards.tutor),
    // is not the rules' to replace: it keeps its link. One read gives both:
    // the rules' links to compare, the tutor's to leave out of the comparison.
    auto& current = impl_->statement(
        std::string("SELECT c.identity, gc.tutor FROM gap_cards gc JOIN cards c ON c.id = "
                    "gc.card_id JOIN gaps g ON g.id = gc.gap_id WHERE g.gap_key = ? AND NOT ") +
        kByHandCardSql + " ORDER BY c.identity");
    current.bind(1, gap.gap_key);
    std::string have;
    std::vector<std::string> tutors;
    while (current.executeStep()) {
      std::string identity = current.getColumn(0).getString();
      if (current.getColumn(1).getInt() != 0) {
        tutors.push_back(std::move(identity));
      } else {
        have += (have.empty() ? "" : "\n") + identity;
      }
    }
    current.reset();
    // The cards the tutor took away from the gap (gap_unlinks) are left
    // out like the tutor's own links: the rules do not link them again.
    auto& unlinked = impl_->statement(
        "SELECT c.identity FROM gap_unlinks u JOIN cards c ON c.id = u.card_id "
        "JOIN gaps g ON g.id = u.gap_id WHERE g.gap_key = ?");
    unlinked.bind(1, gap.gap_key);
    while (unlinked.executeStep()) tutors.push_back(unlinked.getColumn(0).getString());
    unlinked.reset();
    std::vector<std::string> wanted = gap.card_identities;
    std::erase_if(wanted, [&](const std::string& identity) {
      return std::find(tutors.begin(), tutors.end(), identity) != tutors.end();
    });
    std::sort(wanted.begin(), wanted.end());
    std::string want;
    for (const auto& identity : wanted) want += (want.empty() ? "" : "\n") + identity;
    if (have == want) continue;
    auto& clear = impl_->statement(
        std::string("DELETE FROM gap_cards WHERE gap_id = (SELECT id FROM gaps WHERE gap_key = ?) "
                    "AND tutor = 0 AND NOT EXISTS (SELECT 1 FROM cards c "
                    "WHERE c.id = gap_cards.card_id AND ") +
        kByHandCardSql + ")");
    clear.bind(1, gap.gap_key);
    clear.exec();
    for (const auto& identity : wanted) {
      auto& link = impl_->statement(
          "INSERT OR IGNORE INTO gap_cards(gap_id, card_id) SELECT g.id, c.id FROM gaps g, "
          "cards c WHERE g.gap_key = ? AND c.identity = ?");
      link.bind(1, gap.gap_key);
      link.bind(2, identity);
      link.exec();
    }
  }
  db.exec(
      "UPDATE gaps SET in_tracker = 0 WHERE in_tracker = 1 AND origin = 'tracker' AND "
      "gap_key NOT IN (SELECT gap_key FROM temp.seen_gaps)");
  // The tracker's interview date (tracker_interview_date(), store_stats.cpp).
  if (plan.interview_date)
    impl_->write_setting("tracker-interview-date", format_day(*plan.interview_date));
  else
    impl_->erase_setting("tracker-interview-date");
  if (plan.source_path) impl_->write_setting(kTrackerPathSetting, *plan.source_path);
  return refiled;
}

}  // namespace recall
