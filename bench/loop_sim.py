#!/usr/bin/env python3
"""Many-day simulation driver for `recall` (stdlib only).

A lapsing learner drills every day's queue (`recall next --json` +
`recall answer ID GRADE [--note ...]`, including the same-day re-drills the
queue offers), `recall sync` writes feedback into a copy of the tracker every
day, and a tutor edits the tracker between syncs (then `recall import`).
Checks run after every sync; a compact report is printed and written to
RUN_DIR/report.txt.

Usage:
  python3 bench/loop_sim.py [--seed N] [--days 45] [--start 2026-10-01]
                           [--binary PATH] [--tracker PATH] [--out DIR]
"""
import argparse
import datetime as dt
import difflib
import json
import os
import random
import re
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BINARY = os.path.join(REPO, "build", "recall")
DEFAULT_TRACKER = os.path.join(REPO, "tests", "data", "ml-study-tracker.md")
HERE = "/tmp/recall-loop-sim"  # runs and the copied binary

SKIP_DAYS = {9, 10, 23, 37}
CHECKPOINT_DAYS = [1, 15, 30, 45]
# Tutor editing rounds: (day, [actions]). 18 rounds, every 2-3 studied days.
EDIT_PLAN = [
    (2, ["readiness:58"]),
    (4, ["add_gap_high"]),
    (6, ["add_keypoint_a8"]),
    (8, ["session_row"]),
    (11, ["delete_recall_line"]),
    (13, ["move_recall_high_to_medium"]),
    (15, ["reword_tutor_line_1"]),
    (17, ["resolve_recall_line"]),
    (19, ["resolve_tutor_line"]),
    (21, ["new_topic_row"]),
    (24, ["readiness:61"]),
    (26, ["add_gap_medium"]),
    (28, ["session_row"]),
    (30, ["delete_recall_line"]),
    (33, ["add_keypoint_c18"]),
    (35, ["readiness:63"]),
    (39, ["reword_tutor_line_2", "session_row"]),
    (42, ["readiness:66", "session_row"]),
]
NEEDS_RECALL_LINE = {"delete_recall_line", "move_recall_high_to_medium", "resolve_recall_line"}

LAPSE_TOPICS = {
    "A.8": ["swapped the axes", "mixed up TPR and FPR", "forgot AUC is threshold-free",
            "compared AUC-PR to 0.5"],
    "C.18": ["normalized over the wrong dim", "forgot RMSNorm drops the mean",
             "said BatchNorm goes after activation"],
    "E.40": ["confused label shift and concept drift", "forgot the operational layer",
             "mixed up alert tiers"],
    "F.42": ["forgot the overfit-one-batch check", "wrong initial loss value",
             "mixed up overfitting and underfitting", "missed exp overflow as NaN cause"],
}
LAPSE_P = 0.70
OTHER_P = 0.15
REDRILL_NOTE = "redrill slip zebra"   # a note only ever given on re-drill failures

TUTOR_GAP_HIGH = "Bias-variance: cannot yet explain with a concrete example (needs whiteboard rehearsal)"
TUTOR_GAP_MEDIUM = "Precision, recall and F1 from a confusion matrix: slow under time pressure"
REWORD_1 = ("System design: be specific with feature examples (enumerate, don't generalize)",
            "System design: give concrete feature examples (list them, never hand-wave)")
REWORD_2 = ("Full end-to-end system design practice (three practices done — delivery improving steadily)",
            "Full end-to-end system design practice (four mocks done; pacing still the weak spot)")
RESOLVE_TUTOR = "AUC-PR interpretation nuances (don't compare to 0.5, compare to positive class rate)"

SUFFIX_RE = re.compile(r" — (missed \d+× since \d{4}-\d\d-\d\d(, \".*?\")?|recalled \d+× over \d+ days? in review)")
# older shapes the reader also strips (docs/feedback.md)
OLD_SUFFIX_RE = re.compile(r"(\(recurring — missed \d+×|, \d+× since \d{4}-\d\d-\d\d| — missed \d+× \()")
READINESS_RE = re.compile(r"\*\*Overall Interview Readiness\*\*: \d+%")
LABEL_RE = re.compile(r"^([A-Z]+\.?\d+(?:\.\d+)*)\s")


def tier_of(heading):
    """A gap tier heading as recall reads it: "🔴 High Priority", "🔴 High: …",
    "🟢 Cleared recently", "**Tier 1 — must close**", "🟥 Fix …"."""
    low = heading.lower()
    # "Tier A: must be closed before …", "Tier 3 — closed": closed only by
    # the word right after the tier's name; A/1 high, B/C/2/3 medium.
    m = re.search(r"\btier\s+([a-c1-3])\b[^a-z]*([a-z]*)", low)
    if m:
        if m.group(2) in ("closed", "resolved", "cleared", "fixed", "done"):
            return "resolved"
        return "high" if m.group(1) in ("a", "1") else "medium"
    if re.search(r"\bhigh\b", low) or "🟥" in heading:
        return "high"
    if re.search(r"\bmedium\b", low) or "🟨" in heading:
        return "medium"
    if re.search(r"\b(resolved|cleared|fixed|closed)\b", low) or "🟩" in heading:
        return "resolved"
    return None


def is_tier_heading(line):
    """A tier's "### …" heading, or a bold line of its own naming a tier."""
    if line.startswith("### "):
        return True
    t = line.strip()
    return t.startswith("**") and t.endswith("**") and len(t) > 4 and tier_of(t) is not None


NUMBERED_RE = re.compile(r"^\d{1,3}[.)] ")


def is_data_row(lines, i):
    """A table row that is neither a separator nor a header (the row above one)."""
    ln = lines[i]
    sep = lambda x: x.startswith("|") and set(x.strip()) <= set("|-: ")
    if not ln.startswith("|") or sep(ln):
        return False
    return not (i + 1 < len(lines) and sep(lines[i + 1]))


def item_text(line):
    """An open gap line's text: after "- " or "1. ", or a row's first cell."""
    if line.startswith("- "):
        return line[2:]
    m = NUMBERED_RE.match(line)
    if m:
        return line[m.end():]
    if line.startswith("|"):
        return line.strip().strip("|").split(" | ")[0].strip().replace("\\|", "|")
    return line


def day_str(start, i):
    return (start + dt.timedelta(days=i - 1)).isoformat()


class Sim:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.start = dt.date.fromisoformat(args.start)
        ts = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        self.run = os.path.abspath(args.out or os.path.join(HERE, f"run-{ts}"))
        os.makedirs(self.run, exist_ok=False)
        for sub in ("snapshots", "diffs", "state", "data", "config"):
            os.makedirs(os.path.join(self.run, sub))
        if args.binary:
            self.bin = os.path.abspath(args.binary)
        else:
            os.makedirs(os.path.join(HERE, "bin"), exist_ok=True)
            self.bin = os.path.join(HERE, "bin", "recall")
            shutil.copy2(DEFAULT_BINARY, self.bin + ".tmp")
            os.replace(self.bin + ".tmp", self.bin)
        self.db = os.path.join(self.run, "recall.db")
        self.tracker = os.path.join(self.run, "ml-study-tracker.md")
        shutil.copy2(args.tracker, self.tracker)
        self.env = dict(os.environ, XDG_STATE_HOME=os.path.join(self.run, "state"),
                        XDG_DATA_HOME=os.path.join(self.run, "data"),
                        XDG_CONFIG_HOME=os.path.join(self.run, "config"), NO_COLOR="1")
        self.env.pop("RECALL_DB", None)
        self.cmdlog = open(os.path.join(self.run, "commands.log"), "w")
        self.errors = []          # non-zero exits
        self.findings = []        # (day, text, key)
        self.finding_keys = {}    # key -> [first day, times seen]
        self.answers = []         # dicts: day, card, grade, kind, note, topic
        self.card_topic = {}      # card id -> label
        self.topic_keys = []      # "LABEL Title" of every topic, longest first
        self.prev_suffix = {}     # gap words -> (N, since) at the previous sync
        self.tutor_words = set()  # gap words authored by the tutor
        # the tutor's readiness line no sync may overwrite: the tracker's own, then each one the tutor sets
        m = READINESS_RE.search(self.read())
        self.tutor_readiness = m.group(0) if m else None
        self.deleted = []         # dicts: words, label, day, back_day
        self.moved = None         # dict: words, tier, day, left_days
        self.resolved_by_tutor = []  # dicts: words, label, day, whose, reopened_day
        self.edits_done = []      # (day, action, detail)
        self.pending = []
        self.checkpoints = []
        self.daily = []
        self.sync_totals = {"gaps_added": 0, "gaps_raised": 0, "gaps_lowered": 0,
                            "gaps_resolved": 0, "gaps_updated": 0, "confidence_changes": 0}
        self.redrill_answers = 0
        self.redrill_fail = 0

    # ---------------------------------------------------------------- commands
    def rc(self, day, *argv, ok=(0,)):
        cmd = [self.bin, "--db", self.db, "--today", day] + [str(a) for a in argv]
        p = subprocess.run(cmd, capture_output=True, text=True, env=self.env, cwd=self.run)
        short = " ".join(cmd[1:])
        self.cmdlog.write(f"[{day}] rc={p.returncode} {short}\n")
        if p.returncode not in ok:
            msg = f"[{day}] rc={p.returncode}: recall {' '.join(str(a) for a in argv)} :: {p.stderr.strip()[:400]}"
            self.errors.append(msg)
            self.cmdlog.write("  STDERR: " + p.stderr + "\n")
        elif p.stderr.strip():
            self.cmdlog.write("  stderr: " + p.stderr.strip()[:400] + "\n")
        return p

    def jcall(self, day, *argv):
        p = self.rc(day, *argv)
        try:
            return json.loads(p.stdout)
        except ValueError:
            self.errors.append(f"[{day}] bad JSON from recall {' '.join(map(str, argv))}: {p.stdout[:200]!r}")
            return None

    # ---------------------------------------------------------------- tracker model
    def read(self):
        with open(self.tracker, encoding="utf-8") as f:
            return f.read()

    def write(self, text):
        with open(self.tracker, "w", encoding="utf-8") as f:
            f.write(text)

    @staticmethod
    def sections(text):
        """Return dict tier -> (list of (line_index, line)) for High/Medium gap lists and
        Resolved table rows."""
        lines = text.split("\n")
        out = {"high": [], "medium": [], "resolved": []}
        cur = None
        in_gaps = False
        for i, ln in enumerate(lines):
            if ln.startswith("## "):
                in_gaps = "knowledge gap" in ln.lower() or re.search(r"\bgaps?\b", ln.lower())
                cur = None
                continue
            if not in_gaps:
                continue
            if is_tier_heading(ln):
                cur = tier_of(ln)
                continue
            if ln.strip() == "---":
                cur = None
                continue
            if cur in ("high", "medium") and (ln.startswith("- ") or NUMBERED_RE.match(ln)
                                               or is_data_row(lines, i)):
                if ln.strip() != "- None identified yet":
                    out[cur].append((i, ln))
            elif cur == "resolved" and ln.startswith("|"):
                cells = [c.strip() for c in ln.strip().strip("|").split("|")]
                if cells and cells[0] not in ("Gap",) and not set(cells[0]) <= set("-: "):
                    out[cur].append((i, ln))
        return out

    @staticmethod
    def words(line):
        body = item_text(line)
        m = SUFFIX_RE.search(body)
        return body[:m.start()] if m else body

    @staticmethod
    def resolved_words(row):
        return [c.strip() for c in row.strip().strip("|").split("|")][0]

    @staticmethod
    def norm(s):
        return re.sub(r"\s+", " ", s.strip().lower())

    def refresh_topics(self, day):
        t = self.jcall(day, "topics", "--json") or []
        self.topic_keys = sorted({f"{x['label']} {x['title']}" for x in t}, key=len, reverse=True)

    def topic_of(self, words):
        for k in self.topic_keys:
            if words.startswith(k + ":") or words == k:
                return k
        return None

    def open_lines(self, text):
        s = self.sections(text)
        return [(t, i, ln) for t in ("high", "medium") for i, ln in s[t]]

    def recall_lines(self, text):
        return [(t, i, ln) for t, i, ln in self.open_lines(text) if self.words(ln) not in self.tutor_words]

    # ---------------------------------------------------------------- learner
    def grade_for(self, label, phase, attempt):
        r = self.rng
        if phase == "redrill":
            self.redrill_answers += 1
            if label in LAPSE_TOPICS and attempt == 1 and r.random() < 0.3:
                self.redrill_fail += 1
                return 2, REDRILL_NOTE
            return r.choice([4, 5]), None
        p = LAPSE_P if label in LAPSE_TOPICS else OTHER_P
        if r.random() < p:
            g = r.choice([1, 2])
            note = None
            if label in LAPSE_TOPICS and r.random() < 0.5:
                note = r.choice(LAPSE_TOPICS[label])
            return g, note
        return r.choice([3, 4, 4, 5]), None

    def drill(self, day):
        attempts = {}
        n = 0
        while True:
            n += 1
            if n > 2000:
                self.finding(day, "drill loop did not finish after 2000 cards")
                break
            nx = self.jcall(day, "next", "--json")
            if nx is None:
                break
            card = nx["card"]
            cid = card["id"]
            tp = card.get("topic") or {}
            label = tp.get("label") or ("dom:" + str(card.get("domain")))
            tkey = f"{tp['label']} {tp['title']}" if tp else label
            self.card_topic[cid] = label
            attempts[cid] = attempts.get(cid, 0) + 1
            phase = nx["phase"]
            redrill_n = attempts[cid] - 1 if phase == "redrill" else 0
            g, note = self.grade_for(label, phase, redrill_n)
            argv = ["answer", cid, g, "--json"]
            if note:
                argv += ["--note", note]
            res = self.jcall(day, *argv)
            if res is None:
                break
            kind = res.get("kind")
            if phase == "redrill" and kind != "redrill":
                self.finding(day, f"card {cid}: next said phase redrill but answer kind {kind}")
            if phase != "redrill" and kind == "redrill":
                self.finding(day, f"card {cid}: phase {phase} but answer logged as redrill")
            self.answers.append(dict(day=day, card=cid, grade=g, kind=kind, note=note, topic=label,
                                     tkey=tkey, phase=phase))

    # ---------------------------------------------------------------- tutor edits
    def tier_block_end(self, lines, tier):
        """index after the last list line of a tier (for appending)."""
        start = next(i for i, l in enumerate(lines) if is_tier_heading(l) and tier_of(l) == tier)
        last = start
        for j in range(start + 1, len(lines)):
            if lines[j].startswith("- ") or NUMBERED_RE.match(lines[j]) or lines[j].startswith("|"):
                last = j
            elif is_tier_heading(lines[j]) or lines[j].startswith("## ") or lines[j].strip() == "---":
                break
        return start, last

    def add_gap(self, text, tier, words):
        lines = text.split("\n")
        start, last = self.tier_block_end(lines, tier)
        if lines[last].startswith("|"):
            # a tier kept as a table: the tutor adds a row with as many cells
            cells = lines[last].strip().strip("|").count(" | ") + 1
            lines.insert(last + 1, "| " + words.replace("|", "\\|") + " |" + " |" * (cells - 1))
            return "\n".join(lines)
        if lines[last].strip() == "- None identified yet":
            lines[last] = "- " + words
        elif last == start:
            lines.insert(start + 1, "- " + words)
        else:
            lines.insert(last + 1, "- " + words)
        return "\n".join(lines)

    def remove_line(self, text, idx):
        lines = text.split("\n")
        del lines[idx]
        # if the tier list became empty, write the placeholder back (as the docs show)
        for tier in ("high", "medium"):
            s = next(i for i, l in enumerate(lines) if is_tier_heading(l) and tier_of(l) == tier)
            j = s + 1
            has = table = False
            while (j < len(lines) and not lines[j].startswith("#") and lines[j].strip() != "---"
                   and not is_tier_heading(lines[j])):
                if lines[j].startswith("- ") or NUMBERED_RE.match(lines[j]) or is_data_row(lines, j):
                    has = True
                table = table or lines[j].startswith("|")
                j += 1
            if not has and not table:
                lines.insert(s + 1, "- None identified yet")
        return "\n".join(lines)

    def add_resolved_row(self, text, words, day, note):
        lines = text.split("\n")
        s = next(i for i, l in enumerate(lines) if is_tier_heading(l) and tier_of(l) == "resolved")
        last = s
        for j in range(s + 1, len(lines)):
            if lines[j].startswith("|"):
                last = j
            elif lines[j].startswith("#") or lines[j].strip() == "---" or is_tier_heading(lines[j]):
                break
        lines.insert(last + 1, f"| {words} | {day} | {note} |")
        return "\n".join(lines)

    def pick_recall_line(self, text, prefer_tier=None, avoid=()):
        cands = [c for c in self.recall_lines(text) if self.words(c[2]) not in avoid]
        if prefer_tier:
            cands = [c for c in cands if c[0] == prefer_tier]
        if not cands:
            return None
        # prefer a line of a topic the learner does NOT keep failing
        cands.sort(key=lambda c: (LABEL_RE.match(self.words(c[2])) is not None and
                                  LABEL_RE.match(self.words(c[2])).group(1) in LAPSE_TOPICS, c[1]))
        return cands[0]

    def used_words(self):
        u = {d["words"] for d in self.deleted} | {r["words"] for r in self.resolved_by_tutor}
        if self.moved:
            u.add(self.moved["words"])
        return u

    def do_action(self, day, act, text):
        """Return (new_text, detail) or (None, reason) when not possible now."""
        if act.startswith("readiness:"):
            v = act.split(":")[1]
            new, n = READINESS_RE.subn(f"**Overall Interview Readiness**: {v}%", text)
            if n != 1:
                return None, f"readiness line found {n} times"
            self.tutor_readiness = f"**Overall Interview Readiness**: {v}%"
            return new, f"set tutor readiness to {v}%"
        if act == "add_gap_high":
            self.tutor_words.add(TUTOR_GAP_HIGH)
            return self.add_gap(text, "high", TUTOR_GAP_HIGH), f"High += {TUTOR_GAP_HIGH!r}"
        if act == "add_gap_medium":
            self.tutor_words.add(TUTOR_GAP_MEDIUM)
            return self.add_gap(text, "medium", TUTOR_GAP_MEDIUM), f"Medium += {TUTOR_GAP_MEDIUM!r}"
        if act in ("reword_tutor_line_1", "reword_tutor_line_2"):
            old, new = REWORD_1 if act.endswith("1") else REWORD_2
            for t, i, ln in self.open_lines(text):
                if self.words(ln) == old:
                    lines = text.split("\n")
                    lines[i] = ln.replace(old, new, 1)   # the tutor keeps recall's suffix
                    self.tutor_words.discard(old)
                    self.tutor_words.add(new)
                    return "\n".join(lines), f"reworded {old!r} -> {new!r}"
            return None, f"tutor line {old!r} not found"
        if act == "delete_recall_line":
            c = self.pick_recall_line(text, avoid=self.used_words())
            if not c:
                return None, "no recall line to delete"
            t, i, ln = c
            w = self.words(ln)
            self.deleted.append(dict(words=w, label=self.topic_of(w), day=day, tier=t,
                                     back_day=None, back_line=None))
            return self.remove_line(text, i), f"deleted recall's {t} line {ln!r}"
        if act == "move_recall_high_to_medium":
            c = self.pick_recall_line(text, prefer_tier="high", avoid=self.used_words())
            if not c:
                return None, "no recall line in High"
            t, i, ln = c
            lines = text.split("\n")
            del lines[i]
            text2 = "\n".join(lines)
            text2 = self.add_gap(text2, "medium", item_text(ln))
            # placeholder if High became empty
            if not self.sections(text2)["high"]:
                l2 = text2.split("\n")
                s, last = self.tier_block_end(l2, "high")
                if not any(x.startswith("- ") or x.startswith("|") for x in l2[s + 1:last + 1]):
                    l2.insert(s + 1, "- None identified yet")
                    text2 = "\n".join(l2)
            self.moved = dict(words=self.words(ln), tier="medium", day=day, left_days=[], line=ln)
            return text2, f"moved recall's line High -> Medium: {ln!r}"
        if act == "resolve_recall_line":
            c = self.pick_recall_line(text, avoid=self.used_words())
            if not c:
                return None, "no recall line to resolve"
            t, i, ln = c
            w = self.words(ln)
            text2 = self.remove_line(text, i)
            text2 = self.add_resolved_row(text2, w, day, "Tutor: verified in session")
            self.resolved_by_tutor.append(dict(words=w, label=self.topic_of(w), day=day,
                                               whose="recall", reopened_day=None))
            return text2, f"moved recall's {t} line to Recently Resolved: {w!r}"
        if act == "resolve_tutor_line":
            for t, i, ln in self.open_lines(text):
                if self.words(ln) == RESOLVE_TUTOR:
                    text2 = self.remove_line(text, i)
                    text2 = self.add_resolved_row(text2, RESOLVE_TUTOR, day,
                                                  "Explained baseline = positive rate")
                    self.tutor_words.discard(RESOLVE_TUTOR)
                    self.resolved_by_tutor.append(dict(words=RESOLVE_TUTOR, label=None, day=day,
                                                       whose="tutor", reopened_day=None))
                    return text2, f"moved tutor's {t} line to Recently Resolved: {RESOLVE_TUTOR!r}"
            return None, "tutor line to resolve not found"
        if act in ("add_keypoint_a8", "add_keypoint_c18"):
            lab, pt = (("A.8", "• AUC-PR baseline equals the positive class rate, not 0.5")
                       if act.endswith("a8") else
                       ("C.18", "• RMSNorm: rescales by root-mean-square only, no re-centering"))
            lines = text.split("\n")
            for i, ln in enumerate(lines):
                if ln.startswith(f"| **{lab} "):
                    assert ln.rstrip().endswith("|")
                    body = ln.rstrip()[:-1].rstrip()
                    lines[i] = f"{body}<br>{pt} |"
                    return "\n".join(lines), f"{lab} key point += {pt!r}"
            return None, f"topic row {lab} not found"
        if act == "new_topic_row":
            lines = text.split("\n")
            for i, ln in enumerate(lines):
                if ln.startswith("| **C.23 Knowledge Distillation"):
                    row = (f"| **C.19 CNNs - Convolutions & Pooling** | {day} | Medium | "
                           "• Conv output size: (W - K + 2P)/S + 1<br>"
                           "• Pooling downsamples and adds translation invariance<br>"
                           "• Receptive field grows with depth<br>"
                           "• 1x1 convolution mixes channels and reduces dimension cheaply |")
                    lines.insert(i + 1, row)
                    return "\n".join(lines), "new topic row C.19 CNNs (4 key points)"
            return None, "C.23 row not found"
        if act == "session_row":
            lines = text.split("\n")
            s = next((i for i, l in enumerate(lines) if l.startswith("## Session History")), None)
            if s is None:
                return None, "no Session History table"
            last = s
            for j in range(s + 1, len(lines)):
                if lines[j].startswith("|"):
                    last = j
                elif lines[j].startswith("#") or lines[j].strip() == "---":
                    break
            nsess = 12 + sum(1 for e in self.edits_done if e[1] == "session_row") + 1
            row = (f"| {day} (Session {nsess}) | Flashcard review with recall, A.8/C.18 drill | "
                   f"• Worked through the drill queue<br>• Re-derived ROC axes | • Still slipping on drift types |")
            lines.insert(last + 1, row)
            return "\n".join(lines), f"session history += Session {nsess}"
        raise ValueError(act)

    def tutor_round(self, day, actions):
        text = self.read()
        todo = self.pending + actions
        self.pending = []
        changed = False
        for act in todo:
            new, detail = self.do_action(day, act, text)
            if new is None:
                self.pending.append(act)
                self.edits_done.append((day, act + " (deferred)", detail))
                continue
            text = new
            changed = True
            self.edits_done.append((day, act, detail))
        if changed:
            self.write(text)
            self.rc(day, "import", self.tracker, "--json")

    # ---------------------------------------------------------------- checks
    def masked(self, text):
        """The tracker with everything sync may write masked out."""
        out = []
        in_gaps = False
        in_topics = False
        in_qs = False
        for ln in text.split("\n"):
            if ln.startswith("## "):
                in_gaps = "knowledge gap" in ln.lower() or bool(re.search(r"\bgaps?\b", ln.lower()))
                in_topics = ln.startswith("## Topics Mastered")
                in_qs = ln.startswith("## Quick Stats")
            # A heading topic's confidence, written where the tutor wrote it.
            if not in_topics and re.search(r"(?i)(^|[·|(,*-]\s*)\**confidence\**\s*:", ln):
                ln = re.sub(r"(?i)(confidence\**\s*:\s*\**\s*)[^·|*;]*", r"\1#", ln, count=1)
            if ln.startswith("**Last Updated**") or ln.startswith("**Recall Readiness**"):
                continue
            if in_gaps and (ln.startswith("- ") or ln.startswith("|") or NUMBERED_RE.match(ln)):
                continue
            if (in_topics or in_qs) and ln.startswith("|"):
                cells = ln.split("|")
                idx = 3 if in_topics else 2
                if len(cells) > idx:
                    cells[idx] = "#"
                ln = "|".join(cells)
            out.append(ln)
        # drop blank line runs created by an inserted readiness line
        return "\n".join(l for l in out if l.strip())

    def check_tracker(self, day, label):
        text = self.read()
        s = self.sections(text)
        open_l = [(t, i, ln) for t in ("high", "medium") for i, ln in s[t]]
        allg = open_l + [("resolved", i, ln) for i, ln in s["resolved"]]
        res = {}
        res["high"] = len(s["high"])
        res["medium"] = len(s["medium"])
        res["resolved"] = len(s["resolved"])
        longest = max(allg, key=lambda c: len(c[2]), default=None)
        res["longest"] = len(longest[2]) if longest else 0
        res["longest_line"] = longest[2] if longest else ""
        dbl = [ln for _, _, ln in allg if len(SUFFIX_RE.findall(ln)) + len(OLD_SUFFIX_RE.findall(ln)) > 1]
        res["double_suffix"] = len(dbl)
        for ln in dbl:
            self.finding(day, f"gap line with evidence suffix twice: {ln}")
        res["tutor_readiness_ok"] = self.tutor_readiness is None or self.tutor_readiness in text
        if not res["tutor_readiness_ok"]:
            self.finding(day, f"tutor readiness {self.tutor_readiness} not found verbatim")
        rr = [l for l in text.split("\n") if l.startswith("**Recall Readiness**")]
        res["recall_readiness"] = rr[0] if rr else None
        if len(rr) > 1:
            self.finding(day, f"{len(rr)} Recall Readiness lines")
        res["recall_lines"] = len(self.recall_lines(text))
        # tutor words kept verbatim
        present = {self.words(ln) for _, _, ln in open_l}
        for w in sorted(self.tutor_words):
            if w not in present:
                self.finding(day, f"tutor gap line missing/changed: {w!r}")
        # duplicates within open tiers
        seen = {}
        for t, _, ln in open_l:
            k = self.norm(self.words(ln))
            if k in seen:
                self.finding(day, f"gap listed twice ({seen[k]} and {t}): {ln}", key="twice " + k)
            seen[k] = t
        # resolved vs open
        open_words = {self.norm(self.words(ln)): ln for _, _, ln in open_l}
        open_labels = {}
        for _, _, ln in open_l:
            k = self.topic_of(self.words(ln))
            if k:
                open_labels.setdefault(k, ln)
        both = []
        for _, row in s["resolved"]:
            w = self.resolved_words(row)
            if self.norm(w) in open_words:
                both.append(("words", row, open_words[self.norm(w)]))
                continue
            k = self.topic_of(w)
            if k and k in open_labels:
                both.append(("topic " + k, row, open_labels[k]))
        res["resolved_and_open"] = len(both)
        for why, row, ln in both:
            self.finding(day, f"resolved and open at once (same {why}): resolved {row!r} / open {ln!r}",
                         key="resolved-open " + row)
        # cloze blanks / redrill notes
        for _, _, ln in allg:
            if "____" in ln:
                self.finding(day, f"cloze blank in gap line: {ln}")
            if REDRILL_NOTE in ln:
                self.finding(day, f"re-drill note used as evidence: {ln}")
        # a line's evidence date must not move back between syncs (the window only slides forward)
        cur = {}
        for _, _, ln in open_l:
            m = re.search(r" — missed (\d+)× since (\d{4}-\d\d-\d\d)", ln)
            if m:
                w = self.words(ln)
                cur[w] = (int(m.group(1)), m.group(2), ln)
                pv = self.prev_suffix.get(w)
                if pv and m.group(2) < pv[1]:
                    self.finding(day, f"evidence date moved back {pv[1]} -> {m.group(2)} ({pv[0]}× -> {m.group(1)}×) "
                                      f"overnight: before {pv[2]!r} after {ln!r}")
        self.prev_suffix = cur
        # deleted lines back?
        for d in self.deleted:
            if d["back_day"] is None:
                for t, _, ln in open_l:
                    w = self.words(ln)
                    if self.norm(w) == self.norm(d["words"]) or (d["label"] and self.topic_of(w) == d["label"]):
                        d["back_day"] = day
                        d["back_line"] = ln
                        break
        # moved line stayed?
        if self.moved:
            where = [t for t, _, ln in open_l if self.words(ln) == self.moved["words"]]
            if where != ["medium"]:
                self.moved["left_days"].append((day, where))
        # tutor-resolved reopened?
        for r in self.resolved_by_tutor:
            if r["reopened_day"] is None:
                for t, _, ln in open_l:
                    w = self.words(ln)
                    if self.norm(w) == self.norm(r["words"]) or (r["label"] and self.topic_of(w) == r["label"]):
                        r["reopened_day"] = day
                        r["reopened_line"] = ln
        return res

    def finding(self, day, text, key=None):
        key = key or re.sub(r"\d{4}-\d\d-\d\d", "D", text)
        if key in self.finding_keys:
            self.finding_keys[key][1] += 1
            return
        self.finding_keys[key] = [day, 1]
        self.findings.append((day, text, key))

    def check_db(self, day):
        c = self.jcall(day, "check", "--json") or {}
        if not c.get("ok", False):
            self.finding(day, f"recall check not ok: {json.dumps(c.get('problems'))[:300]}")
        return c

    def verify_evidence(self, day):
        """Compare recall's evidence with our own log of graded (non-re-drill) failures.
        Returns (suffix_mismatches, json_vs_suffix) lists of strings."""
        g = self.jcall(day, "gaps", "--json")
        cards = self.jcall(day, "cards", "--json") or []
        nma = {c["id"] for c in cards if "no model answer" in (c.get("quality_reason") or "")}
        today = dt.date.fromisoformat(day)
        lo = (today - dt.timedelta(days=29)).isoformat()
        win, allf, allr = {}, {}, {}
        for a in self.answers:
            if a["grade"] < 3 and a["day"] <= day:
                if a["kind"] in ("review", "tutor"):
                    allf.setdefault(a["card"], []).append(a["day"])
                    if a["day"] >= lo:
                        win.setdefault(a["card"], []).append(a["day"])
                allr.setdefault(a["card"], []).append(a["day"])   # re-drills included
        bad, jvs = [], []
        for gap in (g or {}).get("gaps", []):
            if gap.get("id") is None:
                continue
            cs = [c for c in gap.get("cards", []) if c not in nma]
            n_win = sum(len(win.get(c, [])) for c in cs)
            n_all = sum(len(allf.get(c, [])) for c in cs)
            n_rd = sum(len(allr.get(c, [])) for c in cs)
            m = re.search(r" — missed (\d+)× since (\d{4}-\d\d-\d\d)", gap["text"])
            n_suf = int(m.group(1)) if m else None
            # A line counts from after the tutor's last resolution or deletion of
            # its cards' gap: the failures in the window on or after its "since".
            if m:
                n_win = sum(1 for c in cs for d in win.get(c, []) if d >= m.group(2))
            if n_suf is not None and n_suf != n_win:
                bad.append(f"{gap['text'][:60]!r}… suffix says {n_suf}×, log: {n_win} graded failures in window "
                           f"({n_all} ever, {n_rd} incl. re-drills)")
            if n_suf is not None and gap.get("misses") != n_suf:
                jvs.append(f"gaps --json misses={gap.get('misses')} (log: {n_all} ever) vs line "
                           f"{gap['text'][:50]!r}… 'missed {n_suf}×'")
        return bad, jvs

    # ---------------------------------------------------------------- main loop
    def run_sim(self):
        d0 = day_str(self.start, 1)
        self.rc(d0, "init")
        self.rc(d0, "import", self.tracker, "--json")
        self.rc(d0, "config", "set", "drafts", "drill")
        # A tracker without the fixture's labels: the learner lapses on its
        # first two topics instead, with notes that fit any topic.
        labels = sorted({t["label"] for t in (self.jcall(d0, "topics", "--json") or [])})
        if labels and not any(l in LAPSE_TOPICS for l in labels):
            LAPSE_TOPICS.clear()
            for l in labels[:2]:
                LAPSE_TOPICS[l] = ["mixed up the two cases", "forgot the condition",
                                   "wrong sign in the formula"]
        text = self.read()
        self.tutor_words = {self.words(ln) for _, _, ln in self.open_lines(text)}
        self.orig_tutor_words = set(self.tutor_words)
        edits = dict(EDIT_PLAN)
        ndays = self.args.days
        for i in range(1, ndays + 1):
            day = day_str(self.start, i)
            if i in SKIP_DAYS:
                self.daily.append(dict(day=i, date=day, skipped=True))
                continue
            nans0 = len(self.answers)
            self.drill(day)
            before = self.read()
            sj = self.jcall(day, "sync", self.tracker, "--json") or {}
            after = self.read()
            if sj.get("diff"):
                with open(os.path.join(self.run, "diffs", f"day{i:02d}.diff"), "w") as f:
                    f.write(sj["diff"])
            for k in self.sync_totals:
                self.sync_totals[k] += sj.get(k) or 0
            if self.masked(before) != self.masked(after):
                dl = [l for l in difflib.unified_diff(self.masked(before).split("\n"),
                                                      self.masked(after).split("\n"), lineterm="", n=0)
                      if l[:1] in "+-" and not l.startswith(("+++", "---"))]
                self.finding(day, "sync changed bytes outside what it owns: " + " | ".join(dl[:4])[:400])
            shutil.copy2(self.tracker, os.path.join(self.run, "snapshots", f"day{i:02d}.md"))
            self.refresh_topics(day)
            res = self.check_tracker(day, f"day {i}")
            # a second sync must write nothing
            p2 = self.rc(day, "sync", self.tracker)
            if self.read() != after:
                self.finding(day, "second sync the same day changed the tracker")
            dayans = self.answers[nans0:]
            row = dict(day=i, date=day, skipped=False,
                       answered=sum(1 for a in dayans if a["kind"] != "redrill"),
                       failed=sum(1 for a in dayans if a["kind"] != "redrill" and a["grade"] < 3),
                       redrills=sum(1 for a in dayans if a["kind"] == "redrill"),
                       **{k: res[k] for k in ("high", "medium", "resolved", "longest", "double_suffix",
                                              "resolved_and_open", "recall_lines", "tutor_readiness_ok")},
                       gaps_added=sj.get("gaps_added"), gaps_resolved=sj.get("gaps_resolved"),
                       readiness=sj.get("readiness_after"))
            self.daily.append(row)
            if i in CHECKPOINT_DAYS:
                self.checkpoint(f"day {i}", day, res)
            if i in edits:
                self.tutor_round(day, edits[i])
        # end: a final sync (no new evidence), then capture
        last = day_str(self.start, ndays)
        self.rc(last, "sync", self.tracker)
        res = self.check_tracker(last, "end")
        self.checkpoint("end", last, res)
        with open(os.path.join(self.run, "final-tracker.md"), "w") as f:
            f.write(self.read())
        for name, argv in (("gaps.txt", ["gaps"]), ("brief.txt", ["brief"]), ("gaps.json", ["gaps", "--json"]),
                           ("stats.json", ["stats", "--json"]), ("topics.txt", ["topics"])):
            p = self.rc(last, *argv)
            with open(os.path.join(self.run, name), "w") as f:
                f.write(p.stdout)
            for ln in p.stdout.split("\n"):
                if REDRILL_NOTE in ln:
                    self.finding(last, f"re-drill-only note shown by `recall {' '.join(argv)}`: {ln.strip()[:260]}",
                                 key="rdnote " + name)
        with open(os.path.join(self.run, "answers.jsonl"), "w") as f:
            for a in self.answers:
                f.write(json.dumps(a) + "\n")
        with open(os.path.join(self.run, "daily.json"), "w") as f:
            json.dump(self.daily, f, indent=1)

    def checkpoint(self, label, day, res):
        c = self.check_db(day)
        bad, jvs = self.verify_evidence(day)
        for x in bad:
            self.finding(day, "tracker evidence differs from the answer log: " + x, key="ev " + x[:50])
        for x in jvs:
            self.finding(day, x, key="jvs " + x.split(" vs line ")[1][:40])
        st = self.jcall(day, "stats", "--json") or {}
        self.checkpoints.append(dict(label=label, day=day, res=res, check_ok=c.get("ok"),
                                     problems=len(c.get("problems") or []), cards=c.get("cards"),
                                     reviews=c.get("reviews"), evidence_mismatch=len(bad), json_vs_line=len(jvs),
                                     studied=st.get("studied")))

    # ---------------------------------------------------------------- report
    def report(self):
        a = self.args
        L = []
        graded = [x for x in self.answers if x["kind"] != "redrill"]
        L.append(f"recall simulation  seed={a.seed} days={a.days} start={a.start} skip={sorted(SKIP_DAYS)}")
        L.append(f"binary {self.bin} ({subprocess.run([self.bin, '--version'], capture_output=True, text=True).stdout.strip()})")
        L.append(f"run dir {self.run}")
        L.append(f"lapsing topics {sorted(LAPSE_TOPICS)} p_fail={LAPSE_P}, others {OTHER_P}")
        L.append(f"answers: {len(graded)} graded ({sum(1 for x in graded if x['grade'] < 3)} failed, "
                 f"{sum(1 for x in graded if x['note'])} with notes), {len(self.answers) - len(graded)} re-drills "
                 f"({self.redrill_fail} re-drill failures noted {REDRILL_NOTE!r})")
        L.append("sync totals: " + ", ".join(f"{k}={v}" for k, v in self.sync_totals.items()))
        L.append("")
        L.append("checkpoint | High Med Resolved | recall-lines | longest | 2x-suffix | resolved&open | "
                 "tutor-readiness | check | cards reviews | suffix-vs-log | json-vs-line")
        for c in self.checkpoints:
            r = c["res"]
            L.append(f"{c['label']:<7} {c['day']} | {r['high']:>3} {r['medium']:>3} {r['resolved']:>3} | "
                     f"{r['recall_lines']:>3} | {r['longest']:>4} | {r['double_suffix']} | {r['resolved_and_open']} | "
                     f"{'kept' if r['tutor_readiness_ok'] else 'LOST'} | {'ok' if c['check_ok'] else 'FAIL(' + str(c['problems']) + ')'} | "
                     f"{c['cards']} {c['reviews']} | {c['evidence_mismatch']} | {c['json_vs_line']}")
        end = self.checkpoints[-1]["res"]
        set_by_tutor = any(act.startswith("readiness:") and not act.endswith("(deferred)")
                           for _, act, _ in self.edits_done)
        L.append(f"tutor readiness last set: {self.tutor_readiness if set_by_tutor else f'(unchanged {self.tutor_readiness})'}")
        L.append(f"final recall readiness: {end['recall_readiness']}")
        L.append(f"longest gap line ({end['longest']} chars): {end['longest_line']}")
        mx = max((d for d in self.daily if not d["skipped"]), key=lambda d: d["high"] + d["medium"])
        L.append(f"most open gap lines: {mx['high'] + mx['medium']} on day {mx['day']}; most recall lines: "
                 f"{max(d.get('recall_lines', 0) for d in self.daily if not d['skipped'])}")
        L.append("")
        L.append("tutor edits:")
        for d, act, detail in self.edits_done:
            dn = (dt.date.fromisoformat(d) - self.start).days + 1
            L.append(f"  day {dn:>2} {act}: {detail[:150]}")
        if self.pending:
            L.append(f"  never performed: {self.pending}")
        L.append("")
        for dline in self.deleted:
            dn = (dt.date.fromisoformat(dline["day"]) - self.start).days + 1
            after = sorted({x["day"] for x in self.answers if x["kind"] != "redrill" and x["grade"] < 3
                            and x["tkey"] == dline["label"] and x["day"] > dline["day"]})
            back = dline["back_day"]
            bn = (dt.date.fromisoformat(back) - self.start).days + 1 if back else None
            L.append(f"deleted recall line (day {dn}): {dline['words']!r}")
            L.append(f"   came back: {'day ' + str(bn) + ' as ' + repr(dline['back_line']) if back else 'no'}; "
                     f"first failure of {dline['label']} after deletion: {after[0] if after else 'none'}")
        if self.moved:
            dn = (dt.date.fromisoformat(self.moved["day"]) - self.start).days + 1
            lft = self.moved["left_days"]
            L.append(f"moved High->Medium (day {dn}): {self.moved['words']!r}: "
                     + ("stayed in Medium" if not lft else
                        f"NOT in Medium on {len(lft)} days, first {lft[0][0]} (found in {lft[0][1]})"))
        for r in self.resolved_by_tutor:
            dn = (dt.date.fromisoformat(r["day"]) - self.start).days + 1
            L.append(f"tutor resolved {r['whose']}'s line (day {dn}): {r['words'][:80]!r}: reopened "
                     + (f"{r['reopened_day']} as {r.get('reopened_line')!r}" if r["reopened_day"] else "no"))
        L.append("")
        L.append(f"non-zero exits: {len(self.errors)}")
        for e in self.errors[:15]:
            L.append("  " + e)
        L.append(f"findings: {len(self.findings)}")
        for d, f, k in self.findings[:40]:
            n = self.finding_keys[k][1]
            L.append(f"  [{d}]{' (seen ' + str(n) + ' times)' if n > 1 else ''} {f}")
        txt = "\n".join(L) + "\n"
        with open(os.path.join(self.run, "report.txt"), "w") as f:
            f.write(txt)
        print(txt)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--days", type=int, default=45)
    ap.add_argument("--start", default="2026-10-01")
    ap.add_argument("--binary", help="use this recall binary instead of a copy of build/recall")
    ap.add_argument("--tracker", default=DEFAULT_TRACKER)
    ap.add_argument("--out", help="run directory (default /tmp/recall-loop-sim/run-<timestamp>)")
    args = ap.parse_args()
    sim = Sim(args)
    sim.run_sim()
    sim.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
