// A real MCP client against `recall mcp`: the official TypeScript SDK
// (@modelcontextprotocol/sdk, pinned in package-lock.json) spawns the server
// on a temp database with the fixture imported and a fixed --today, then
// runs what a tutor does: initialize, list tools, the brief, a tracker
// import, a five-card drill, a grade without reveal, undo_last,
// record_answer, and an edit of a flagged card. The database is checked
// afterwards through `recall card --json`.
//   node drill.mjs RECALL_BINARY FIXTURE
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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
                      "import_tracker", "sync_tracker"])
    assert.ok(names.includes(name), `tool ${name} listed`);

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

  // undo_last reverts the fifth answer.
  const undone = await ok("undo_last");
  assert.equal(undone.card, drilled[4]);

  // record_answer: an answer heard in conversation, kind "tutor".
  const heard = JSON.parse(cli("cards", "--json")).map((c) => c.id)
    .find((id) => !drilled.includes(id) && id !== unrevealed.card.id);  // one the drill did not touch
  const recorded = await ok("record_answer", { card_id: heard, grade: 2, note: "forgot the denominator" });
  assert.equal(recorded.kind, "tutor");

  // A flagged card, rewritten by the tutor.
  const flagged = (await ok("cards_to_review")).cards;
  assert.ok(flagged.length > 0, "the fixture has cards flagged for review");
  assert.ok(flagged.every((c) => c.quality === "review" && c.quality_reason.length > 0));
  const fixed = flagged[0].id;
  const edited = await ok("edit_card", { card_id: fixed, back: "A model answer the tutor wrote." });
  assert.equal(edited.card.quality, "ok");

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
