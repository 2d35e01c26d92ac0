-- recall schema: the one definition, compiled into the binary at build time.
-- The version lives in PRAGMA user_version (set by the store, see
-- kSchemaVersion in engine/src/store.cpp); upgrades from older versions are
-- steps in engine/src/migrations.cpp, applied in one transaction.
-- Days are integers: days since 1970-01-01 in the learner's calendar.

CREATE TABLE IF NOT EXISTS domains (
  id            INTEGER PRIMARY KEY,
  letter        TEXT NOT NULL UNIQUE,        -- 'A'
  name          TEXT NOT NULL,               -- 'ML Fundamentals'
  weight        INTEGER NOT NULL DEFAULT 0,  -- percent of the interview
  total_topics  INTEGER NOT NULL DEFAULT 0   -- Quick Stats "Total Topics"
);

CREATE TABLE IF NOT EXISTS topics (
  id           INTEGER PRIMARY KEY,
  topic_key    TEXT NOT NULL UNIQUE,         -- normalised title: the identity
  label        TEXT NOT NULL,                -- 'A.8' (a label, may change)
  title        TEXT NOT NULL,
  domain_id    INTEGER REFERENCES domains(id),
  confidence   TEXT NOT NULL DEFAULT '',     -- the tutor's value as last imported
  in_progress  INTEGER NOT NULL DEFAULT 0,
  retired      INTEGER NOT NULL DEFAULT 0,   -- no longer in the tracker
  position     INTEGER NOT NULL DEFAULT 0
);
-- New cards come topic by topic: heaviest domain first, then tracker order.
CREATE INDEX IF NOT EXISTS topics_domain_order ON topics(domain_id, position);

CREATE TABLE IF NOT EXISTS cards (
  id            INTEGER PRIMARY KEY,
  identity      TEXT NOT NULL UNIQUE,        -- stable key, see docs/cards.md
  topic_id      INTEGER REFERENCES topics(id),
  kind          TEXT NOT NULL,
  front         TEXT NOT NULL,
  back          TEXT NOT NULL,
  source        TEXT NOT NULL DEFAULT '',    -- the key point it came from
  tags          TEXT NOT NULL DEFAULT '',    -- space separated
  repetitions   INTEGER NOT NULL DEFAULT 0,
  easiness      INTEGER NOT NULL DEFAULT 2500,  -- EF in thousandths
  interval_days INTEGER NOT NULL DEFAULT 0,
  due_day       INTEGER,                     -- NULL: new, never studied
  lapses        INTEGER NOT NULL DEFAULT 0,
  suspended     INTEGER NOT NULL DEFAULT 0,
  retired       INTEGER NOT NULL DEFAULT 0,  -- its key point left the tracker
  edited        INTEGER NOT NULL DEFAULT 0,  -- text set from a deck file: a tracker import keeps it
  position      INTEGER NOT NULL DEFAULT 0,  -- order for new cards
  created_day   INTEGER NOT NULL
);

-- "What is due today" and "the next new cards" are index range scans.
CREATE INDEX IF NOT EXISTS cards_due ON cards(due_day)
  WHERE due_day IS NOT NULL AND suspended = 0 AND retired = 0;
CREATE INDEX IF NOT EXISTS cards_new ON cards(position)
  WHERE due_day IS NULL AND suspended = 0 AND retired = 0;
CREATE INDEX IF NOT EXISTS cards_topic ON cards(topic_id);
CREATE INDEX IF NOT EXISTS cards_topic_new ON cards(topic_id, position)
  WHERE due_day IS NULL AND suspended = 0 AND retired = 0;

-- Append-only: one row per answer, with the state before and after, so the
-- log alone rebuilds every card (recall check replays it). Undo removes the
-- last row and restores its "before" state.
CREATE TABLE IF NOT EXISTS reviews (
  id             INTEGER PRIMARY KEY,
  card_id        INTEGER NOT NULL REFERENCES cards(id),
  day            INTEGER NOT NULL,
  answered_at    TEXT NOT NULL,              -- local time, ISO 8601
  grade          INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
  kind           TEXT NOT NULL CHECK (kind IN ('review', 'redrill')),
  note           TEXT,                       -- what went wrong, in the learner's words
  before_repetitions INTEGER NOT NULL,
  before_easiness    INTEGER NOT NULL,
  before_interval    INTEGER NOT NULL,
  before_due         INTEGER,
  before_lapses      INTEGER NOT NULL,
  after_repetitions  INTEGER NOT NULL,
  after_easiness     INTEGER NOT NULL,
  after_interval     INTEGER NOT NULL,
  after_due          INTEGER,
  after_lapses       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_card ON reviews(card_id, id);
CREATE INDEX IF NOT EXISTS reviews_day ON reviews(day);
-- Failures of the last 30 days (recurring mistakes, mistake notes) without
-- reading the log rows themselves.
CREATE INDEX IF NOT EXISTS reviews_failures ON reviews(day, card_id, note) WHERE grade < 3;

CREATE TABLE IF NOT EXISTS gaps (
  id            INTEGER PRIMARY KEY,
  gap_key       TEXT NOT NULL UNIQUE,        -- normalised text
  text          TEXT NOT NULL,               -- as the tracker has it
  tier          TEXT NOT NULL CHECK (tier IN ('high', 'medium', 'resolved')),
  recurring     INTEGER NOT NULL DEFAULT 0,
  origin        TEXT NOT NULL DEFAULT 'tracker' CHECK (origin IN ('tracker', 'engine')),
  opened_day    INTEGER,
  resolved_day  INTEGER,
  note          TEXT NOT NULL DEFAULT '',
  in_tracker    INTEGER NOT NULL DEFAULT 1   -- seen in the last import
);

CREATE TABLE IF NOT EXISTS gap_cards (
  gap_id   INTEGER NOT NULL REFERENCES gaps(id) ON DELETE CASCADE,
  card_id  INTEGER NOT NULL REFERENCES cards(id),
  PRIMARY KEY (gap_id, card_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS gap_cards_card ON gap_cards(card_id);

CREATE TABLE IF NOT EXISTS settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;
