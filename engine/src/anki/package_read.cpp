// Reading an Anki package (.apkg, .colpkg) of any layout Anki writes
// (docs/anki.md): the `meta` entry (protobuf PackageMetadata, decoded by
// hand) picks collection.anki21b (zstd, schema 18), collection.anki21 or
// collection.anki2; without it, anki21 when present, else anki2. The
// collection goes to a temporary file, streamed (zip entries stored or
// deflated; zstd decoded in a loop, its size never trusted), within the
// limits of anki.h, and SQLite reads it read-only. SQLiteCpp reads this
// foreign file here: it is not recall's store.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <zip.h>
#include <zstd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include "libraries.h"
#include "package.h"
#include "recall/anki.h"
#include "recall/error.h"
#include "recall/files.h"

namespace recall::anki {

std::string_view layout_name(Layout layout) {
  switch (layout) {
    case Layout::kLegacy2:
      return "anki21";
    case Layout::kLatest:
      return "anki21b";
    case Layout::kLegacy1:
      break;
  }
  return "anki2";
}

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::uint64_t kMaxMetaBytes = 4096;
// Entries smaller than this may compress as well as they like (a media map
// of "{}", a placeholder collection).
constexpr std::uint64_t kSmallEntry = 1 << 20;

// An entry name as it may appear in a message: control bytes as '?', at
// most 60 bytes.
std::string printable(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 60))
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  if (name.size() > 60) out += "...";
  return out;
}

bool escapes(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos ||
      name.find('\0') != std::string_view::npos || (name.size() > 1 && name[1] == ':'))
    return true;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto end = std::min(name.find('/', start), name.size());
    if (name.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

struct ZipCloser {
  void operator()(zip_t* zip) const { libraries().zip_discard(zip); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* file) const { libraries().zip_fclose(file); }
};
struct ZstdFree {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};
using Zip = std::unique_ptr<zip_t, ZipCloser>;

class Reader {
 public:
  Reader(std::string name, Zip zip) : name_(std::move(name)), zip_(std::move(zip)) {}

  [[noreturn]] void fail(const std::string& what) const { throw Error::data(name_ + ": " + what); }

  // The directory checked: entry count, names, declared sizes and ratios.
  void check_entries() {
    const zip_int64_t count = libraries().zip_get_num_entries(zip_.get(), 0);
    if (count < 0) fail("not a zip file (not an Anki package)");
    if (static_cast<std::uint64_t>(count) > kMaxAnkiEntries)
      fail(std::to_string(count) + " entries: more than an Anki package holds (" +
           std::to_string(kMaxAnkiEntries) + ")");
    for (zip_int64_t i = 0; i < count; ++i) {
      zip_stat_t stat;
      libraries().zip_stat_init(&stat);
      if (libraries().zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(i), 0, &stat) != 0)
        fail("entry " + std::to_string(i) + " cannot be read (" +
             libraries().zip_strerror(zip_.get()) + ")");
      const std::string_view entry = stat.name ? stat.name : "";
      if (escapes(entry))
        fail("entry '" + printable(entry) + "' names a path outside the package; refused");
      if ((stat.valid & ZIP_STAT_SIZE) && (stat.valid & ZIP_STAT_COMP_SIZE) &&
          stat.size > kSmallEntry && stat.size / kMaxAnkiExpansion > stat.comp_size)
        fail("entry '" + printable(entry) + "' would expand " +
             std::to_string(stat.size / std::max<zip_uint64_t>(stat.comp_size, 1)) +
             " times (a zip bomb?); refused");
    }
  }

  bool has(const char* entry) const {
    return libraries().zip_name_locate(zip_.get(), entry, 0) >= 0;
  }

  // Streams entry `entry` through `sink`, counting against the limits.
  void read_entry(const char* entry, std::uint64_t limit,
                  const std::function<void(const char*, std::size_t)>& sink) {
    const zip_int64_t index = libraries().zip_name_locate(zip_.get(), entry, 0);
    if (index < 0) fail(std::string("no ") + entry + " entry");
    zip_stat_t stat;
    libraries().zip_stat_init(&stat);
    libraries().zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &stat);
    const std::uint64_t compressed = (stat.valid & ZIP_STAT_COMP_SIZE) ? stat.comp_size : 0;
    std::unique_ptr<zip_file_t, ZipFileCloser> file(
        libraries().zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
    if (!file)
      fail(std::string(entry) + " cannot be opened (" + libraries().zip_strerror(zip_.get()) + ")");
    std::vector<char> buffer(kChunk);
    std::uint64_t total = 0;
    for (;;) {
      const zip_int64_t got = libraries().zip_fread(file.get(), buffer.data(), buffer.size());
      if (got < 0)
        fail(std::string(entry) + " is damaged (" + libraries().zip_file_strerror(file.get()) +
             ")");
      if (got == 0) break;
      total += static_cast<std::uint64_t>(got);
      if (total > limit)
        fail(std::string(entry) + " is larger than " + std::to_string(limit) + " bytes; refused");
      if (total > kSmallEntry && total / kMaxAnkiExpansion > compressed)
        fail(std::string(entry) + " expands more than " + std::to_string(kMaxAnkiExpansion) +
             " times (a zip bomb?); refused");
      sink(buffer.data(), static_cast<std::size_t>(got));
    }
    read_ += total;
  }

  // The `meta` entry's version (PackageMetadata field 1), 0 when unset.
  std::uint64_t meta_version() {
    std::string bytes;
    read_entry("meta", kMaxMetaBytes,
               [&](const char* data, std::size_t size) { bytes.append(data, size); });
    std::size_t at = 0;
    auto varint = [&]() -> std::uint64_t {
      std::uint64_t value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (at >= bytes.size()) fail("meta is not a package version (truncated)");
        const auto byte = static_cast<unsigned char>(bytes[at++]);
        value |= std::uint64_t{byte & 0x7fu} << shift;
        if (!(byte & 0x80)) return value;
      }
      fail("meta is not a package version (a varint too long)");
    };
    std::uint64_t version = 0;
    while (at < bytes.size()) {
      const std::uint64_t key = varint();
      const std::uint64_t field = key >> 3;
      switch (key & 7) {
        case 0: {
          const std::uint64_t value = varint();
          if (field == 1) version = value;
          break;
        }
        case 1:
          at += 8;
          break;
        case 2: {
          const std::uint64_t length = varint();
          if (length > bytes.size() - at) fail("meta is not a package version (truncated)");
          at += static_cast<std::size_t>(length);
          break;
        }
        case 5:
          at += 4;
          break;
        default:
          fail("meta is not a package version (wire type " + std::to_string(key & 7) + ")");
      }
      if (at > bytes.size()) fail("meta is not a package version (truncated)");
    }
    return version;
  }

  // Entry `entry` into `out`, zstd-decoded when `zstd`.
  void extract(const char* entry, bool zstd, const std::string& out_path) {
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error::io(out_path + ": cannot write the temporary collection");
    const std::uint64_t limit = kMaxAnkiCollectionBytes;
    if (!zstd) {
      read_entry(entry, limit, [&](const char* data, std::size_t size) {
        out.write(data, static_cast<std::streamsize>(size));
      });
    } else {
      std::unique_ptr<ZSTD_DCtx, ZstdFree> context(ZSTD_createDCtx());
      if (!context) throw Error::io("zstd: out of memory");
      std::vector<char> decoded(ZSTD_DStreamOutSize());
      std::uint64_t in_total = 0, out_total = 0;
      std::size_t pending = 0;  // ZSTD_decompressStream's last hint: 0 at a frame's end
      read_entry(entry, limit, [&](const char* data, std::size_t size) {
        in_total += size;
        ZSTD_inBuffer input{data, size, 0};
        while (input.pos < input.size) {
          ZSTD_outBuffer output{decoded.data(), decoded.size(), 0};
          pending = ZSTD_decompressStream(context.get(), &output, &input);
          if (ZSTD_isError(pending))
            fail(std::string(entry) + " is not a valid zstd stream (" + ZSTD_getErrorName(pending) +
                 ")");
          out_total += output.pos;
          if (out_total > limit)
            fail(std::string(entry) + " decompresses to more than " + std::to_string(limit) +
                 " bytes; refused");
          if (out_total > kSmallEntry && out_total / kMaxAnkiExpansion > in_total)
            fail(std::string(entry) + " decompresses more than " +
                 std::to_string(kMaxAnkiExpansion) + " times (a zstd bomb?); refused");
          out.write(decoded.data(), static_cast<std::streamsize>(output.pos));
        }
      });
      // Flush what the decoder still holds for input already given.
      for (;;) {
        ZSTD_inBuffer input{nullptr, 0, 0};
        ZSTD_outBuffer output{decoded.data(), decoded.size(), 0};
        if (pending == 0) break;
        const std::size_t hint = ZSTD_decompressStream(context.get(), &output, &input);
        if (ZSTD_isError(hint)) fail(std::string(entry) + " is not a valid zstd stream");
        out_total += output.pos;
        if (out_total > limit) fail(std::string(entry) + " decompresses too far; refused");
        out.write(decoded.data(), static_cast<std::streamsize>(output.pos));
        pending = hint;
        if (output.pos == 0) break;
      }
      if (in_total == 0 || pending != 0) fail(std::string(entry) + " is a truncated zstd stream");
    }
    out.close();
    if (!out) throw Error::io(out_path + ": cannot write the temporary collection (disk full?)");
  }

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  Zip zip_;
  std::uint64_t read_ = 0;
};

// The schema-18 collection keeps its WAL header (bytes 18 and 19 = 2);
// read-only SQLite wants a rollback-journal file: both set to 1.
void check_sqlite_header(const Reader& reader, const std::string& path) {
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  char header[20] = {};
  file.read(header, sizeof header);
  if (file.gcount() < static_cast<std::streamsize>(sizeof header) ||
      std::memcmp(header, "SQLite format 3", 16) != 0)
    reader.fail("the collection is not an SQLite database (not an Anki collection)");
  if (header[18] == 2 || header[19] == 2) {
    file.seekp(18);
    file.write("\x01\x01", 2);
    if (!file) throw Error::io(path + ": cannot patch the temporary collection");
  }
}

Package open_package(Reader& reader) {
  reader.check_entries();
  Layout layout = Layout::kLegacy1;
  if (reader.has("meta")) {
    const std::uint64_t version = reader.meta_version();
    if (version == 0 || version > 3)
      reader.fail("package version " + std::to_string(version) +
                  " is not one this recall reads (1..3): made by a newer Anki? Export again "
                  "with \"Support older Anki versions\" ticked");
    layout = version == 3 ? Layout::kLatest : version == 2 ? Layout::kLegacy2 : Layout::kLegacy1;
  } else if (reader.has("collection.anki21")) {
    layout = Layout::kLegacy2;
  }
  const char* entry = layout == Layout::kLatest    ? "collection.anki21b"
                      : layout == Layout::kLegacy2 ? "collection.anki21"
                                                   : "collection.anki2";
  if (!reader.has(entry)) reader.fail(std::string("no ") + entry + " entry (not an Anki package)");
  auto file = std::make_unique<TempFile>("recall-anki-read");
  reader.extract(entry, layout == Layout::kLatest, file->path());
  check_sqlite_header(reader, file->path());
  return Package::make(reader.name(), layout, std::move(file));
}

int unicase_compare(void*, int a_size, const void* a, int b_size, const void* b) {
  const auto* x = static_cast<const unsigned char*>(a);
  const auto* y = static_cast<const unsigned char*>(b);
  const int n = std::min(a_size, b_size);
  for (int i = 0; i < n; ++i) {
    const int cx = std::tolower(x[i]), cy = std::tolower(y[i]);
    if (cx != cy) return cx < cy ? -1 : 1;
  }
  return a_size == b_size ? 0 : (a_size < b_size ? -1 : 1);
}

std::string uri_of(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '?' || c == '#' || c == '%') {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
      uri += hex;
    } else {
      uri += c;
    }
  }
  return uri + "?immutable=1";
}

// The 4th field (RecallKey) of a recall note's fields ("\x1f"-separated),
// without HTML; "" when it has fewer fields.
std::string recall_key(const std::string& fields) {
  std::size_t start = 0;
  for (int i = 0; i < 3 && start != std::string::npos; ++i) {
    start = fields.find('\x1f', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return {};
  return anki_strip_html(fields.substr(start, fields.find('\x1f', start) - start));
}

}  // namespace

Package Package::make(std::string name, Layout layout, std::unique_ptr<TempFile> file) {
  return Package(std::move(name), layout, std::move(file));
}

Package Package::open_file(const std::string& path) {
  if (const auto kind = non_regular_kind(path)) throw Error::io(path + ": is " + *kind);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw Error::io(path + ": no such file");
  int code = 0;
  zip_t* zip = libraries().zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (!zip) {
    if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS)
      throw Error::data(path + ": not a zip file (not an Anki package)");
    zip_error_t described;
    libraries().zip_error_init_with_code(&described, code);
    const std::string what = libraries().zip_error_strerror(&described);
    libraries().zip_error_fini(&described);
    throw Error::data(path + ": cannot open the package (" + what + ")");
  }
  Reader reader(path, Zip(zip));
  return open_package(reader);
}

Package Package::open_bytes(std::string_view bytes, const std::string& source_name) {
  zip_error_t error;
  libraries().zip_error_init(&error);
  zip_source_t* source =
      libraries().zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) throw Error::io(source_name + ": out of memory");
  zip_t* zip = libraries().zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!zip) {
    libraries().zip_source_free(source);
    libraries().zip_error_fini(&error);
    throw Error::data(source_name + ": not a zip file (not an Anki package)");
  }
  Reader reader(source_name, Zip(zip));
  return open_package(reader);
}

void Package::for_each_revlog(const std::function<void(const RevlogRow& row)>& visit) const {
  try {
    SQLite::Database db(uri_of(file_->path()), SQLite::OPEN_READONLY | SQLite::OPEN_URI);
    sqlite3_create_collation(db.getHandle(), "unicase", SQLITE_UTF8, nullptr, unicase_compare);
    {
      SQLite::Statement version(db, "SELECT ver FROM col LIMIT 1");
      if (!version.executeStep()) throw Error::data(name_ + ": the collection has no col row");
      const int ver = version.getColumn(0).getInt();
      if (ver < 11 || ver > 18)
        throw Error::data(name_ + ": collection schema " + std::to_string(ver) +
                          " is not one Anki writes (11..18)");
    }
    SQLite::Statement rows(
        db,
        "SELECT r.id, r.ease, r.type, r.factor, c.ord, n.id, n.guid, n.mid, "
        "CASE WHEN n.mid = ? THEN n.flds END "
        "FROM revlog r JOIN cards c ON c.id = r.cid JOIN notes n ON n.id = c.nid "
        "ORDER BY n.guid, c.ord, r.id");
    rows.bind(1, static_cast<int64_t>(kAnkiNotetypeId));
    RevlogRow row;
    std::optional<long long> note;  // whose guid, type and key `row` holds
    while (rows.executeStep()) {
      row.id = rows.getColumn(0).getInt64();
      row.ease = rows.getColumn(1).getInt();
      row.type = rows.getColumn(2).getInt();
      row.factor = rows.getColumn(3).getInt64();
      row.ord = rows.getColumn(4).getInt();
      // A note's answers come together: its fields are read once, not per answer.
      if (const long long id = rows.getColumn(5).getInt64(); id != note) {
        note = id;
        row.guid = rows.getColumn(6).getString();
        row.mid = rows.getColumn(7).getInt64();
        row.recall_key =
            rows.getColumn(8).isNull() ? std::string() : recall_key(rows.getColumn(8).getString());
      }
      visit(row);
    }
  } catch (const SQLite::Exception& e) {
    throw Error::data(name_ + ": not an Anki collection (" + e.what() + ")");
  }
}

}  // namespace recall::anki
