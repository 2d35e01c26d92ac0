-- recall schema: the one definition, compiled into the binary at build time.
-- The version lives in PRAGMA user_version (set by the store, see
-- Store::kSchemaVersion in engine/include/recall/store.h); upgrades from older
-- versions are the kUpgrades steps in engine/src/store.cpp, applied in one
-- transaction.
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
  -- Not 0: the text was set by a person (a deck file or recall edit) and a
  -- tracker import keeps it. The value is the Unix time in seconds of that
  -- edit (1 for edits made before recall kept the time).
  edited        INTEGER NOT NULL DEFAULT 0,
  position      INTEGER NOT NULL DEFAULT 0,  -- order for new cards
  created_day   INTEGER NOT NULL,
  -- Derived from the review log by the reviews_failed_* triggers below: the
  -- last two distinct days the card was failed (grade < 3), NULL if none.
  -- A card failed on 2+ days of the last 30 is a recurring mistake.
  fail_last     INTEGER,
  fail_prev     INTEGER,
  -- 1 while the card is linked to an open (high or medium) knowledge gap;
  -- kept by the gap_* triggers below.
  gap_open      INTEGER NOT NULL DEFAULT 0,
  quality       TEXT NOT NULL DEFAULT 'ok' CHECK (quality IN ('ok', 'review')),  -- review: not worth drilling as it is
  quality_reason TEXT NOT NULL DEFAULT '',    -- why (fragment term); an edit by a person makes the card ok
  -- The queue risk the scheduler gave the card's state (scheduler.h
  -- queue_risk; saved with every state): within a due day and domain weight
  -- the queue takes the higher first. SM-2: 10000 - EF so lower EF first.
  -- (No commas in comments here: SQLite's DROP COLUMN would trip on them.)
  risk          INTEGER NOT NULL DEFAULT 7500,
  -- A card without topic filed under a domain (a checklist item whose group
  -- names one); NULL otherwise: a card's domain is its topic's.
  domain_id     INTEGER REFERENCES domains(id),
  -- The review pass (docs/cards.md): who reviewed the card once ('' not yet;
  -- 'tutor' over recall mcp; 'learner' in the terminal or a deck file) and
  -- what they did ('approved' 'edited' 'retired' 'added') on which day; why a
  -- card was retired. A card retired by review stays retired through imports.
  reviewed_by   TEXT NOT NULL DEFAULT '' CHECK (reviewed_by IN ('', 'tutor', 'learner')),
  reviewed_as   TEXT NOT NULL DEFAULT ''
    CHECK (reviewed_as IN ('', 'approved', 'edited', 'retired', 'added')),
  reviewed_day  INTEGER,
  review_reason TEXT NOT NULL DEFAULT '',
  -- The card's FSRS-6 memory after its latest answer (re-drills included)
  -- under the parameters in force: written with each answer and recomputed
  -- when the log or the parameters change; NULL while never answered.
  -- `recall check` compares it with the replay of the log.
  stability     REAL,
  difficulty    REAL,
  memory_day    INTEGER,
  -- 1: a person filed the card under another topic (edit_cards {topic},
  -- recall edit --topic): imports keep topic_id and follow the tracker's
  -- topic in tracker_topic_id (NULL: none), which is what they compare.
  moved            INTEGER NOT NULL DEFAULT 0,
  tracker_topic_id INTEGER
);

-- "What is due today" and "the next new cards" are index range scans. The
-- due index also holds every column the review queue reads (suspended and
-- retired too: SQLite only reads a partial index alone when it holds every
-- column the query names), so the queue's head is found without card rows.
CREATE INDEX IF NOT EXISTS cards_due
  ON cards(due_day, risk, lapses, fail_prev, gap_open, topic_id, position, suspended, retired)
  WHERE due_day IS NOT NULL AND suspended = 0 AND retired = 0;
-- The gap-linked tier of the review queue: its own small index.
CREATE INDEX IF NOT EXISTS cards_gap_due
  ON cards(due_day, risk, lapses, fail_prev, gap_open, topic_id, position, suspended, retired)
  WHERE gap_open = 1 AND due_day IS NOT NULL AND suspended = 0 AND retired = 0;
-- The new-card indexes hold every column the queue reads too (a drill with
-- raised limits walks thousands of new cards without their rows).
CREATE INDEX IF NOT EXISTS cards_new
  ON cards(position, topic_id, risk, lapses, fail_prev, gap_open, due_day, suspended, retired)
  WHERE due_day IS NULL AND suspended = 0 AND retired = 0;
CREATE INDEX IF NOT EXISTS cards_topic ON cards(topic_id);
-- A topic's cards with every column the per-topic and per-domain counts
-- read (`recall topics`, `stats`, a topic's studied sums): they are counted
-- off this index, never off the card rows. The domain second: cards without
-- a topic are grouped by their own domain in index order. (cards_topic stays
-- narrow: the log's triggers look a card up in it by topic and id.)
CREATE INDEX IF NOT EXISTS cards_topic_counts
  ON cards(topic_id, domain_id, retired, suspended, due_day, interval_days, easiness, repetitions,
           lapses);
CREATE INDEX IF NOT EXISTS cards_topic_new
  ON cards(topic_id, position, risk, lapses, fail_prev, gap_open, due_day, suspended, retired)
  WHERE due_day IS NULL AND suspended = 0 AND retired = 0;
-- The new cards the drill may introduce while drafts wait (setting 'drafts'
-- "wait": those not flagged), by position and by topic: walked instead of
-- cards_new and cards_topic_new then, which would pass over every draft (a
-- fresh import flags every card) on each answer of a drill.
CREATE INDEX IF NOT EXISTS cards_ready
  ON cards(position, topic_id, risk, lapses, fail_prev, gap_open, due_day, suspended, retired,
           quality)
  WHERE due_day IS NULL AND suspended = 0 AND retired = 0 AND quality = 'ok';
CREATE INDEX IF NOT EXISTS cards_topic_ready
  ON cards(topic_id, position, risk, lapses, fail_prev, gap_open, due_day, suspended, retired,
           quality)
  WHERE due_day IS NULL AND suspended = 0 AND retired = 0 AND quality = 'ok';
-- Drafts waiting for a review before the drill introduces them (setting
-- 'drafts'), and the cards the review pass has not covered yet: counted off
-- their own small indexes.
CREATE INDEX IF NOT EXISTS cards_drafts ON cards(topic_id)
  WHERE quality = 'review' AND due_day IS NULL AND suspended = 0 AND retired = 0;
CREATE INDEX IF NOT EXISTS cards_unreviewed ON cards(position) WHERE reviewed_by = '' AND retired = 0;
-- Each gap's own gap and discrimination cards by their source (the gap's
-- text), where the drill's gap tiers start from the gaps (few beside 100,000
-- cards; store_impl.h gap_cards_sql).
CREATE INDEX IF NOT EXISTS cards_gap_kind ON cards(source) WHERE kind IN ('gap', 'discrimination');
-- Live cards by their source (a key point's words): the cards a gap's words
-- name are looked up here (StoreGapLinker, feedback.h), not found by reading
-- every card. A card without a source is found under ''.
CREATE INDEX IF NOT EXISTS cards_source ON cards(source) WHERE retired = 0;
-- Retired cards (few): left out of today's re-drill round by id.
CREATE INDEX IF NOT EXISTS cards_retired ON cards(id) WHERE retired = 1;
-- Today's recurring mistakes: fail_prev within the last 30 days.
CREATE INDEX IF NOT EXISTS cards_failed ON cards(fail_prev) WHERE fail_prev IS NOT NULL;

-- Counts kept so that `next` does not count rows: 'new_cards' is the number
-- of cards with due_day IS NULL AND suspended = 0 AND retired = 0. Answers,
-- undo, suspending, retiring and deleting move it through the triggers below;
-- inserting cards does not fire one (an INSERT with a trigger keeps a
-- statement journal: a copy of every page it writes), so the store recounts
-- it in the transaction of every import and `recall add`. `recall check`
-- recounts it too. Cards are never written with INSERT OR REPLACE: its
-- implicit delete fires no trigger, and the counts would drift.
CREATE TABLE IF NOT EXISTS tallies (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO tallies(name, value)
  SELECT 'new_cards', COUNT(*) FROM cards WHERE due_day IS NULL AND suspended = 0 AND retired = 0;
CREATE TRIGGER IF NOT EXISTS cards_new_delete AFTER DELETE ON cards
  WHEN OLD.due_day IS NULL AND OLD.suspended = 0 AND OLD.retired = 0
BEGIN
  UPDATE tallies SET value = value - 1 WHERE name = 'new_cards';
END;
CREATE TRIGGER IF NOT EXISTS cards_new_update AFTER UPDATE OF due_day, suspended, retired ON cards
  WHEN (OLD.due_day IS NULL AND OLD.suspended = 0 AND OLD.retired = 0)
    <> (NEW.due_day IS NULL AND NEW.suspended = 0 AND NEW.retired = 0)
BEGIN
  UPDATE tallies SET value = value
      + (NEW.due_day IS NULL AND NEW.suspended = 0 AND NEW.retired = 0)
      - (OLD.due_day IS NULL AND OLD.suspended = 0 AND OLD.retired = 0)
    WHERE name = 'new_cards';
END;
-- The review pass's counts (`due`, `brief`, the drill's header read them
-- every time), kept the same way: 'drafts' (new cards flagged 'review',
-- not suspended or retired), 'flagged' (not retired, flagged 'review') and
-- 'unreviewed' (not retired, reviewed_by ''). The store recounts them with
-- 'new_cards' after inserting cards; `recall check` recounts them.
INSERT OR IGNORE INTO tallies(name, value)
  SELECT 'drafts', COUNT(*) FROM cards
  WHERE quality = 'review' AND due_day IS NULL AND suspended = 0 AND retired = 0;
INSERT OR IGNORE INTO tallies(name, value)
  SELECT 'flagged', COUNT(*) FROM cards WHERE quality = 'review' AND retired = 0;
INSERT OR IGNORE INTO tallies(name, value)
  SELECT 'unreviewed', COUNT(*) FROM cards WHERE reviewed_by = '' AND retired = 0;
CREATE TRIGGER IF NOT EXISTS cards_review_tallies_delete AFTER DELETE ON cards
BEGIN
  UPDATE tallies SET value = value - (OLD.quality = 'review' AND OLD.due_day IS NULL
      AND OLD.suspended = 0 AND OLD.retired = 0) WHERE name = 'drafts';
  UPDATE tallies SET value = value - (OLD.quality = 'review' AND OLD.retired = 0)
    WHERE name = 'flagged';
  UPDATE tallies SET value = value - (OLD.reviewed_by = '' AND OLD.retired = 0)
    WHERE name = 'unreviewed';
END;
CREATE TRIGGER IF NOT EXISTS cards_review_tallies_update
  AFTER UPDATE OF due_day, suspended, retired, quality, reviewed_by ON cards
  WHEN (OLD.quality = 'review' AND OLD.due_day IS NULL AND OLD.suspended = 0 AND OLD.retired = 0)
       <> (NEW.quality = 'review' AND NEW.due_day IS NULL AND NEW.suspended = 0 AND NEW.retired = 0)
    OR (OLD.quality = 'review' AND OLD.retired = 0) <> (NEW.quality = 'review' AND NEW.retired = 0)
    OR (OLD.reviewed_by = '' AND OLD.retired = 0) <> (NEW.reviewed_by = '' AND NEW.retired = 0)
BEGIN
  UPDATE tallies SET value = value
      + (NEW.quality = 'review' AND NEW.due_day IS NULL AND NEW.suspended = 0 AND NEW.retired = 0)
      - (OLD.quality = 'review' AND OLD.due_day IS NULL AND OLD.suspended = 0 AND OLD.retired = 0)
    WHERE name = 'drafts';
  UPDATE tallies SET value = value + (NEW.quality = 'review' AND NEW.retired = 0)
      - (OLD.quality = 'review' AND OLD.retired = 0) WHERE name = 'flagged';
  UPDATE tallies SET value = value + (NEW.reviewed_by = '' AND NEW.retired = 0)
      - (OLD.reviewed_by = '' AND OLD.retired = 0) WHERE name = 'unreviewed';
END;

-- Append-only: one row per answer, with the state before and after, so the
-- log alone rebuilds every card (recall check replays it). Undo removes a
-- card's last row and restores its "before" state. AUTOINCREMENT: an id is
-- never handed out twice, even after an undo removed the highest row, so an
-- id names one answer for good (a drill's own answers, sync's mark of the
-- evidence it has seen).
CREATE TABLE IF NOT EXISTS reviews (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  card_id        INTEGER NOT NULL REFERENCES cards(id),
  day            INTEGER NOT NULL,
  answered_at    TEXT NOT NULL,              -- local time, ISO 8601
  grade          INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
  kind           TEXT NOT NULL CHECK (kind IN ('review', 'redrill', 'tutor')),
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
  after_lapses       INTEGER NOT NULL,
  -- The queue risk before and after (cards.risk) so that an undo restores
  -- it without asking the scheduler; and which scheduler set the due day
  -- (scheduler.h: SM-2's values are kept under both).
  before_risk        INTEGER NOT NULL DEFAULT 7500,
  after_risk         INTEGER NOT NULL DEFAULT 7500,
  scheduler          TEXT NOT NULL DEFAULT 'sm2' CHECK (scheduler IN ('sm2', 'fsrs')),
  -- Where the answer was given: 'drill' (the terminal) or 'tutor' (heard in
  -- conversation) or 'phone' (Anki: `recall import anki`). A phone answer
  -- keeps Anki's raw button (1 Again to 4 Easy; its grade is button + 1)
  -- and Anki's revlog id (the answer's time in ms): a second import of one
  -- export adds nothing. (No commas in comments here: see cards.)
  source             TEXT NOT NULL DEFAULT 'drill' CHECK (source IN ('drill', 'tutor', 'phone')),
  button             INTEGER CHECK (button BETWEEN 1 AND 4),
  phone_id           INTEGER
);
-- A card's log in id order, and what the feedback rules read of it (day,
-- grade, kind) off the index alone: the rules read whole logs of thousands
-- of cards (feedback_for), and a row of the table per answer was most of it.
CREATE INDEX IF NOT EXISTS reviews_card ON reviews(card_id, id, day, grade, kind);
-- One row per Anki answer: importing the same export twice adds nothing.
CREATE UNIQUE INDEX IF NOT EXISTS reviews_phone ON reviews(card_id, phone_id)
  WHERE phone_id IS NOT NULL;
-- Today's answers (counts against the daily limits, the re-drill round) are
-- read off this index alone.
CREATE INDEX IF NOT EXISTS reviews_day ON reviews(day, card_id, grade, kind, before_due);
-- Failures with a mistake note (the note patterns of the last 30 days).
CREATE INDEX IF NOT EXISTS reviews_noted ON reviews(day, card_id, note)
  WHERE grade < 3 AND note IS NOT NULL;

-- cards.fail_last / fail_prev follow the log. A new failure (every failed
-- answer) moves them without reading the log: a later day shifts them, the
-- same day leaves them, an earlier day (a --today in the past) can only be
-- the second one. (SET expressions read the row as it was.) A removed
-- failure (undo) recomputes them from the card's own rows.
CREATE TRIGGER IF NOT EXISTS reviews_failed_insert AFTER INSERT ON reviews WHEN NEW.grade < 3
BEGIN
  UPDATE cards SET
    fail_last = CASE WHEN fail_last IS NULL OR NEW.day > fail_last THEN NEW.day
                     ELSE fail_last END,
    fail_prev = CASE WHEN fail_last IS NULL THEN NULL
                     WHEN NEW.day > fail_last THEN fail_last
                     WHEN NEW.day = fail_last THEN fail_prev
                     WHEN fail_prev IS NULL OR NEW.day > fail_prev THEN NEW.day
                     ELSE fail_prev END
  WHERE id = NEW.card_id;
END;
CREATE TRIGGER IF NOT EXISTS reviews_failed_delete AFTER DELETE ON reviews WHEN OLD.grade < 3
BEGIN
  UPDATE cards SET
    fail_last = (SELECT MAX(day) FROM reviews INDEXED BY reviews_card
                 WHERE card_id = OLD.card_id AND grade < 3),
    fail_prev = (SELECT MAX(day) FROM reviews INDEXED BY reviews_card
                 WHERE card_id = OLD.card_id AND grade < 3 AND day <
                   (SELECT MAX(day) FROM reviews INDEXED BY reviews_card
                    WHERE card_id = OLD.card_id AND grade < 3))
  WHERE id = OLD.card_id;
END;
-- The log is append-only: what an answer was (its card, day and grade) is
-- never edited, so nothing derived from it can go stale that way.
-- The log's size, kept by two triggers ('reviews' in tallies): sync's mark
-- of the evidence it has seen (the count and the last id) and the answers
-- waiting for a first sync are read without counting a million rows.
-- `recall check` counts them.
INSERT OR IGNORE INTO tallies(name, value) SELECT 'reviews', COUNT(*) FROM reviews;
CREATE TRIGGER IF NOT EXISTS reviews_tally_insert AFTER INSERT ON reviews
BEGIN
  UPDATE tallies SET value = value + 1 WHERE name = 'reviews';
END;
CREATE TRIGGER IF NOT EXISTS reviews_tally_delete AFTER DELETE ON reviews
BEGIN
  UPDATE tallies SET value = value - 1 WHERE name = 'reviews';
END;

CREATE TRIGGER IF NOT EXISTS reviews_append_only BEFORE UPDATE OF card_id, day, grade ON reviews
BEGIN
  SELECT RAISE(ABORT, 'the review log is append-only: an answer''s card, day and grade stay');
END;

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
  -- 1: linked by the tutor (edit_cards {gap}). An import replaces the
  -- rules' links of a gap when they change, never the tutor's.
  tutor    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (gap_id, card_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS gap_cards_card ON gap_cards(card_id);

-- Links the tutor took away (edit_cards {unlink_gap}): a card the rules
-- linked to a gap, or whose subject the gap's words name, that does not
-- drill it. No import links the pair again and the feedback rules count
-- none of the card's answers as the gap's evidence; linking the pair again
-- (edit_cards {gap}) removes the row. Keyed by the gap's row, which a gap
-- reworded in the tracker does not keep (its new words are a new gap).
CREATE TABLE IF NOT EXISTS gap_unlinks (
  gap_id   INTEGER NOT NULL REFERENCES gaps(id) ON DELETE CASCADE,
  card_id  INTEGER NOT NULL REFERENCES cards(id),
  day      INTEGER NOT NULL,
  PRIMARY KEY (gap_id, card_id)
) WITHOUT ROWID;

-- cards.gap_open follows the links and the gaps' tiers (a gap's deletion
-- cascades to its links and so through gap_cards_unlinked).
CREATE TRIGGER IF NOT EXISTS gap_cards_linked AFTER INSERT ON gap_cards
BEGIN
  UPDATE cards SET gap_open = EXISTS (SELECT 1 FROM gap_cards gc JOIN gaps g ON g.id = gc.gap_id
                                      WHERE gc.card_id = NEW.card_id AND g.tier IN ('high', 'medium'))
  WHERE id = NEW.card_id;
END;
CREATE TRIGGER IF NOT EXISTS gap_cards_unlinked AFTER DELETE ON gap_cards
BEGIN
  UPDATE cards SET gap_open = EXISTS (SELECT 1 FROM gap_cards gc JOIN gaps g ON g.id = gc.gap_id
                                      WHERE gc.card_id = OLD.card_id AND g.tier IN ('high', 'medium'))
  WHERE id = OLD.card_id;
END;
CREATE TRIGGER IF NOT EXISTS gaps_tier_changed AFTER UPDATE OF tier ON gaps
BEGIN
  UPDATE cards SET gap_open = EXISTS (SELECT 1 FROM gap_cards gc JOIN gaps g ON g.id = gc.gap_id
                                      WHERE gc.card_id = cards.id AND g.tier IN ('high', 'medium'))
  WHERE id IN (SELECT card_id FROM gap_cards WHERE gap_id = NEW.id);
END;

CREATE TABLE IF NOT EXISTS settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;

-- What a topic's confidence stands on (docs/feedback.md "Confidence"), kept
-- so that `topics`, `sync` and `cards` do not read the whole log: the graded
-- answers (re-drills left out) of the topic's cards, retired ones included,
-- after `since`, the review id its confidence was last moved at (the setting
-- sync-confidence-since:<topic key>, which sync writes); how many passed
-- (grade >= 3) and on how many distinct days; last_day, the latest of those
-- days. An answer moves its topic's row without reading the log: a day
-- after last_day is a new day, last_day itself is not, an earlier one (a
-- back-dated answer) asks the day's answers (reviews_day). Anything else
-- that changes what counts (an undo, a card filed under another topic, a
-- new baseline) sets `since`, which recounts the row from its cards' logs.
-- Topics are never deleted or renamed (topic_key is their identity); a new
-- one gets its row. `recall check` recounts every row.
CREATE TABLE IF NOT EXISTS topic_answers (
  topic_id  INTEGER PRIMARY KEY REFERENCES topics(id) ON DELETE CASCADE,
  since     INTEGER NOT NULL DEFAULT 0,
  graded    INTEGER NOT NULL DEFAULT 0,
  passed    INTEGER NOT NULL DEFAULT 0,
  days      INTEGER NOT NULL DEFAULT 0,
  last_day  INTEGER
);
CREATE TRIGGER IF NOT EXISTS topic_answers_recount AFTER UPDATE OF since ON topic_answers
BEGIN
  UPDATE topic_answers SET (graded, passed, days, last_day) = (
      SELECT COUNT(*), COALESCE(SUM(r.grade >= 3), 0), COUNT(DISTINCT r.day), MAX(r.day)
      FROM cards c INDEXED BY cards_topic JOIN reviews r INDEXED BY reviews_card
        ON r.card_id = c.id
      WHERE c.topic_id = NEW.topic_id AND r.kind <> 'redrill' AND r.id > NEW.since)
    WHERE topic_id = NEW.topic_id;
END;
INSERT OR IGNORE INTO topic_answers(topic_id, since)
  SELECT t.id, COALESCE((SELECT CAST(s.value AS INTEGER) FROM settings s
                         WHERE s.key = 'sync-confidence-since:' || t.topic_key), 0)
  FROM topics t;
UPDATE topic_answers SET since = since;
CREATE TRIGGER IF NOT EXISTS topics_answers_row AFTER INSERT ON topics
BEGIN
  INSERT OR IGNORE INTO topic_answers(topic_id) VALUES (NEW.id);
  UPDATE topic_answers SET since = COALESCE((SELECT CAST(value AS INTEGER) FROM settings
                                             WHERE key = 'sync-confidence-since:' || NEW.topic_key), 0)
    WHERE topic_id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS reviews_topic_insert AFTER INSERT ON reviews WHEN NEW.kind <> 'redrill'
BEGIN
  UPDATE topic_answers SET
    graded = graded + 1,
    passed = passed + (NEW.grade >= 3),
    days = days + CASE
      WHEN last_day IS NULL OR NEW.day > last_day THEN 1
      WHEN NEW.day = last_day THEN 0
      ELSE NOT EXISTS (SELECT 1 FROM reviews r INDEXED BY reviews_day JOIN cards c ON c.id = r.card_id
                       WHERE r.day = NEW.day AND r.id <> NEW.id AND r.id > topic_answers.since
                         AND r.kind <> 'redrill' AND c.topic_id = topic_answers.topic_id) END,
    last_day = MAX(COALESCE(last_day, NEW.day), NEW.day)
  WHERE topic_id = (SELECT topic_id FROM cards WHERE id = NEW.card_id) AND NEW.id > since;
END;
CREATE TRIGGER IF NOT EXISTS reviews_topic_delete AFTER DELETE ON reviews WHEN OLD.kind <> 'redrill'
BEGIN
  UPDATE topic_answers SET since = since
    WHERE topic_id = (SELECT topic_id FROM cards WHERE id = OLD.card_id) AND OLD.id > since;
END;
CREATE TRIGGER IF NOT EXISTS cards_topic_moved AFTER UPDATE OF topic_id ON cards
  WHEN OLD.topic_id IS NOT NEW.topic_id
BEGIN
  UPDATE topic_answers SET since = since WHERE topic_id IN (OLD.topic_id, NEW.topic_id);
END;
CREATE TRIGGER IF NOT EXISTS cards_topic_deleted AFTER DELETE ON cards WHEN OLD.topic_id IS NOT NULL
BEGIN
  UPDATE topic_answers SET since = since WHERE topic_id = OLD.topic_id;
END;
CREATE TRIGGER IF NOT EXISTS settings_baseline_insert AFTER INSERT ON settings
  WHEN NEW.key GLOB 'sync-confidence-since:*'
BEGIN
  UPDATE topic_answers SET since = COALESCE(CAST(NEW.value AS INTEGER), 0)
    WHERE topic_id = (SELECT id FROM topics WHERE topic_key = substr(NEW.key, 23));
END;
CREATE TRIGGER IF NOT EXISTS settings_baseline_update AFTER UPDATE OF key, value ON settings
  WHEN NEW.key GLOB 'sync-confidence-since:*' OR OLD.key GLOB 'sync-confidence-since:*'
BEGIN
  UPDATE topic_answers SET since = 0
    WHERE topic_id = (SELECT id FROM topics WHERE topic_key = substr(OLD.key, 23))
      AND OLD.key GLOB 'sync-confidence-since:*';
  UPDATE topic_answers SET since = COALESCE(CAST(NEW.value AS INTEGER), 0)
    WHERE topic_id = (SELECT id FROM topics WHERE topic_key = substr(NEW.key, 23))
      AND NEW.key GLOB 'sync-confidence-since:*';
END;
CREATE TRIGGER IF NOT EXISTS settings_baseline_delete AFTER DELETE ON settings
  WHEN OLD.key GLOB 'sync-confidence-since:*'
BEGIN
  UPDATE topic_answers SET since = 0
    WHERE topic_id = (SELECT id FROM topics WHERE topic_key = substr(OLD.key, 23));
END;
