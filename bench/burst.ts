// bench/burst: EVENTS events recorded in one synchronous loop (no await, no setImmediate: the
// BatchSpanProcessor cannot send anything until the loop ends) by a worker process running
// instrument() with its defaults, then shutdown(). How many reach Jaeger? Target: all of them,
// with 0 dropped in stats().export.spans (after shutdown, `unaccounted` is what was dropped).
// The events are built before the loop, in chains of CHAIN (one Jaeger trace each), and counted
// per trace in Jaeger afterwards.
// Beside it, in the same run, the same burst with the OpenTelemetry SDK's own batch defaults
// (queue 2,048, batch 512, delay 5 s; set through OTEL_BSP_*), which drop the rest silently.
// value = spans found in Jaeger; baseline = events recorded; ratio = found ÷ recorded (target 1).
//
//   node --import tsx bench/burst.ts
import { countInJaeger, ensureStack, sameStack, startWorker, useJaeger } from "./e2e/common.js";
import type { WorkerResult } from "./e2e/worker.js";
import { formatResults, isMain, type BenchResult } from "./harness.js";

const EVENTS = 20_000;
const CHAIN = 2_000;

const SDK_DEFAULTS = { OTEL_BSP_MAX_QUEUE_SIZE: "2048", OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "512", OTEL_BSP_SCHEDULE_DELAY: "5000" };

async function burst(collector: string, env: Record<string, string>): Promise<{ r: WorkerResult; found: number }> {
  const r = await startWorker({ mode: "burst", serviceName: "bench-burst", endpoint: collector, events: EVENTS, chainSize: CHAIN }, env).result;
  // Every span the worker exported is in the collector by now; give Jaeger a few quiet seconds.
  const count = await countInJaeger(r.chains, 3_000, 30_000);
  return { r, found: count.found };
}

export async function measure(): Promise<BenchResult[]> {
  for (let attempt = 1; ; attempt++) {
    const stack = await ensureStack();
    useJaeger(stack.jaeger);
    const ours = await burst(stack.collector, {});
    const sdk = await burst(stack.collector, SDK_DEFAULTS);
    if (!(await sameStack(stack))) {
      if (attempt < 3) continue;
      throw new Error("bench/burst: the stack was restarted during three runs in a row");
    }
    const spans = ours.r.stats.export.spans;
    return [
      {
        name: "burst",
        value: ours.found,
        unit: "spans in Jaeger",
        baseline: ours.r.recorded,
        ratio: ours.found / ours.r.recorded,
        target: "all (ratio 1, dropped 0)",
        notes: {
          dropped: spans.unaccounted,
          exportFailed: spans.failed,
          queuedAfterLoop: ours.r.afterLoop!.unaccounted,
          loopMs: Math.round(ours.r.busyMs),
          shutdownMs: ours.r.tDrained - ours.r.tRecorded,
          "sdkDefaults found": sdk.found,
          "sdkDefaults dropped": sdk.r.stats.export.spans.unaccounted,
          ...(stack.warnings.length > 0 ? { warning: stack.warnings.join("; ") } : {}),
        },
      },
    ];
  }
}

if (isMain(import.meta.url)) {
  console.log(formatResults(await measure()));
}
