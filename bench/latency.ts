// bench/latency: from record() to queryable in Jaeger, at RATE events/s, with instrument()'s
// defaults (BatchSpanProcessor delay 500 ms) and the local stack's collector (batch timeout
// 200 ms). A worker process records one root event at a time (each its own trace) for
// DURATION_MS; every SAMPLE_EVERY-th event is announced to this process with Date.now() taken
// just before record(). This process polls GET /api/traces/{id} for each announced event every
// POLL_MS until Jaeger answers with the span; latency = the time of that answer - the time
// before record() (an upper bound: the span became queryable at most one poll interval plus one
// request earlier).
// value = p99 (ms, target <= 2,000); baseline = p50 of the same samples; ratio = p99 ÷ p50.
//
//   node --import tsx bench/latency.ts
import { ensureStack, jaegerClient, sameStack, sleep, startWorker, useJaeger } from "./e2e/common.js";
import { formatResults, isMain, median, type BenchResult } from "./harness.js";

const RATE = 1_000;
const DURATION_MS = 10_000;
const SAMPLE_EVERY = 25; // 40 samples/s, 400 in all
const POLL_MS = 50;
const GIVE_UP_MS = 30_000;

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

interface Pending {
  traceId: string;
  t: number;
}

export async function measure(): Promise<BenchResult[]> {
  for (let attempt = 1; ; attempt++) {
    const stack = await ensureStack();
    useJaeger(stack.jaeger);
    const pending = new Set<Pending>();
    const latencies: number[] = [];
    let missing = 0;
    let polls = 0;
    let recording = true;

    const worker = startWorker({ mode: "latency", serviceName: "bench-latency", endpoint: stack.collector, durationMs: DURATION_MS, rate: RATE, sampleEvery: SAMPLE_EVERY });
    worker.onMessage((m) => {
      if (m.type === "sample") pending.add({ traceId: m.traceId, t: m.t });
    });
    const poller = (async () => {
      while (recording || pending.size > 0) {
        const round = [...pending];
        await Promise.all(
          round.map(async (p) => {
            polls++;
            const found = await jaegerClient().getTrace(p.traceId);
            const now = Date.now();
            if (found !== undefined && found.spans.length > 0) {
              latencies.push(now - p.t);
              pending.delete(p);
            } else if (now - p.t > GIVE_UP_MS) {
              missing++;
              pending.delete(p);
            }
          }),
        );
        await sleep(POLL_MS);
      }
    })();
    const r = await worker.result;
    recording = false;
    await poller;
    if (!(await sameStack(stack))) {
      if (attempt < 3) continue;
      throw new Error("bench/latency: the stack was restarted during three runs in a row");
    }
    const p50 = median(latencies);
    const p99 = percentile(latencies, 99);
    const seconds = (r.tRecorded - r.t0) / 1000;
    return [
      {
        name: "latency",
        value: p99,
        unit: "ms (p99)",
        baseline: p50,
        ratio: p99 / p50,
        target: "p99 <= 2,000 ms",
        notes: {
          p50,
          p90: percentile(latencies, 90),
          max: Math.max(...latencies),
          samples: latencies.length,
          missing,
          rate: Math.round(r.recorded / seconds),
          pollMs: POLL_MS,
          pollsPerSecond: Math.round(polls / ((Date.now() - r.t0) / 1000)),
          exportFailed: r.stats.export.spans.failed,
          dropped: r.stats.export.spans.unaccounted,
          ...(stack.warnings.length > 0 ? { warning: stack.warnings.join("; ") } : {}),
        },
      },
    ];
  }
}

if (isMain(import.meta.url)) {
  console.log(formatResults(await measure()));
}
