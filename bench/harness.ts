// Shared benchmark plumbing: every benchmark measures its baseline in the same run, alternating
// rounds so that machine noise hits both sides alike, and reports medians.
import { pathToFileURL } from "node:url";

export interface BenchResult {
  /** Key in bench/results.json, e.g. "validate". */
  name: string;
  value: number;
  unit: string;
  baseline: number;
  /** value / baseline, or as the benchmark defines it; `target` says which way is good. */
  ratio: number;
  target: string;
  /** Extra figures worth printing (e.g. the other baseline, RSS). */
  notes?: Record<string, number | string>;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Operations per second of `fn` over about `ms` milliseconds (after a short warm-up). */
export function opsPerSecond(fn: (i: number) => void, ms = 300): number {
  for (let i = 0; i < 1000; i++) fn(i);
  let ops = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 1000; i++) fn(ops + i);
    ops += 1000;
    elapsed = process.hrtime.bigint() - start;
  }
  return ops / (Number(elapsed) / 1e9);
}

/** Runs each named contender `rounds` times, interleaved, and returns the median ops/s of each. */
export function compare(contenders: Record<string, (i: number) => void>, rounds = 7, ms = 300): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(contenders)) samples[name] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) samples[name]!.push(opsPerSecond(fn, ms));
  }
  const out: Record<string, number> = {};
  for (const [name, xs] of Object.entries(samples)) out[name] = median(xs);
  return out;
}

export function formatResults(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    fmt(r.baseline),
    r.ratio.toFixed(2),
    r.target,
    r.notes ? Object.entries(r.notes).map(([k, v]) => `${k}=${typeof v === "number" ? fmt(v) : v}`).join(" ") : "",
  ]);
  const head = ["benchmark", "value", "baseline", "ratio", "target", "notes"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function fmt(n: number): string {
  return Math.abs(n) >= 1000 ? Math.round(n).toLocaleString("en-US") : Number(n.toPrecision(3)).toString();
}

/** True when the module at `importMetaUrl` is the script node was asked to run. */
export function isMain(importMetaUrl: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === importMetaUrl;
}
