// The Anki round trip (docs/anki.md): recall's cards out as an .apkg the
// phone imports, and the answers given on the phone back into the log.
// The Anki format lives in engine/src/anki/ (the package's zip, its SQLite
// collection, zstd, the two tiny protobuf messages); recall's own database
// only through the store.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "recall/day.h"

namespace recall {

class Store;

// recall's note type in Anki: its id, field names and template name never
// change (Anki adds a copy of a note type whose fields or templates differ,
// and stops updating the notes).
inline constexpr long long kAnkiNotetypeId = 1764000000001;
inline constexpr const char* kAnkiNotetypeName = "recall card";
// Fields, in order: Front, Back, Context, RecallKey (the card's identity).
inline constexpr int kAnkiFieldCount = 4;

// The note guid of the card whose stable identity (identity.h) is
// `identity`: Anki's base91 of the first 8 bytes of SHA-256 of
// "recall:" + identity. The text never enters it, so an edited or
// renumbered card keeps its note on the phone.
std::string anki_guid(std::string_view identity);
// Anki's field checksum: the first 4 bytes, big-endian, of SHA-1 of the
// first field with its HTML stripped (anki_strip_html).
std::uint32_t anki_checksum(std::string_view first_field_html);
// A field's text without tags and comments, the common entities decoded
// (what Anki sorts and checksums).
std::string anki_strip_html(std::string_view html);
// recall's plain text as an Anki field: &, <, > escaped, line breaks <br>.
std::string anki_field_html(std::string_view text);

// `recall export anki FILE.apkg`.
struct AnkiExportOptions {
  std::optional<char> domain_letter;       // --domain A
  std::optional<std::string> topic_label;  // --topic A.8
  bool with_schedule = false;              // studied cards go out with their state
  bool include_drafts = false;             // cards flagged quality "review" too
  std::string parent_deck = "recall";      // --deck: the decks' parent
};
struct AnkiExportReport {
  int notes = 0;
  int decks = 0;            // one per domain (and one for cards without a domain)
  int scheduled = 0;        // cards written with their state (--with-schedule)
  int drafts_left_out = 0;  // flagged cards not written (no --include-drafts)
  int suspended_left_out = 0;
};
// Writes the package atomically at `path` (write_file_atomically). Refuses,
// with Error(kUsage) naming the path, a file named collection.apkg (Anki
// takes it for a whole collection to replace), a name not ending in .apkg,
// the outputs paths.h protects and, unless `force`, an existing file that
// is not a zip. Retired and suspended cards are left out. `now` dates the
// package (note and card modification times).
AnkiExportReport export_anki(Store& store, const std::string& path,
                             const AnkiExportOptions& options, Day today,
                             std::chrono::system_clock::time_point now, bool force = false);

// The limits every package is read under (hostile packages, docs/anki.md):
// the collection's bytes once inflated and decompressed, and how much larger
// than its compressed form any entry may grow.
inline constexpr std::uint64_t kMaxAnkiCollectionBytes = std::uint64_t{2} << 30;  // 2 GiB
inline constexpr std::uint64_t kMaxAnkiExpansion = 200;                           // x compressed
inline constexpr std::uint64_t kMaxAnkiEntries = 200000;

// `recall import anki FILE`: the answers given on the phone.
struct AnkiImportReport {
  std::string layout;     // "anki2", "anki21" or "anki21b": the collection read
  int answers_read = 0;   // revlog rows
  int added = 0;          // answers added to the log
  int duplicates = 0;     // already in the log (an earlier import)
  int cards = 0;          // recall cards with answers added
  int rows_replayed = 0;  // logged answers whose states the merge recomputed
  int not_rated = 0;      // manual reschedules, cram and rescheduled rows: no rating
  int future = 0;         // dated after today: left out
  int foreign_notes = 0;  // notes that are not recall's: reported, left alone
  int foreign_answers = 0;
  bool dry_run = false;
};
// Reads a .apkg or .colpkg (every layout Anki writes, chosen by its `meta`
// entry), maps each Anki card to a recall card by (note guid, template 0)
// or its RecallKey field, and adds the rated answers (Again..Easy as grades
// 2..5, the button kept) at their real day (`rollover_hour`) in one
// transaction (an import source of answers: importer.h import_source).
// Throws Error(kData) naming
// `path` and what is wrong (not a zip, not an Anki collection, too new, a
// truncated stream, over a limit above); nothing is written then.
AnkiImportReport import_anki(Store& store, const std::string& path, bool dry_run, Day today);

}  // namespace recall
