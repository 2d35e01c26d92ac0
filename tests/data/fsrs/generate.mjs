// Writes vectors.json: review plans replayed through ts-fsrs (the version
// pinned in package.json / package-lock.json), with the memory state after
// every review. tests/fsrs_test.cpp replays the same plans through
// recall::fsrs and must agree to 1e-6 relative. See README.md.
//
// Run: npm ci && node generate.mjs   (deterministic: a fixed seed)
import { readFileSync, writeFileSync } from 'node:fs'
import { createEmptyCard, fsrs, generatorParameters } from 'ts-fsrs'

const TS_FSRS_VERSION = JSON.parse(
  readFileSync(new URL('./node_modules/ts-fsrs/package.json', import.meta.url))
).version

// mulberry32: a small seeded generator, so the file is the same on every run.
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = rng(20260618)
const pick = (list) => list[Math.floor(random() * list.length)]
const between = (lo, hi) => lo + random() * (hi - lo)
const int_between = (lo, hi) => Math.floor(between(lo, hi + 1))

// recall's grades 0..5 onto FSRS ratings (docs/memory-model.md).
const rating_of_grade = (grade) => (grade <= 2 ? 1 : grade - 1)

// The settings under which ts-fsrs's memory state is the FSRS-6 model with
// short-term stability for same-day reviews: enable_short_term (the
// BasicScheduler; elapsed 0 days -> S' = S * e^(w17 (G-3+w18)) * S^-w19),
// no fuzz. Learning steps only move due times, never the memory state; one
// relearning step leaves ts-fsrs's w17/w18 ceiling at 2.0, as fsrs-rs's.
const SETTINGS = {
  enable_short_term: true,
  enable_fuzz: false,
  maximum_interval: 36500,
  learning_steps: ['1m', '10m'],
  relearning_steps: ['10m'],
}

// fsrs-rs's parameter bounds (parameter_clipper.rs), for the random sets.
const BOUNDS = [
  [0.001, 100], [0.001, 100], [0.001, 100], [0.001, 100],
  [1, 10], [0.001, 4], [0.001, 4], [0.001, 0.75], [0, 4.5], [0, 0.8],
  [0.001, 3.5], [0.001, 5], [0.001, 0.25], [0.001, 0.9], [0, 4], [0, 1],
  [1, 6], [0, 2], [0, 2], [0.01, 0.8], [0.1, 0.8],
]

// A parameter set near the defaults but spread over the bounds: each weight
// moved by up to +-60% (w0..w3 kept increasing), then clipped by ts-fsrs.
function random_parameters(defaults) {
  const w = defaults.map((value, i) => {
    const [lo, hi] = BOUNDS[i]
    const moved = value * between(0.4, 1.6) + (value === 0 ? between(0, 0.2) : 0)
    return Math.min(hi, Math.max(lo, moved))
  })
  w.slice(0, 4).sort((a, b) => a - b).forEach((value, i) => { w[i] = value })
  return w.map((value) => Number(value.toFixed(4)))
}

// Days between two reviews: mostly ordinary gaps, with same-day repeats
// (re-drills) and long absences of years.
function next_gap() {
  const roll = random()
  if (roll < 0.25) return 0
  if (roll < 0.65) return int_between(1, 10)
  if (roll < 0.85) return int_between(11, 120)
  if (roll < 0.95) return int_between(121, 730)
  return int_between(731, 3650)
}

function next_grade(previous_gap) {
  // Same-day answers are mostly re-drills after a miss: any grade, often low.
  if (previous_gap === 0) return int_between(0, 5)
  return pick([0, 1, 2, 3, 3, 4, 4, 4, 4, 5, 5])
}

const DAY_MS = 24 * 60 * 60 * 1000
const EPOCH = Date.UTC(2020, 0, 1, 8, 0, 0)

function run_plan(scheduler, steps_wanted, retention) {
  let card = createEmptyCard(new Date(EPOCH))
  let day = 0
  let minute = 0
  const steps = []
  let gap = 0
  for (let k = 0; k < steps_wanted; k++) {
    if (k > 0) {
      gap = next_gap()
      day += gap
      minute = gap === 0 ? minute + int_between(1, 30) : int_between(0, 600)
    }
    const grade = k === 0 ? pick([0, 1, 2, 3, 4, 5]) : next_grade(gap)
    const rating = rating_of_grade(grade)
    const when = new Date(EPOCH + day * DAY_MS + minute * 60 * 1000)
    const before = { stability: card.stability, difficulty: card.difficulty }
    const elapsed = k === 0 ? 0 : gap
    const r = k === 0 ? null : scheduler.forgetting_curve(elapsed, before.stability)
    const item = scheduler.next(card, when, rating)
    // The scheduler's state must be the algorithm's next_state: check it, so
    // the vectors are the model and not a scheduler detail.
    const direct = scheduler.next_state(k === 0 ? null : before, elapsed, rating)
    if (direct.stability !== item.card.stability || direct.difficulty !== item.card.difficulty) {
      throw new Error(`scheduler and next_state disagree at step ${k}`)
    }
    card = item.card
    const interval = scheduler.next_interval(card.stability, elapsed)
    steps.push([day, grade, r, card.stability, card.difficulty, interval])
  }
  return { retention, steps }
}

function main() {
  const defaults = [...generatorParameters(SETTINGS).w]
  const sets = [defaults]
  for (let i = 0; i < 5; i++) sets.push(random_parameters(defaults))
  // One set with w0 under ts-fsrs's 0.1 floor on the first stability.
  sets[5][0] = 0.05

  const out = {
    generator: 'tests/data/fsrs/generate.mjs',
    ts_fsrs: TS_FSRS_VERSION,
    settings: SETTINGS,
    step_fields: ['day', 'grade', 'retrievability_before', 'stability', 'difficulty', 'interval_days'],
    parameter_sets: [],
    plans: [],
  }
  // The weights as ts-fsrs holds them (after its own clipping).
  for (const w of sets) out.parameter_sets.push([...fsrs({ ...SETTINGS, w }).parameters.w])
  const retentions = [0.9, 0.9, 0.8, 0.85, 0.95, 0.7, 0.97]
  const plan_count = 420
  for (let p = 0; p < plan_count; p++) {
    // Two plans in three on the defaults, the rest on the other sets.
    const set = p % 3 === 2 ? 1 + (p % 5) : 0
    const retention = pick(retentions)
    const scheduler = fsrs({ ...SETTINGS, w: sets[set], request_retention: retention })
    const length = p < 24 ? 2 + (p % 4) : int_between(2, 30)
    out.plans.push({ parameter_set: set, ...run_plan(scheduler, length, retention) })
  }
  writeFileSync(new URL('./vectors.json', import.meta.url), JSON.stringify(out) + '\n')
  const steps = out.plans.reduce((n, plan) => n + plan.steps.length, 0)
  console.log(`vectors.json: ${out.plans.length} plans, ${steps} reviews, ts-fsrs ${TS_FSRS_VERSION}`)
}

main()
