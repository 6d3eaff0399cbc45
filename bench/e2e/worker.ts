// One benchmark worker process: instrument() (the real product path: NodeSDK, BatchSpanProcessor,
// OTLP/HTTP exporter) records events and reports what it did to its parent over IPC. Started by
// bench/e2e/common.ts startWorker(); the protocol comes from OTEL_EXPORTER_OTLP_PROTOCOL as a user
// would set it. Modes:
// - "sustained": chains of `chainSize` events (a root, then children of the root: one Jaeger trace
//   each) recorded in slices with setImmediate between them, for `durationMs`. Closed loop
//   (`backlogCap`): a slice is recorded only while fewer than `backlogCap` spans are queued or in
//   flight, so the queue never overflows and the rate is what the exporter sustains. Open loop
//   (`rate`): events are recorded at that rate whatever the exporter does.
// - "burst": `events` events recorded in one synchronous loop, then shutdown().
// - "latency": one root event (its own trace) at a time at `rate` events/s; every `sampleEvery`-th
//   is announced to the parent with the time just before record(), so that it can poll Jaeger.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { PerformanceObserver, constants as perfConstants } from "node:perf_hooks";
import { createEvent, type QuantmEvent } from "../../lib/event/index.js";
import { instrument, type Instrumentation, type InstrumentationStats } from "../../lib/instrument/index.js";
import { traceIdFromEventId } from "../../lib/trace/index.js";

export type WorkerConfig =
  | {
      mode: "sustained";
      serviceName: string;
      endpoint: string;
      durationMs: number;
      chainSize: number;
      sliceSize: number;
      backlogCap?: number;
      rate?: number;
      /** Write a CPU profile of the measured loop (not of start-up) to this path. */
      profile?: string;
    }
  | { mode: "burst"; serviceName: string; endpoint: string; events: number; chainSize: number }
  | { mode: "latency"; serviceName: string; endpoint: string; durationMs: number; rate: number; sampleEvery: number };

export interface Chain {
  traceId: string;
  spans: number;
}

export interface WorkerResult {
  /** Events recorded in the measured loop. */
  recorded: number;
  /** Events recorded before the clock started (warm-up); `chains` holds both. */
  warm: number;
  chains: Chain[];
  /** Date.now() when the measured loop started, when it stopped recording, when all was exported. */
  t0: number;
  tRecorded: number;
  tDrained: number;
  /** Milliseconds spent inside the recording slices (createEvent + record). */
  busyMs: number;
  /** Most spans queued or in flight at once (sampled once per slice). */
  maxBacklog: number;
  /** Garbage collection during the measured loop: pause milliseconds, minor (scavenge) and major. */
  gcMs?: { minor: number; major: number };
  /** Right after the synchronous loop (burst). */
  afterLoop?: InstrumentationStats["export"]["spans"];
  stats: InstrumentationStats;
  rssMB: number;
}

export type WorkerMessage = { type: "sample"; traceId: string; t: number } | { type: "result"; result: WorkerResult };

const CONTEXT = { hook: "github", scope: "pull_request", action: "opened", source: "https://github.com/acme/app" } as const;
const CHILD_CONTEXT = { hook: "github", scope: "pull_request", action: "checked", source: "https://github.com/acme/app" } as const;
const SUBJECT = {
  id: "954e472d-a22f-4696-b447-2c8144d37f47",
  name: "repos",
  team_id: "0879053d-41a2-4151-a4b3-5e34252eb639",
  org_id: "6d1a8193-e542-4e54-817a-a7918b56236c",
};

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Events in chains of `size`: a root, then children of the root (parent_id, root_id). */
class Chains {
  readonly list: Chain[] = [];
  private root: QuantmEvent | undefined;
  private current: Chain | undefined;
  private seq = 0;

  constructor(private readonly size: number) {}

  next(): QuantmEvent {
    const n = this.seq++;
    if (this.root === undefined || this.current!.spans >= this.size) {
      this.root = createEvent({ context: CONTEXT, subject: SUBJECT, payload: { number: n } });
      this.current = { traceId: traceIdFromEventId(this.root.id), spans: 1 };
      this.list.push(this.current);
      return this.root;
    }
    this.current!.spans++;
    return createEvent({ parent: this.root, context: CHILD_CONTEXT, subject: SUBJECT, payload: { number: n } });
  }
}

/** Spans handed to the batch processor and not yet exported (or failed). */
function backlog(q: Instrumentation): number {
  return q.stats().export.spans.unaccounted;
}

interface LoopPlan {
  /** Events to record now, `elapsedMs` into the loop, with `recorded` done and `backlog` queued. */
  due(elapsedMs: number, recorded: number, backlog: number): number;
  /** Records event number `i` (from 0). */
  record(i: number): void;
  /** Waits before the next turn; `recordedAny` says whether this turn recorded. */
  pause(recordedAny: boolean): Promise<void>;
}

/**
 * The measured loop of the sustained and latency modes: for `durationMs`, records what the plan
 * says is due, timing only the recording (busyMs) and noting the largest backlog seen.
 */
async function measuredLoop(q: Instrumentation, durationMs: number, plan: LoopPlan): Promise<{ recorded: number; t0: number; busyMs: number; maxBacklog: number }> {
  let recorded = 0;
  let busyMs = 0;
  let maxBacklog = 0;
  const t0 = Date.now();
  const h0 = performance.now();
  const end = h0 + durationMs;
  for (let now = performance.now(); now < end; now = performance.now()) {
    const b = backlog(q);
    if (b > maxBacklog) maxBacklog = b;
    const n = plan.due(now - h0, recorded, b);
    for (let i = 0; i < n; i++) plan.record(recorded + i);
    if (n > 0) {
      recorded += n;
      busyMs += performance.now() - now;
    }
    await plan.pause(n > 0);
  }
  return { recorded, t0, busyMs, maxBacklog };
}

async function sustained(config: Extract<WorkerConfig, { mode: "sustained" }>): Promise<WorkerResult> {
  const q = instrument({ serviceName: config.serviceName, endpoint: config.endpoint, logger: { transports: [] }, flushOnExit: false });
  const chains = new Chains(config.chainSize);
  // Warm-up (JIT, connection): one chain, exported before the clock starts.
  for (let i = 0; i < config.chainSize; i++) q.record(chains.next());
  await q.forceFlush();
  const warm = config.chainSize;

  let session: Session | undefined;
  if (config.profile !== undefined) {
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
  }

  const gcMs = { minor: 0, major: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) gcMs.minor += e.duration;
      else gcMs.major += e.duration;
    }
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  const slice = config.sliceSize;
  const { rate, backlogCap } = config;
  const loop = await measuredLoop(q, config.durationMs, {
    due: (elapsedMs, recorded, backlog) =>
      rate !== undefined ? Math.min(slice, Math.floor((elapsedMs * rate) / 1000) - recorded) : backlogCap !== undefined && backlog >= backlogCap ? 0 : slice,
    record: () => q.record(chains.next()),
    // Recorded, or open loop: let the exporter run. Closed loop, backlog full: wait for the
    // exporter without spinning a core away from it.
    pause: (recordedAny) => (recordedAny || rate !== undefined ? immediate() : sleep(1)),
  });
  const tRecorded = Date.now();
  await q.forceFlush();
  const tDrained = Date.now();
  gcObserver.disconnect();
  if (session !== undefined) {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(config.profile!, JSON.stringify(profile));
    session.disconnect();
  }
  await q.shutdown();
  return { ...loop, warm, chains: chains.list, tRecorded, tDrained, gcMs, stats: q.stats(), rssMB: process.memoryUsage().rss / 1_048_576 };
}

async function burst(config: Extract<WorkerConfig, { mode: "burst" }>): Promise<WorkerResult> {
  const q = instrument({ serviceName: config.serviceName, endpoint: config.endpoint, logger: { transports: [] }, flushOnExit: false });
  const chains = new Chains(config.chainSize);
  const events: QuantmEvent[] = [];
  for (let i = 0; i < config.events; i++) events.push(chains.next());
  const t0 = Date.now();
  const h0 = performance.now();
  for (const event of events) q.record(event);
  const busy = performance.now() - h0;
  const tRecorded = Date.now();
  const afterLoop = q.stats().export.spans;
  await q.shutdown();
  const tDrained = Date.now();
  return { recorded: events.length, warm: 0, chains: chains.list, t0, tRecorded, tDrained, busyMs: busy, maxBacklog: afterLoop.unaccounted, afterLoop, stats: q.stats(), rssMB: process.memoryUsage().rss / 1_048_576 };
}

async function latency(config: Extract<WorkerConfig, { mode: "latency" }>): Promise<WorkerResult> {
  const q = instrument({ serviceName: config.serviceName, endpoint: config.endpoint, logger: { transports: [] }, flushOnExit: false });
  const chains = new Chains(1);
  const loop = await measuredLoop(q, config.durationMs, {
    due: (elapsedMs, recorded) => Math.floor((elapsedMs * config.rate) / 1000) - recorded,
    record: (i) => {
      const event = chains.next();
      if (i % config.sampleEvery !== 0) return q.record(event);
      const t = Date.now();
      q.record(event);
      process.send!({ type: "sample", traceId: traceIdFromEventId(event.id), t } satisfies WorkerMessage);
    },
    pause: () => sleep(1),
  });
  const tRecorded = Date.now();
  await q.shutdown();
  const tDrained = Date.now();
  return { ...loop, warm: 0, chains: chains.list, tRecorded, tDrained, stats: q.stats(), rssMB: process.memoryUsage().rss / 1_048_576 };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as WorkerConfig;
  const result = config.mode === "sustained" ? await sustained(config) : config.mode === "burst" ? await burst(config) : await latency(config);
  await new Promise<void>((resolve) => process.send!({ type: "result", result } satisfies WorkerMessage, () => resolve()));
  process.disconnect();
}

if (process.send !== undefined) await main();
