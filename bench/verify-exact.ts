/*
 * `npm run verify:exact`: the long proof of the certified fast path. For every function, 1,000,000 argument
 * lists (by default; `-- --cases N` to change, `-- --only NAME` for one function) are checked against the
 * decimal.js definition bit for bit: random arguments across the accepted domain (70 %) and near ties (30 %),
 * as in the property tests; the kernel's reader on its own too ("reader": each number read must be its shortest
 * decimal within the stated bound), and SCENARIO row by row. Prints, per function, the cases, how often the fast
 * path fell back (on random and on near-tie arguments, refusals not counted), mismatches (must be 0) and the time
 * taken. Exits 1 on a mismatch.
 */
import fc from "fast-check";
import {
  SUBJECTS,
  check,
  checkReader,
  checkScenario,
  readerRandom,
  readerTies,
  scenarioRandom,
  scenarioTies,
} from "../test/support/exact-cases";
import { printTable } from "./harness";

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};
const cases = Number(option("cases") ?? 1_000_000);
const only = option("only");
const seed = Number(option("seed") ?? 20_251_128);
const BATCH = 10_000;

interface Tally {
  random: number;
  randomFallbacks: number;
  ties: number;
  tieFallbacks: number;
  mismatches: string[];
}

function run(name: string, sample: (kind: "random" | "ties", n: number, seed: number) => Tally): Tally {
  const total: Tally = { random: 0, randomFallbacks: 0, ties: 0, tieFallbacks: 0, mismatches: [] };
  const t0 = performance.now();
  for (let done = 0, batch = 0; done < cases; batch++) {
    const n = Math.min(BATCH, cases - done);
    const tieCount = Math.round(n * 0.3);
    for (const [kind, count] of [
      ["random", n - tieCount],
      ["ties", tieCount],
    ] as const) {
      const t = sample(kind, count, seed + batch * 2 + (kind === "ties" ? 1 : 0));
      total.random += t.random;
      total.randomFallbacks += t.randomFallbacks;
      total.ties += t.ties;
      total.tieFallbacks += t.tieFallbacks;
      total.mismatches.push(...t.mismatches);
    }
    done += n;
    if (total.mismatches.length > 0) break;
    if (batch % 10 === 9) {
      const s = ((performance.now() - t0) / 1000).toFixed(0);
      process.stderr.write(`  ${name}: ${done.toLocaleString("en-US")} cases, ${s} s\r`);
    }
  }
  return total;
}

const rows: (string | number)[][] = [];
let failed = false;
const started = performance.now();
const pct = (k: number, n: number) => (n === 0 ? "-" : `${((100 * k) / n).toFixed(3)} %`);

if (!only || only === "reader") {
  // the kernel's reader on its own: every number read must be its shortest decimal within the stated bound
  const t0 = performance.now();
  const tally = run("reader", (kind, n, s) => {
    const t: Tally = { random: 0, randomFallbacks: 0, ties: 0, tieFallbacks: 0, mismatches: [] };
    for (const x of fc.sample(kind === "random" ? readerRandom : readerTies, { numRuns: n, seed: s })) {
      const v = checkReader(x);
      if (kind === "random") {
        t.random++;
        if (v.fallback) t.randomFallbacks++;
      } else {
        t.ties++;
        if (v.fallback) t.tieFallbacks++;
      }
      if (!v.ok) t.mismatches.push(v.detail ?? "");
    }
    return t;
  });
  failed ||= tally.mismatches.length > 0;
  for (const m of tally.mismatches.slice(0, 5)) console.error(`MISMATCH reader: ${m}`);
  rows.push([
    "reader (numbers)",
    tally.random + tally.ties,
    pct(tally.randomFallbacks, tally.random),
    pct(tally.tieFallbacks, tally.ties),
    tally.mismatches.length,
    (performance.now() - t0) / 1000,
  ]);
}

for (const subject of SUBJECTS) {
  if (only && subject.name !== only) continue;
  const t0 = performance.now();
  const tally = run(subject.name, (kind, n, s) => {
    const t: Tally = { random: 0, randomFallbacks: 0, ties: 0, tieFallbacks: 0, mismatches: [] };
    for (const args of fc.sample(subject[kind], { numRuns: n, seed: s })) {
      const v = check(subject, args);
      if (kind === "random") {
        t.random++;
        if (v.fallback) t.randomFallbacks++;
      } else {
        t.ties++;
        if (v.fallback) t.tieFallbacks++;
      }
      if (!v.ok) t.mismatches.push(v.detail ?? "");
    }
    return t;
  });
  const seconds = (performance.now() - t0) / 1000;
  failed ||= tally.mismatches.length > 0;
  for (const m of tally.mismatches.slice(0, 5)) console.error(`MISMATCH ${subject.name}: ${m}`);
  rows.push([
    subject.name,
    tally.random + tally.ties,
    pct(tally.randomFallbacks, tally.random),
    pct(tally.tieFallbacks, tally.ties),
    tally.mismatches.length,
    seconds,
  ]);
}

if (!only || only === "SCENARIO") {
  const t0 = performance.now();
  const tally = run("SCENARIO", (kind, n, s) => {
    const t: Tally = { random: 0, randomFallbacks: 0, ties: 0, tieFallbacks: 0, mismatches: [] };
    // a table of up to 20 rows is one case's worth of rows, so sample fewer tables
    for (const args of fc.sample(kind === "random" ? scenarioRandom : scenarioTies, {
      numRuns: Math.ceil(n / 10),
      seed: s,
    })) {
      const v = checkScenario(args);
      if (kind === "random") {
        t.random += v.rows;
        t.randomFallbacks += v.fallbacks;
      } else {
        t.ties += v.rows;
        t.tieFallbacks += v.fallbacks;
      }
      if (!v.ok) t.mismatches.push(v.detail ?? "");
    }
    return t;
  });
  failed ||= tally.mismatches.length > 0;
  for (const m of tally.mismatches.slice(0, 5)) console.error(`MISMATCH SCENARIO: ${m}`);
  rows.push([
    "SCENARIO (rows)",
    tally.random + tally.ties,
    pct(tally.randomFallbacks, tally.random),
    pct(tally.tieFallbacks, tally.ties),
    tally.mismatches.length,
    (performance.now() - t0) / 1000,
  ]);
}

printTable(
  `Fast path against the decimal.js definition (${cases.toLocaleString("en-US")} cases a function, seed ${seed})`,
  ["function", "cases", "fallback (random)", "fallback (near ties)", "mismatches", "seconds"],
  rows,
);
console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
