// Runs one benchmark module's measure() and writes its results as JSON to a file: what
// bench/run.ts starts in a fresh process for each module and each run.
//
//   node --expose-gc --import tsx bench/child.ts <module> <out.json>
import { writeFileSync } from "node:fs";
import type { BenchResult } from "./harness.js";

const [name, out] = process.argv.slice(2);
if (name === undefined || out === undefined || !/^[a-z-]+$/.test(name)) {
  console.error("usage: node --expose-gc --import tsx bench/child.ts <module> <out.json>");
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as { measure: () => Promise<BenchResult[]> };
const results = await mod.measure();
writeFileSync(out, JSON.stringify(results));
// Workers, sockets and timers of a benchmark must not keep the runner waiting.
process.exit(0);
