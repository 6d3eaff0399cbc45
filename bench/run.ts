// npm run bench: every benchmark module, each run in a fresh process (so that one cannot warm or
// pollute another: JIT state, heap, global OpenTelemetry providers), the cheap ones several
// times; then ONE table of medians (each baseline was measured in the same process as its value)
// and bench/results.json:
//   { "<name>": { "value": n, "unit": "...", "baseline": n, "ratio": n, "target": "...", "notes": {...} } }
// Across runs, value, baseline and ratio are each the median of the runs (ratio is the median of
// the per-run ratios, each taken within one process); notes come from the run whose ratio is that
// median, plus `runs` and the range of ratios.
//
//   npm run bench                      every module
//   npm run bench -- pipeline burst    only these modules
//   BENCH_RUNS=5 npm run bench         runs of the cheap modules (default 3)
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatResults, median, type BenchResult } from "./harness.js";

/** Module → runs. The end-to-end modules repeat inside (rounds) and take minutes: one run each. */
const MODULES: readonly { name: string; runs: number }[] = [
  { name: "validate", runs: Number(process.env.BENCH_RUNS ?? 3) },
  { name: "record", runs: Number(process.env.BENCH_RUNS ?? 3) },
  { name: "log", runs: Number(process.env.BENCH_RUNS ?? 3) },
  { name: "pipeline", runs: 1 },
  { name: "burst", runs: 1 },
  { name: "latency", runs: 1 },
];

const HERE = fileURLToPath(new URL(".", import.meta.url));
const RESULTS_FILE = join(HERE, "results.json");

function runChild(name: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", join(HERE, "child.ts"), name, out], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`bench/${name}.ts failed (${signal ?? `exit ${code}`})`))));
  });
}

function combine(runs: readonly BenchResult[]): BenchResult {
  const ratios = runs.map((r) => r.ratio);
  const mid = median(ratios);
  // The run whose ratio is closest to the median lends its notes.
  const rep = runs.reduce((best, r) => (Math.abs(r.ratio - mid) < Math.abs(best.ratio - mid) ? r : best));
  const out: BenchResult = {
    name: rep.name,
    value: median(runs.map((r) => r.value)),
    unit: rep.unit,
    baseline: median(runs.map((r) => r.baseline)),
    ratio: mid,
    target: rep.target,
  };
  const notes: Record<string, number | string> = { ...rep.notes };
  if (runs.length > 1) {
    notes.runs = runs.length;
    notes.ratios = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  }
  if (Object.keys(notes).length > 0) out.notes = notes;
  return out;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !MODULES.some((m) => m.name === n));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(", ")} (known: ${MODULES.map((m) => m.name).join(", ")})`);
  const selected = only.length > 0 ? MODULES.filter((m) => only.includes(m.name)) : MODULES;
  const dir = mkdtempSync(join(tmpdir(), "quantm-bench-"));
  const byName = new Map<string, BenchResult[]>();
  const started = Date.now();
  try {
    for (const m of selected) {
      for (let i = 0; i < m.runs; i++) {
        const t = Date.now();
        process.stderr.write(`[bench] ${m.name} run ${i + 1}/${m.runs} ...`);
        const out = join(dir, `${m.name}-${i}.json`);
        await runChild(m.name, out);
        const results = JSON.parse(readFileSync(out, "utf8")) as BenchResult[];
        for (const r of results) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
        process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const combined = [...byName.values()].map(combine);
  console.log(formatResults(combined));
  process.stderr.write(`[bench] ${((Date.now() - started) / 1000).toFixed(0)} s in all\n`);

  // A partial run (named modules) updates its entries and keeps the others.
  let previous: Record<string, unknown> = {};
  if (only.length > 0) {
    try {
      previous = JSON.parse(readFileSync(RESULTS_FILE, "utf8")) as Record<string, unknown>;
    } catch {
      previous = {};
    }
  }
  const json: Record<string, unknown> = { ...previous };
  for (const r of combined) {
    json[r.name] = { value: round(r.value), unit: r.unit, baseline: round(r.baseline), ratio: round(r.ratio), target: r.target, ...(r.notes ? { notes: r.notes } : {}) };
  }
  writeFileSync(RESULTS_FILE, JSON.stringify(json, null, 2) + "\n");
  process.stderr.write(`[bench] wrote ${RESULTS_FILE}\n`);
}

function round(n: number): number {
  return Number.isFinite(n) ? Number(n.toPrecision(6)) : n;
}

await main();
