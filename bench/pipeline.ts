// bench/pipeline: sustained events per second from ONE Node process through the real collector
// into Jaeger, with nothing lost; beside it, in the same run, the ceiling of the same exporter
// settings against a null OTLP receiver. Protobuf (instrument()'s default) and JSON.
//
// Each measurement is a fresh worker process (bench/e2e/worker.ts) running instrument() with its
// defaults: it records one warm-up chain, then for DURATION_MS records chains of CHAIN events
// (a root and its children: one Jaeger trace each) in slices of SLICE with setImmediate between
// them, as fast as the process can while fewer than BACKLOG spans are queued or in flight (a
// closed loop: the queue never overflows, so the rate is what the export path sustains), then
// flushes. Events are created in the loop (createEvent + record: what a producer does).
// - stack: rate = events recorded in the loop ÷ (from the loop's start until Jaeger holds every
//   span of the last chain). Afterwards every chain is fetched from Jaeger and its spans counted
//   against what was recorded: `lost` must be 0.
// - null: the same worker against an OTLP/HTTP receiver in this process that counts spans and
//   answers 200 (bench/e2e/common.ts): rate = events ÷ (loop start until the exporter drained).
// ROUNDS rounds per protocol, stack and null alternating (the order flips each round); medians.
// ratio = stack ÷ null (target >= 0.7); value target >= 40,000 events/s.
// Then one profiled run per protocol (CPU profile of the measured loop only, bench/profiles/),
// summarized by self time per area and per function (bench/profile-summary.ts). It runs against
// the null receiver: the process's code path is the same, and the stack's memory is spared.
//
//   node --import tsx bench/pipeline.ts          (BENCH_PIPELINE_ROUNDS, default 2; BENCH_NO_PROFILE=1)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { countInJaeger, cpuSeconds, ensureStack, sameStack, startNullReceiver, startWorker, useJaeger, waitForChain, type NullReceiver, type StackTarget } from "./e2e/common.js";
import { formatResults, isMain, median, type BenchResult } from "./harness.js";
import { formatSummary, summarizeProfile, type CpuProfile } from "./profile-summary.js";

const DURATION_MS = 5_000;
const CHAIN = 2_000;
const SLICE = 256;
const BACKLOG = 16_384;
// Two rounds per protocol: each stack run leaves about 130,000 spans (some 0.6 GB of RSS) in
// Jaeger's memory store until the stack restarts; see bench/README.md.
const ROUNDS = Number(process.env.BENCH_PIPELINE_ROUNDS ?? 2);
const PROFILE_DIR = fileURLToPath(new URL("./profiles/", import.meta.url));

type Protocol = "http/protobuf" | "http/json";

interface Run {
  rate: number;
  events: number;
  /** Spans recorded but not found (stack: in Jaeger; null: at the receiver). */
  lost: number;
  exportFailed: number;
  /** Fraction of the loop's wall time spent recording (createEvent + record, incl. synchronous export). */
  busy: number;
  maxBacklog: number;
  /** Fraction of the loop's wall time in garbage-collection pauses. */
  gc?: number;
  /** Milliseconds from the exporter draining until Jaeger held the last chain (stack only). */
  lagMs?: number;
  /** CPU ms per 1,000 spans used by the collector and by Jaeger during the run (local stack only). */
  collectorCpu?: number;
  jaegerCpu?: number;
  bytesPerSpan?: number;
}

async function runStack(protocol: Protocol, stack: StackTarget): Promise<Run> {
  for (let attempt = 1; ; attempt++) {
    const cpuPids = stack.cpuPids ?? stack.pids;
    const c0 = cpuSeconds(cpuPids["otel-collector"]);
    const j0 = cpuSeconds(cpuPids["jaeger"]);
    const worker = startWorker(
      { mode: "sustained", serviceName: "bench-pipeline", endpoint: stack.collector, durationMs: DURATION_MS, chainSize: CHAIN, sliceSize: SLICE, backlogCap: BACKLOG },
      { OTEL_EXPORTER_OTLP_PROTOCOL: protocol },
    );
    const r = await worker.result;
    const last = r.chains[r.chains.length - 1]!;
    // Jaeger normally holds the last chain well under a second after the exporter drained; a
    // chain still short after 20 s has lost spans (the count below says how many).
    const tJaeger = await waitForChain(last.traceId, last.spans, 20_000, 50);
    const c1 = cpuSeconds(cpuPids["otel-collector"]);
    const j1 = cpuSeconds(cpuPids["jaeger"]);
    const count = await countInJaeger(r.chains);
    if (!(await sameStack(stack))) {
      if (attempt < 3) {
        process.stderr.write("[bench] pipeline: the stack was restarted during the run; measuring again\n");
        Object.assign(stack, await ensureStack());
        continue;
      }
      throw new Error("bench/pipeline: the stack was restarted during three runs in a row");
    }
    const spans = r.recorded + r.warm;
    const per1k = (a: number | undefined, b: number | undefined): number | undefined => (a !== undefined && b !== undefined ? ((b - a) * 1000 * 1000) / spans : undefined);
    return {
      // With spans lost, "until Jaeger holds the last chain" never came: the exporter's drain time
      // stands in, and `lost` says the run failed.
      rate: r.recorded / (((tJaeger ?? r.tDrained) - r.t0) / 1000),
      events: r.recorded,
      lost: count.expected - count.found,
      exportFailed: r.stats.export.spans.failed,
      busy: r.busyMs / (r.tRecorded - r.t0),
      maxBacklog: r.maxBacklog,
      ...(r.gcMs !== undefined ? { gc: (r.gcMs.minor + r.gcMs.major) / (r.tDrained - r.t0) } : {}),
      ...(tJaeger !== undefined ? { lagMs: tJaeger - r.tDrained } : {}),
      ...(per1k(c0, c1) !== undefined ? { collectorCpu: per1k(c0, c1)! } : {}),
      ...(per1k(j0, j1) !== undefined ? { jaegerCpu: per1k(j0, j1)! } : {}),
    };
  }
}

async function runNull(protocol: Protocol, receiver: NullReceiver, profile?: string): Promise<Run> {
  receiver.reset();
  const worker = startWorker(
    { mode: "sustained", serviceName: "bench-pipeline-null", endpoint: receiver.url, durationMs: DURATION_MS, chainSize: CHAIN, sliceSize: SLICE, backlogCap: BACKLOG, ...(profile ? { profile } : {}) },
    { OTEL_EXPORTER_OTLP_PROTOCOL: protocol },
  );
  const r = await worker.result;
  const spans = r.recorded + r.warm;
  return {
    rate: r.recorded / ((r.tDrained - r.t0) / 1000),
    events: r.recorded,
    lost: spans - receiver.counts.spans,
    exportFailed: r.stats.export.spans.failed,
    busy: r.busyMs / (r.tRecorded - r.t0),
    maxBacklog: r.maxBacklog,
    bytesPerSpan: receiver.counts.bytes / Math.max(1, receiver.counts.spans),
  };
}

function medianOf(runs: readonly Run[], key: keyof Run): number | undefined {
  const xs = runs.map((r) => r[key]).filter((x): x is number => typeof x === "number");
  return xs.length > 0 ? median(xs) : undefined;
}

/** The top areas and functions of a profile of the measured loop, for the notes and a text file. */
async function profileRun(protocol: Protocol, receiver: NullReceiver): Promise<string> {
  mkdirSync(PROFILE_DIR, { recursive: true });
  const name = protocol === "http/json" ? "pipeline-json" : "pipeline-protobuf";
  const file = `${PROFILE_DIR}${name}.cpuprofile`;
  const run = await runNull(protocol, receiver, file);
  const summary = summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
  const text = `bench/pipeline: CPU profile of one worker's measured loop (${protocol}, against the null receiver; ${Math.round(run.rate)} events/s while profiled)\n\n${formatSummary(summary, 25)}\n`;
  writeFileSync(`${PROFILE_DIR}${name}.txt`, text);
  return summary.areas
    .slice(0, 4)
    .map((a) => `${a.name} ${(100 * a.share).toFixed(0)}%`)
    .join(", ");
}

export async function measure(): Promise<BenchResult[]> {
  const stack = await ensureStack();
  useJaeger(stack.jaeger);
  for (const w of stack.warnings) process.stderr.write(`[bench] warning: ${w}\n`);
  const receiver = await startNullReceiver();
  const results: BenchResult[] = [];
  try {
    for (const [name, protocol] of [
      ["pipeline", "http/protobuf"],
      ["pipeline-json", "http/json"],
    ] as const) {
      const stackRuns: Run[] = [];
      const nullRuns: Run[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) {
          nullRuns.push(await runNull(protocol, receiver));
          stackRuns.push(await runStack(protocol, stack));
        } else {
          stackRuns.push(await runStack(protocol, stack));
          nullRuns.push(await runNull(protocol, receiver));
        }
      }
      const value = medianOf(stackRuns, "rate")!;
      const baseline = medianOf(nullRuns, "rate")!;
      const notes: Record<string, number | string> = {
        protocol,
        lost: stackRuns.reduce((n, r) => n + r.lost, 0),
        nullLost: nullRuns.reduce((n, r) => n + r.lost, 0),
        exportFailed: stackRuns.reduce((n, r) => n + r.exportFailed, 0),
        events: stackRuns.reduce((n, r) => n + r.events, 0),
        rounds: ROUNDS,
        stackRates: stackRuns.map((r) => Math.round(r.rate)).join("/"),
        nullRates: nullRuns.map((r) => Math.round(r.rate)).join("/"),
        busy: medianOf(stackRuns, "busy")!.toFixed(2),
        gc: (medianOf(stackRuns, "gc") ?? NaN).toFixed(2),
        bytesPerSpan: Math.round(medianOf(nullRuns, "bytesPerSpan")!),
      };
      const lagMs = medianOf(stackRuns, "lagMs");
      if (lagMs !== undefined) notes["lagMs"] = Math.round(lagMs);
      const collectorCpu = medianOf(stackRuns, "collectorCpu");
      const jaegerCpu = medianOf(stackRuns, "jaegerCpu");
      if (collectorCpu !== undefined) notes["collectorCpuMsPer1k"] = collectorCpu.toFixed(0);
      if (jaegerCpu !== undefined) notes["jaegerCpuMsPer1k"] = jaegerCpu.toFixed(0);
      if (process.env.BENCH_NO_PROFILE !== "1") notes["profile"] = await profileRun(protocol, receiver);
      if (stack.warnings.length > 0) notes["warning"] = stack.warnings.join("; ");
      results.push({ name, value, unit: "events/s", baseline, ratio: value / baseline, target: ">= 40,000 (ratio >= 0.7, lost = 0)", notes });
    }
  } finally {
    await receiver.close();
  }
  return results;
}

if (isMain(import.meta.url)) {
  console.log(formatResults(await measure()));
}
