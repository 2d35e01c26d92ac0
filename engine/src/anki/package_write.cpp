// The legacy Anki package recall writes (docs/anki.md): a zip holding
// collection.anki2 (SQLite, schema 11, ver 11) and `media` ({}), no `meta`,
// the layout every Anki importer reads. The DDL follows Anki's
// rslib/src/storage/schema11.sql; the col JSON carries the keys rslib's
// schema-11 readers require (notetype/schema11.rs, decks/schema11.rs,
// deckconfig/schema11.rs). SQLiteCpp writes this foreign file: it is not
// recall's store.
#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>
#include <zip.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "libraries.h"
#include "package.h"
#include "recall/anki.h"
#include "recall/error.h"

namespace recall::anki {

using nlohmann::json;

TempFile::TempFile(const std::string& stem) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::temp_directory_path(error);
  if (error) folder = "/tmp";
  std::string pattern = (folder / (stem + "-XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw Error::io(folder.string() + ": cannot make a temporary file");
  ::close(fd);
  path_ = pattern;
}

TempFile::~TempFile() {
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"})
    std::filesystem::remove(path_ + suffix, ignored);
}

namespace {

constexpr const char* kSchema11 = R"sql(
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,
  factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
INSERT INTO col VALUES (1, 0, 0, 0, 0, 0, 0, 0, '{}', '{}', '{}', '{}', '{}');
)sql";

// The card's look on the phone: the context line small above the question.
constexpr const char* kFront =
    "{{#Context}}<div class=\"context\">{{Context}}</div>{{/Context}}\n"
    "<div class=\"front\">{{Front}}</div>";
constexpr const char* kBack =
    "{{FrontSide}}\n<hr id=\"answer\">\n<div class=\"back\">{{Back}}</div>";
constexpr const char* kCss =
    ".card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; "
    "background-color: white; }\n"
    ".context { font-size: 14px; color: #666; margin-bottom: 0.6em; }\n"
    ".nightMode .context { color: #aaa; }\n";

json field(const char* name, int ord) {
  return {{"name", name},    {"ord", ord}, {"sticky", false},       {"rtl", false},
          {"font", "Arial"}, {"size", 20}, {"media", json::array()}};
}

json notetype(long long now_s) {
  json tmpl = {{"name", "Recall"}, {"ord", 0},    {"qfmt", kFront},
               {"afmt", kBack},    {"bqfmt", ""}, {"bafmt", ""},
               {"did", nullptr},   {"bfont", ""}, {"bsize", 0}};
  return {{"id", kAnkiNotetypeId},
          {"name", kAnkiNotetypeName},
          {"type", 0},
          {"mod", now_s},
          {"usn", -1},
          {"sortf", 0},
          {"did", nullptr},
          {"tmpls", json::array({tmpl})},
          {"flds", json::array({field("Front", 0), field("Back", 1), field("Context", 2),
                                field("RecallKey", 3)})},
          {"css", kCss},
          {"latexPre",
           "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{"
           "inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{"
           "\\parindent}{0in}\n\\begin{document}\n"},
          {"latexPost", "\\end{document}"},
          {"latexsvg", false},
          {"req", json::array({json::array({0, "any", json::array({0})})})},
          {"tags", json::array()},
          {"vers", json::array()}};
}

json deck(long long id, const std::string& name, long long now_s) {
  return {{"id", id},           {"name", name},
          {"mod", now_s},       {"usn", -1},
          {"lrnToday", {0, 0}}, {"revToday", {0, 0}},
          {"newToday", {0, 0}}, {"timeToday", {0, 0}},
          {"collapsed", false}, {"browserCollapsed", false},
          {"desc", ""},         {"dyn", 0},
          {"conf", 1},          {"extendNew", 0},
          {"extendRev", 0}};
}

json deck_config() {
  return {
      {"1",
       {{"id", 1},
        {"mod", 0},
        {"name", "Default"},
        {"usn", 0},
        {"maxTaken", 60},
        {"autoplay", true},
        {"timer", 0},
        {"replayq", true},
        {"dyn", false},
        {"new",
         {{"bury", false},
          {"delays", {1, 10}},
          {"initialFactor", 2500},
          {"ints", {1, 4, 0}},
          {"order", 1},
          {"perDay", 20}}},
        {"rev",
         {{"bury", false},
          {"ease4", 1.3},
          {"ivlFct", 1},
          {"maxIvl", 36500},
          {"perDay", 200},
          {"hardFactor", 1.2}}},
        {"lapse",
         {{"delays", {10}}, {"leechAction", 1}, {"leechFails", 8}, {"minInt", 1}, {"mult", 0}}}}}};
}

void write_collection(const Collection& c, const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode = DELETE");
  SQLite::Transaction transaction(db);
  db.exec(kSchema11);
  const long long now_s = c.now_ms / 1000;
  json decks = json::object();
  decks["1"] = deck(1, "Default", now_s);
  for (const DeckRow& d : c.decks) decks[std::to_string(d.id)] = deck(d.id, d.name, now_s);
  const json conf = {{"activeDecks", {1}},
                     {"curDeck", 1},
                     {"newSpread", 0},
                     {"collapseTime", 1200},
                     {"timeLim", 0},
                     {"estTimes", true},
                     {"dueCounts", true},
                     {"curModel", std::to_string(kAnkiNotetypeId)},
                     {"nextPos", c.notes.size() + 1},
                     {"sortType", "noteFld"},
                     {"sortBackwards", false},
                     {"addToCur", true},
                     {"dayLearnFirst", false},
                     {"schedVer", 2},
                     {"sched2021", true},
                     {"creationOffset", 0}};
  json models = json::object();
  models[std::to_string(kAnkiNotetypeId)] = notetype(now_s);
  SQLite::Statement col(db,
                        "UPDATE col SET crt = ?, mod = ?, scm = ?, ver = 11, dty = 0, usn = 0, "
                        "ls = 0, conf = ?, models = ?, decks = ?, dconf = ?, tags = '{}'");
  col.bind(1, static_cast<int64_t>(c.created_s));
  col.bind(2, static_cast<int64_t>(c.now_ms));
  col.bind(3, static_cast<int64_t>(c.now_ms));
  col.bind(4, conf.dump());
  col.bind(5, models.dump());
  col.bind(6, decks.dump());
  col.bind(7, deck_config().dump());
  col.exec();
  SQLite::Statement note(db, "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')");
  SQLite::Statement card(db,
                         "INSERT INTO cards VALUES (?, ?, ?, 0, ?, -1, ?, ?, ?, ?, ?, ?, ?, 0, 0, "
                         "0, 0, '')");
  for (const NoteRow& n : c.notes) {
    std::string flds;
    for (std::size_t i = 0; i < n.fields.size(); ++i) {
      if (i) flds += '\x1f';
      flds += n.fields[i];
    }
    note.bind(1, static_cast<int64_t>(n.id));
    note.bind(2, n.guid);
    note.bind(3, static_cast<int64_t>(kAnkiNotetypeId));
    note.bind(4, static_cast<int64_t>(now_s));
    note.bind(5, n.tags.empty() ? std::string() : " " + n.tags + " ");
    note.bind(6, flds);
    note.bind(7, anki_strip_html(n.fields.front()));
    note.bind(8, static_cast<int64_t>(anki_checksum(n.fields.front())));
    note.exec();
    note.reset();
    card.bind(1, static_cast<int64_t>(n.id));
    card.bind(2, static_cast<int64_t>(n.id));
    card.bind(3, static_cast<int64_t>(n.deck_id));
    card.bind(4, static_cast<int64_t>(now_s));
    card.bind(5, n.scheduled ? 2 : 0);  // type: review / new
    card.bind(6, n.scheduled ? 2 : 0);  // queue
    card.bind(7, n.scheduled ? n.due : n.position);
    card.bind(8, n.scheduled ? n.interval : 0);
    card.bind(9, n.scheduled ? n.factor : 0);
    card.bind(10, n.scheduled ? n.reps : 0);
    card.bind(11, n.scheduled ? n.lapses : 0);
    card.exec();
    card.reset();
  }
  transaction.commit();
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) throw Error::io(path + ": cannot read the temporary file");
  return bytes.str();
}

}  // namespace

std::string write_package(const Collection& collection) {
  TempFile database("recall-anki-collection");
  std::filesystem::remove(database.path());  // SQLite makes it
  try {
    write_collection(collection, database.path());
  } catch (const SQLite::Exception& e) {
    throw Error::io(database.path() + ": cannot write the Anki collection (" + e.what() + ")");
  }
  TempFile archive("recall-anki-package");
  int error = 0;
  zip_t* zip = libraries().zip_open(archive.path().c_str(), ZIP_TRUNCATE, &error);
  if (!zip) throw Error::io(archive.path() + ": cannot write the zip");
  auto fail = [&](const std::string& what) {
    const std::string message =
        archive.path() + ": " + what + " (" + libraries().zip_strerror(zip) + ")";
    libraries().zip_discard(zip);
    return Error::io(message);
  };
  zip_source_t* col = libraries().zip_source_file(zip, database.path().c_str(), 0, -1);
  if (!col) throw fail("cannot add the collection");
  if (libraries().zip_file_add(zip, "collection.anki2", col, ZIP_FL_ENC_UTF_8) < 0) {
    libraries().zip_source_free(col);
    throw fail("cannot add the collection");
  }
  static const char kMedia[] = "{}";
  zip_source_t* media = libraries().zip_source_buffer(zip, kMedia, 2, 0);
  if (!media) throw fail("cannot add the media map");
  if (libraries().zip_file_add(zip, "media", media, ZIP_FL_ENC_UTF_8) < 0) {
    libraries().zip_source_free(media);
    throw fail("cannot add the media map");
  }
  if (libraries().zip_close(zip) < 0) throw fail("cannot finish the zip");
  return read_whole(archive.path());
}

}  // namespace recall::anki
