// Internal to engine/src/anki/: the package as files. Writing a legacy
// (schema 11) collection and its zip; reading any layout back to a
// collection file on disk, within the limits of anki.h. Nothing here knows
// recall's database.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace recall::anki {

// A file in the temporary folder, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& stem);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One note and its one card, as the export writes them (fields already HTML).
struct NoteRow {
  long long id = 0;  // note id and card id (two tables: one number)
  std::string guid;
  std::vector<std::string> fields;  // kAnkiFieldCount of them
  std::string tags;                 // space separated, no surrounding spaces
  long long deck_id = 0;
  int position = 0;  // new-card order
  // With a schedule: Anki card type 2, queue 2.
  bool scheduled = false;
  int due = 0;  // days since the collection's creation
  int interval = 0;
  int factor = 0;  // EF in thousandths
  int reps = 0;
  int lapses = 0;
};
struct DeckRow {
  long long id = 0;
  std::string name;  // "recall::A. ML Fundamentals"
};
struct Collection {
  long long created_s = 0;  // col.crt, unix seconds
  long long now_ms = 0;
  std::vector<DeckRow> decks;
  std::vector<NoteRow> notes;
};

// The legacy package's bytes: a zip of collection.anki2 (schema 11,
// ver 11) and `media` ({}), no `meta`.
std::string write_package(const Collection& collection);

// What the reader found in a package.
enum class Layout { kLegacy1, kLegacy2, kLatest };
std::string_view layout_name(Layout layout);  // "anki2", "anki21", "anki21b"

// One answer of the collection's revlog with its note and card.
struct RevlogRow {
  long long id = 0;  // ms since the epoch
  int ease = 0;      // 1..4; 0 for a manual row
  int type = 0;      // 0 learn 1 review 2 relearn 3 filtered 4 manual 5 rescheduled
  long long factor = 0;
  std::string guid;
  int ord = 0;
  long long mid = 0;
  std::string recall_key;  // the 4th field when mid is recall's note type
};

// A package opened and its collection extracted to a temporary file (the
// zstd stream of anki21b decoded, its WAL header cleared), checked to be an
// Anki collection of schema 11..18. `source_name` names the package in
// errors. Throws Error(kData) "<name>: <what is wrong>".
class Package {
 public:
  // From a file, or from bytes in memory (the fuzz target).
  static Package open_file(const std::string& path);
  static Package open_bytes(std::string_view bytes, const std::string& source_name);
  static Package make(std::string name, Layout layout, std::unique_ptr<TempFile> file);
  Layout layout() const { return layout_; }
  // Every revlog row in (guid, ord, id) order, one at a time: the
  // collection is read with SQLite from the temporary file, never whole.
  // `row` may throw to stop.
  void for_each_revlog(const std::function<void(const RevlogRow& row)>& row) const;

 private:
  Package(std::string name, Layout layout, std::unique_ptr<TempFile> file)
      : name_(std::move(name)), layout_(layout), file_(std::move(file)) {}
  std::string name_;
  Layout layout_ = Layout::kLegacy1;
  std::unique_ptr<TempFile> file_;
};

}  // namespace recall::anki
