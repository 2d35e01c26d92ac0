// A real MCP client against `recall mcp`: the official TypeScript SDK
// (@modelcontextprotocol/sdk, pinned in package-lock.json) spawns the server
// on a temp database with the fixture imported and a fixed --today, then
// runs what a tutor does: initialize, list tools, the brief, a tracker
// import, a five-card drill, a grade without reveal, undo_last and a grade
// again (the recall-drill skill's own steps), record_answer, skip_card, an
// unknown topic filter, and a review pass in batches (cards_to_review,
// approve, edit, retire, add, find) with flagged drafts waiting until
// reviewed; every tool the skills allow exists. The database is checked
// afterwards through `recall card --json`.
//   node drill.mjs RECALL_BINARY FIXTURE
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import Ajv from "ajv";

const [recall, fixture] = process.argv.slice(2);
assert.ok(recall && fixture, "usage: node drill.mjs RECALL_BINARY FIXTURE");
const today = "2026-11-25";
const dir = mkdtempSync(join(tmpdir(), "recall-mcp-"));
const db = join(dir, "drill.db");
const cli = (...args) => execFileSync(recall, ["--db", db, "--today", today, ...args], { encoding: "utf8" });

let client;
try {
  cli("import", fixture);
  client = new Client({ name: "recall-drill-test", version: "1.0.0" });
  await client.connect(new StdioClientTransport({
    command: recall, args: ["--db", db, "--today", today, "mcp"], stderr: "inherit" }));
  assert.equal(client.getServerVersion().name, "recall");
  assert.ok(client.getServerCapabilities().tools);

  // Tools: every schema compiles as JSON Schema (strict); names are valid.
  const { tools } = await client.listTools();
  const ajv = new Ajv({ strict: true, allowUnionTypes: true });
  for (const tool of tools) {
    assert.match(tool.name, /^[A-Za-z0-9_.-]{1,128}$/);
    assert.equal(tool.inputSchema.type, "object");
    assert.ok(tool.outputSchema, `${tool.name} has an outputSchema`);
    ajv.compile(tool.inputSchema);
    ajv.compile(tool.outputSchema);
  }
  const names = tools.map((t) => t.name);
  for (const name of ["brief", "next_card", "reveal_card", "grade_card", "record_answer", "undo_last",
                      "card", "edit_card", "cards_to_review", "gaps", "topics", "stats", "plan",
                      "import_tracker", "sync_tracker", "approve_cards", "edit_cards",
                      "retire_cards", "add_cards", "find_cards", "skip_card"])
    assert.ok(names.includes(name), `tool ${name} listed`);
  // Every tool a skill allows is one the server lists.
  const skills = new URL("../../integrations/claude-code/skills/", import.meta.url);
  for (const skill of ["recall-drill", "recall-cards"]) {
    const text = readFileSync(new URL(`${skill}/SKILL.md`, skills), "utf8");
    const allowed = text.match(/^allowed-tools: (.*)$/m)[1].split(", ");
    for (const tool of allowed)
      assert.ok(names.includes(tool.replace("mcp__recall__", "")), `${skill} allows ${tool}: listed`);
  }

  // The SDK validates structuredContent against each outputSchema itself.
  const call = async (name, args = {}) => {
    const result = await client.callTool({ name, arguments: args });
    assert.equal(result.content[0].type, "text");
    if (!result.isError) assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
    return result;
  };
  const ok = async (name, args) => {
    const result = await call(name, args);
    assert.ok(!result.isError, `${name}: ${result.content[0].text}`);
    return result.structuredContent;
  };

  // The session brief, then a tracker import (the fixture again: nothing changes).
  const brief = await ok("brief");
  assert.equal(brief.exists, true);
  assert.equal(brief.day, today);
  const imported = await ok("import_tracker", { path: fixture });
  assert.equal(imported.kind, "tracker");
  assert.equal(imported.added, 0);
  assert.ok(imported.unchanged > 0);

  // The session opens with a first review batch (the recall-cards skill:
  // when the brief says drafts wait): no card rule is trusted, so nearly
  // every card waits, and the drill introduces the ones approved.
  assert.ok(brief.drafts_waiting > 30, "nearly every card waits for the review pass");
  const batch = await ok("cards_to_review", { limit: 30 });
  assert.equal(batch.cards.length, 30);
  await ok("approve_cards", { ids: batch.cards.map((c) => c.id) });
  assert.equal((await ok("brief")).drafts_waiting, brief.drafts_waiting - 30);

  // A five-card drill: next -> reveal -> grade.
  const grades = [5, 4, 3, 1, 4];
  const drilled = [];
  for (const grade of grades) {
    const next = await ok("next_card");
    assert.ok(!("back" in next.card) && !("source" in next.card), "next_card hides the back");
    const revealed = await ok("reveal_card", { card_id: next.card.id });
    assert.equal(revealed.preview.length, 6);
    assert.ok(revealed.back.length > 0);
    const graded = await ok("grade_card", { card_id: next.card.id, grade,
                                            ...(grade < 3 ? { note: "swapped the terms" } : {}) });
    assert.equal(graded.card, next.card.id);
    assert.equal(graded.kind, "review");
    drilled.push(next.card.id);
  }
  assert.equal(new Set(drilled).size, 5, "five different cards");

  // Grading a card that was not revealed is a tool error.
  const unrevealed = await ok("next_card");
  const blind = await call("grade_card", { card_id: unrevealed.card.id, grade: 5 });
  assert.equal(blind.isError, true);
  assert.match(blind.content[0].text, /not been revealed/);
  const seven = await call("grade_card", { card_id: unrevealed.card.id, grade: 7 });
  assert.equal(seven.isError, true);

  // recall-drill: "a grade given by mistake: undo_last once, then grade again".
  const mistaken = await ok("next_card");
  await ok("reveal_card", { card_id: mistaken.card.id });
  await ok("grade_card", { card_id: mistaken.card.id, grade: 0, note: "wrong key" });
  assert.equal((await ok("undo_last")).card, mistaken.card.id);
  const regraded = await ok("grade_card", { card_id: mistaken.card.id, grade: 4 });
  assert.equal(regraded.card, mistaken.card.id);
  drilled.push(mistaken.card.id);

  // undo_last reverts the last answer (the re-grade), then the fifth.
  assert.equal((await ok("undo_last")).card, mistaken.card.id);
  const undone = await ok("undo_last");
  assert.equal(undone.card, drilled[4]);
  drilled.pop();

  // recall-drill: "skip" -> skip_card, and the next card is another.
  const skippedCard = await ok("next_card");
  const skipped = await ok("skip_card", { card_id: skippedCard.card.id });
  assert.equal(skipped.skipped, skippedCard.card.id);
  const afterSkip = await ok("next_card");
  assert.notEqual(afterSkip.card.id, skippedCard.card.id);

  // An unknown filter is an error naming what exists, not a finished day.
  const unknown = await call("next_card", { topic: "Z.99" });
  assert.equal(unknown.isError, true);
  assert.match(unknown.content[0].text, /no topic labelled 'Z\.99' \(topics: A\.3, A\.8, C\.16/);
  // A topic that still has a new card the drill may introduce (not flagged),
  // asked for in lower case.
  const spare = JSON.parse(cli("cards", "--json")).find((c) =>
    c.quality === "ok" && c.state.n === 0 && c.state.due === null &&
    ![unrevealed.card.id, skippedCard.card.id].includes(c.id));
  assert.ok(spare, "an unflagged new card is left");
  const lower = await ok("next_card", { topic: spare.topic.label.toLowerCase() });
  assert.equal(lower.card.topic.label, spare.topic.label);
  await ok("skip_card", { card_id: lower.card.id });  // not in hand any more

  // record_answer: an answer heard in conversation, kind "tutor".
  const presented = [...drilled, unrevealed.card.id, skippedCard.card.id, afterSkip.card.id, lower.card.id];
  const heard = JSON.parse(cli("cards", "--json")).map((c) => c.id)
    .find((id) => !presented.includes(id));  // one the drill did not touch
  const recorded = await ok("record_answer", { card_id: heard, grade: 2, note: "forgot the denominator" });
  assert.equal(recorded.kind, "tutor");

  // A flagged card, rewritten by the tutor.
  const pass = await ok("cards_to_review", { limit: 1000 });
  const flagged = pass.cards.filter((c) => c.quality === "review");
  assert.ok(flagged.length > 4, "the fixture has cards flagged for review");
  assert.ok(pass.cards.slice(0, flagged.length).every((c) => c.quality === "review"), "flagged first");
  assert.ok(flagged.every((c) => c.quality_reason.length > 0 && Array.isArray(c.topic_points)));
  const fixed = flagged[0].id;
  const edited = await ok("edit_card", { card_id: fixed, back: "A model answer the tutor wrote." });
  assert.equal(edited.card.quality, "ok");

  // Drafts wait: flagged new cards are not introduced until reviewed.
  const waiting = pass.drafts_waiting;
  assert.ok(waiting > 0);
  const due = () => JSON.parse(cli("due", "--json"));
  assert.equal(due().drafts_waiting, waiting - 1, "the edited card no longer waits");
  const brief2 = await ok("brief");
  assert.equal(brief2.drafts_waiting, waiting - 1);
  assert.ok(brief2.unreviewed > 0);

  // The review pass in batches: approve, edit, retire, add, each one call.
  const [a, b, c, d] = flagged.slice(1, 5).map((card) => card.id);
  const bad = await call("approve_cards", { ids: [a, 999999] });
  assert.equal(bad.isError, true);
  assert.match(bad.content[0].text, /ids\[1\] \(card 999999\)/);
  assert.equal(JSON.parse(cli("card", String(a), "--json")).card.reviewed, null, "a bad batch changes nothing");
  const approved = await ok("approve_cards", { ids: [a, b] });
  assert.deepEqual(approved.cards.map((card) => card.reviewed.as), ["approved", "approved"]);
  const rewritten2 = await ok("edit_cards", { edits: [{ card_id: c, front: "Which metric suits rare positives?",
                                                        back: "Precision-recall AUC." }] });
  assert.equal(rewritten2.cards[0].reviewed.by, "tutor");
  const retired = await ok("retire_cards", { ids: [d], reason: "a statement about the learner" });
  assert.equal(retired.cards[0].retired, true);
  const added = await ok("add_cards", { cards: [{ topic: "A.8", front: "ROC vs PR curve: the axes of each?",
                                                   back: "ROC: TPR vs FPR. PR: precision vs recall.",
                                                   source: "ROC axes confusion" }] });
  const mine = added.cards[0].id;
  assert.equal(due().drafts_waiting, waiting - 5, "approved, rewritten and retired cards no longer wait");
  const found = await ok("find_cards", { query: "the axes of each" });
  assert.deepEqual(found.cards.map((card) => card.id), [mine]);
  // The card detail has `recall card --json`'s shape, memory included, and
  // the ids of the open gaps the card drills.
  const detail = await ok("card", { card_id: c });
  assert.ok(Array.isArray(detail.card.gaps), "card.gaps lists the card's open gaps");
  assert.ok(detail.card.gaps.every(Number.isInteger));
  delete detail.card.gaps;
  assert.deepEqual(detail, JSON.parse(cli("card", String(c), "--json")));

  // They keep their state through an import of the tracker.
  await ok("import_tracker", { path: fixture });
  const after = (id) => JSON.parse(cli("card", String(id), "--json")).card;
  assert.equal(after(a).reviewed.as, "approved");
  assert.equal(after(a).quality, "ok");
  assert.match(after(c).front, /Which metric suits rare positives\?$/);
  assert.equal(after(d).retired, true);
  assert.equal(after(mine).retired, false);

  await client.close();
  client = undefined;

  // The database afterwards, through the command line.
  const history = (id) => JSON.parse(cli("card", String(id), "--json")).history;
  for (let i = 0; i < 4; ++i) {
    const h = history(drilled[i]);
    assert.equal(h.length, 1, `card ${drilled[i]} answered once`);
    assert.equal(h[0].grade, grades[i]);
    assert.equal(h[0].kind, "review");
    assert.equal(h[0].note, grades[i] < 3 ? "swapped the terms" : null);
  }
  assert.equal(history(drilled[4]).length, 0, "the undone answer is gone");
  const tutor = history(heard);
  assert.equal(tutor.length, 1);
  assert.equal(tutor[0].kind, "tutor");
  assert.equal(tutor[0].note, "forgot the denominator");
  const rewritten = JSON.parse(cli("card", String(fixed), "--json")).card;
  assert.match(rewritten.back, /A model answer the tutor wrote\.$/);
  assert.equal(rewritten.edited, true);
  assert.equal(JSON.parse(cli("check", "--json")).ok, true);
  console.log(`mcp drill: ok (${tools.length} tools, cards ${drilled.join(", ")}, tutor answer on ${heard})`);
} finally {
  if (client) await client.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
