// The Anki round trip through the real binary (issue 26), checked by code
// not written in recall: npm anki-reader (pinned in package-lock.json) reads
// the package `recall export anki` writes; sql.js and zip.js then play the
// phone: revlog rows as AnkiDroid writes them (Again/Hard/Good/Easy over
// several days, a card answered on the phone and in the terminal on one
// day, a note that is not recall's, a manual reschedule and a cram row),
// packaged in the three layouts Anki writes (collection.anki2;
// collection.anki21 beside a placeholder; collection.anki21b, zstd by the
// zstd tool, schema 18, a WAL header and the `meta` entry). Each package is
// imported into a fresh database: the log, the replay (`recall check`) and a
// second import that adds nothing are checked.
//
// usage: node roundtrip.mjs RECALL_BINARY TRACKER
import { readAnkiPackage } from 'anki-reader';
import initSqlJs from 'sql.js';
import * as zip from '@zip.js/zip.js';
import { spawnSync, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const [recall, tracker] = process.argv.slice(2);
if (!recall || !tracker) {
  console.error('usage: node roundtrip.mjs RECALL_BINARY TRACKER');
  process.exit(2);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'recall-anki-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
const TODAY = '2026-11-20';
let failures = 0;

function run(db, args, { today = TODAY, status = 0 } = {}) {
  const result = spawnSync(recall, ['--db', db, '--today', today, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  if (result.status !== status)
    throw new Error(`recall ${args.join(' ')}: exit ${result.status}, expected ${status}\n${result.stdout}${result.stderr}`);
  return result;
}
const json = (db, args, options) => JSON.parse(run(db, [...args, '--json'], options).stdout);

function check(name, body) {
  try {
    body();
    console.log(`ok - ${name}`);
  } catch (error) {
    failures++;
    console.log(`not ok - ${name}\n  ${String(error.stack || error).split('\n').join('\n  ')}`);
  }
}

// Anki's rules, written here from their description (docs/anki.md), not
// from recall's code: base91 guid of SHA-256, checksum of SHA-1.
const BASE91 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~';
function guidOf(identity) {
  let n = crypto.createHash('sha256').update('recall:' + identity, 'utf8').digest().readBigUInt64BE(0);
  let out = '';
  while (n > 0n) {
    out = BASE91[Number(n % 91n)] + out;
    n /= 91n;
  }
  return out;
}
const stripHtml = (html) =>
  html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&');
const checksumOf = (field) => crypto.createHash('sha1').update(stripHtml(field), 'utf8').digest().readUInt32BE(0);
const withoutContext = (text) => (/^\[[^\n]*\]\n/.test(text) ? text.slice(text.indexOf('\n') + 1) : text);
const noon = (day, offsetMs = 0) => Date.parse(`${day}T12:00:00Z`) + offsetMs;

// 1. Export the fixture's cards.
const base = path.join(work, 'export.db');
run(base, ['import', tracker]);
// The learner's review pass before the phone: every flagged draft but the
// last ten approved (no card rule is trusted, so nearly all come flagged);
// those ten stay drafts and stay off the phone.
const flagged = json(base, ['cards']).filter((c) => !c.retired && c.quality !== 'ok');
assert.ok(flagged.length > 20);
run(base, ['approve', ...flagged.slice(0, -10).map((c) => String(c.id))]);
const cards = json(base, ['cards']);
const expected = cards.filter((c) => !c.retired && !c.suspended && c.quality === 'ok');
const drafts = cards.filter((c) => !c.retired && !c.suspended && c.quality !== 'ok');
const apkg = path.join(work, 'recall.apkg');
const report = json(base, ['export', 'anki', apkg]);
const bytes = fs.readFileSync(apkg);
const SQL = await initSqlJs();
const { collection } = await readAnkiPackage(new Blob([bytes]));
const raw = collection.getRawCollection();
const rows = (db, sql, params = []) => {
  const statement = db.prepare(sql);
  statement.bind(params);
  const out = [];
  while (statement.step()) out.push(statement.getAsObject());
  statement.free();
  return out;
};
const notes = rows(raw, 'SELECT id, guid, mid, flds, sfld, csum, tags FROM notes ORDER BY id');

check('the export reports every card that is neither retired, suspended nor a flagged draft', () => {
  assert.equal(drafts.length, 10);
  assert.equal(report.notes, expected.length);
  assert.equal(report.drafts_left_out, drafts.length);
  assert.equal(notes.length, expected.length);
});

check('anki-reader reads one note type with the fixed fields and template', () => {
  const models = Object.values(collection.getModels());
  assert.equal(models.length, 1);
  assert.equal(models[0].getName(), 'recall card');
  assert.deepEqual(models[0].getFields().map((f) => f.name), ['Front', 'Back', 'Context', 'RecallKey']);
  assert.deepEqual(models[0].getTemplates().map((t) => t.name), ['Recall']);
  assert.equal(collection.getVersion(), 11);
});

check('one deck per domain under the parent, every card in one of them', () => {
  const decks = Object.values(collection.getDecks());
  const names = decks.map((d) => d.getName()).sort();
  const domains = [...new Set(expected.map((c) => (c.topic ? `${c.topic.domain}. ${c.topic.domain_name}` : 'Other')))];
  for (const domain of domains) assert.ok(names.includes(`recall::${domain}`), `deck recall::${domain} in ${names}`);
  let inDecks = 0;
  for (const deck of decks) inDecks += Object.keys(deck.getCards()).length;
  assert.equal(inDecks, expected.length);
});

check('fields hold the card text, guids derive from RecallKey, csums are SHA-1 of the front', () => {
  const fronts = new Set(expected.map((c) => withoutContext(c.front)));
  const guids = new Set();
  for (const note of notes) {
    const fields = note.flds.split('\x1f');
    assert.equal(fields.length, 4);
    const [front, back, context, key] = fields;
    assert.ok(fronts.has(stripHtml(front).replace(/<br>/g, '\n')) || fronts.has(stripHtml(front.replace(/<br>/g, '\n'))), `front ${front}`);
    assert.ok(back.length > 0 && key.length > 0);
    assert.ok(context.startsWith('['), context);
    assert.equal(note.guid, guidOf(stripHtml(key)));
    assert.equal(note.csum, checksumOf(front));
    assert.equal(note.sfld, stripHtml(front));
    guids.add(note.guid);
  }
  assert.equal(guids.size, notes.length);
});

check('export refuses collection.apkg and keeps the file it would replace', () => {
  const result = run(base, ['export', 'anki', path.join(work, 'collection.apkg')], { status: 2 });
  assert.match(result.stderr, /collection\.apkg/);
  assert.ok(!fs.existsSync(path.join(work, 'collection.apkg')));
});

{
  const studied = expected[0];
  const answered = JSON.parse(run(base, ['answer', String(studied.id), '4', '--json']).stdout);
  const scheduledFile = path.join(work, 'scheduled.apkg');
  const again = json(base, ['export', 'anki', scheduledFile, '--with-schedule']);
  const scheduledCol = new SQL.Database(await unzipEntry(fs.readFileSync(scheduledFile), 'collection.anki2'));
  const [col] = rows(scheduledCol, 'SELECT crt FROM col');
  const [card] = rows(scheduledCol, 'SELECT type, queue, due, ivl, factor, reps FROM cards WHERE id = ?',
    [1_000_000_000_000 + studied.id]);
  check('--with-schedule: a studied card goes out as a review card due on its day', () => {
    assert.equal(again.scheduled, 1);
    assert.deepEqual([card.type, card.queue], [2, 2]);
    assert.equal(card.ivl, answered.state.interval);
    assert.equal(card.factor, Math.round(Number(answered.state.ef) * 1000));
    assert.equal(card.reps, answered.state.n);
    const crtDay = Math.floor(col.crt / 86400);
    const dueDay = Math.floor(Date.parse(answered.state.due + 'T00:00:00Z') / 86_400_000);
    assert.equal(card.due, dueDay - crtDay);
  });
}

// 2. The phone: answers added to the exported collection.
const noteIds = notes.map((n) => n.id);
const recallId = (noteId) => noteId - 1_000_000_000_000;  // the export's note ids
const [a, b, c] = noteIds;
const phone = new SQL.Database(new Uint8Array(bytes.length ? await unzipEntry(bytes, 'collection.anki2') : []));
async function unzipEntry(archive, name) {
  const reader = new zip.ZipReader(new zip.Uint8ArrayReader(new Uint8Array(archive)));
  const entries = await reader.getEntries();
  const entry = entries.find((e) => e.filename === name);
  const data = await entry.getData(new zip.Uint8ArrayWriter());
  await reader.close();
  return data;
}
const revlog = [];  // [id, cid, ease, ivl, lastIvl, factor, time, type]
const answer = (cid, day, minutes, ease, type, factor = 2500) =>
  revlog.push([noon(day, minutes * 60_000) + revlog.length, cid, ease, 1, 0, factor, 8000, type]);  // ids unique
answer(a, '2026-11-16', 0, 3, 0);   // Good, learning
answer(a, '2026-11-17', 0, 1, 1);   // Again
answer(a, '2026-11-17', 10, 3, 2);  // Good, relearning: the same day (practice)
answer(a, '2026-11-18', 0, 4, 1);   // Easy
answer(b, '2026-11-17', 0, 2, 0);   // Hard
answer(b, '2026-11-19', 0, 3, 1);   // Good
answer(c, '2026-11-19', 0, 3, 0);   // Good
answer(c, '2026-11-20', 0, 4, 1);   // Easy: the day the terminal answers it too
answer(c, '2026-11-19', 30, 0, 4, 0);  // a manual reschedule: no rating
answer(b, '2026-11-20', 5, 3, 3, 0);   // cramming in a filtered deck: no rating
for (const row of revlog) phone.run('INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)', row);
// A note of the learner's own, in another note type: reported, left alone.
phone.run("INSERT INTO notes VALUES (42, 'someoneelse', 7, 0, -1, '', 'q\x1fa', 'q', 0, 0, '')");
phone.run("INSERT INTO cards VALUES (43, 42, 1, 0, 0, -1, 2, 2, 0, 1, 2500, 1, 0, 0, 0, 0, 0, '')");
phone.run('INSERT INTO revlog VALUES (?, 43, -1, 3, 1, 0, 2500, 5000, 1)', [noon('2026-11-18')]);
const rated = 8;  // recall's rated rows above
const legacyBytes = phone.export();

// The schema-18 collection: ver 18, a table with Anki's unicase collation
// declared and the WAL header a closed rslib collection keeps.
const latest = new SQL.Database(legacyBytes);
latest.run('UPDATE col SET ver = 18');
latest.run('CREATE TABLE config (KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL, mtime_secs integer NOT NULL, val blob NOT NULL) WITHOUT ROWID');
const latestBytes = latest.export();
latestBytes[18] = 2;
latestBytes[19] = 2;
const latestFile = path.join(work, 'collection.anki21b.raw');
fs.writeFileSync(latestFile, latestBytes);
execFileSync('zstd', ['-q', '-f', '-o', latestFile + '.zst', latestFile]);
const zstdBytes = fs.readFileSync(latestFile + '.zst');
const placeholder = await unzipEntry(bytes, 'collection.anki2');  // no answers: must not be read

async function writeZip(file, entries, level) {
  const writer = new zip.ZipWriter(new zip.Uint8ArrayWriter());
  for (const [name, data] of entries)
    await writer.add(name, new zip.Uint8ArrayReader(data), { level, useWebWorkers: false });
  fs.writeFileSync(file, await writer.close());
}
const enc = (text) => new TextEncoder().encode(text);
const layouts = {
  anki2: [[['collection.anki2', legacyBytes], ['media', enc('{}')]], 6],
  anki21: [[['collection.anki2', placeholder], ['collection.anki21', legacyBytes], ['media', enc('{}')]], 6],
  anki21b: [[['meta', new Uint8Array([0x08, 0x03])], ['collection.anki2', placeholder],
    ['collection.anki21b', new Uint8Array(zstdBytes)], ['media', new Uint8Array(execFileSync('zstd', ['-q', '-c'], { input: '' }))]], 0],
};

for (const [layout, [entries, level]] of Object.entries(layouts)) {
  const file = path.join(work, `phone-${layout}.apkg`);
  await writeZip(file, entries, level);
  const db = path.join(work, `${layout}.db`);
  run(db, ['import', tracker]);
  // The terminal answers card c on the 20th too (before the import).
  const terminal = JSON.parse(run(db, ['answer', String(recallId(c)), '5', '--json']).stdout);

  check(`${layout}: --dry-run says what would be added and changes nothing`, () => {
    const dry = json(db, ['import', 'anki', file, '--dry-run']);
    assert.equal(dry.layout, layout);
    assert.equal(dry.added, rated);
    assert.equal(json(db, ['card', String(recallId(a))]).history.length, 0);
  });

  check(`${layout}: the import adds every rated answer, once, at its day`, () => {
    const imported = json(db, ['import', 'anki', file]);
    assert.equal(imported.layout, layout);
    assert.equal(imported.added, rated);
    assert.equal(imported.cards, 3);
    assert.equal(imported.not_rated, 2);
    assert.equal(imported.foreign_notes, 1);
    assert.equal(imported.foreign_answers, 1);
    const historyA = json(db, ['card', String(recallId(a))]).history;
    assert.deepEqual(historyA.map((h) => [h.day, h.grade, h.button, h.source, h.kind]), [
      ['2026-11-16', 4, 3, 'phone', 'review'],
      ['2026-11-17', 2, 1, 'phone', 'review'],
      ['2026-11-17', 4, 3, 'phone', 'redrill'],
      ['2026-11-18', 5, 4, 'phone', 'review'],
    ]);
    const historyB = json(db, ['card', String(recallId(b))]).history;
    assert.deepEqual(historyB.map((h) => [h.day, h.grade, h.button]), [['2026-11-17', 3, 2], ['2026-11-19', 4, 3]]);
    // Card c: the phone's answers on the 19th and the 20th, and the
    // terminal's on the 20th after the phone's of that day: the phone's
    // moves the schedule, the terminal's is that day's practice.
    const historyC = json(db, ['card', String(recallId(c))]).history;
    assert.deepEqual(historyC.map((h) => [h.day, h.source, h.kind, h.grade]), [
      ['2026-11-19', 'phone', 'review', 4],
      ['2026-11-20', 'phone', 'review', 5],
      ['2026-11-20', 'drill', 'redrill', 5],
    ]);
    assert.equal(terminal.kind, 'review');
  });

  check(`${layout}: recall check replays the merged log`, () => {
    const report = json(db, ['check']);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.reviews, rated + 1);
  });

  check(`${layout}: a second import adds nothing`, () => {
    const again = json(db, ['import', 'anki', file]);
    assert.equal(again.added, 0);
    assert.equal(again.duplicates, rated);
    assert.equal(json(db, ['check']).reviews, rated + 1);
  });
}

if (failures) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('anki round trip: all checks passed');
