// bench/log: a correlated `logger.info("msg", { three fields })` inside an event span, against
// plain winston JSON logging (winston.format.json()) of the same call to the same null stream
// (winston's Stream transport over a Writable that discards). Same run, interleaved rounds,
// medians (bench/harness.ts). ratio = our time per call ÷ winston's (baseline ops/s ÷ our ops/s);
// target <= 1.3.
//
// What the correlated call includes, all on by default in the logger of instrument():
// - the OTel context captured at the call; trace_id/span_id/trace_flags and the seven quantm.*
//   fields added to the record (the span is the real bridge's withEvent span);
// - the JSON line written to the null stream, like the baseline;
// - a span event on the event span (level, message, the three fields); the SDK keeps the last
//   128 events of a span (its default eventCountLimit), as in production;
// - the OTLP log record: the line handed to instrument()'s export thread (LogExportThread), whose
//   worker builds the record through @opentelemetry/winston-transport's mapping into a
//   LoggerProvider with a BatchLogRecordProcessor and the OTLP/HTTP protobuf exporter, sending to
//   a null OTLP receiver in another process (bench/e2e/null-receiver.ts).
// The call's thread is what the target is about (it is the service's request path); the worker
// runs on another core. So the report adds what the whole process spent: CPU time per call
// (process.cpuUsage, all threads, from a round's start until everything it logged is exported),
// against winston's.
//
// Two loops:
// - "log": the harness's compare(): each contender runs 300 ms synchronously, so the event loop
//   never turns inside a round. That offers records faster than the export thread can export
//   them (see "log-capacity"); past 65,536 in flight it drops them, counted (syncDropped). The
//   in-thread batch processor (inThread) cannot export at all then: its queue (2,048) fills and
//   later records are dropped after being fully built.
// - "log-steady": a busy service: bursts of 1,000 calls, OFFERED_RATE records a second in all,
//   yielding to the event loop between bursts. value = calls per second of time spent inside the
//   bursts, so the figure is the call's own cost; interleaved rounds, medians. Every record must
//   be exported (steadyDropped = 0).
// - "log-capacity": what the export thread sustains: records a second exported when offered as
//   fast as the steady loop can (time from the round's start until the thread has exported all).
// Notes: the OTLP record built in the log call's thread instead (inThread: createLogger with a
// LoggerProvider, exporting to nothing), the same call with parts switched off (noOtlp,
// noSpanEvents, correlationOnly), winston with this package's JSON format (winstonFastJson), and
// winston JSON plus the upstream OTLP transport without any correlation (winstonOtlp: what
// OpenTelemetry's own recipe costs, in-thread, exporting to nothing); exported/dropped: the
// export thread's counts over the whole run.
//
//   node --import tsx bench/log.ts
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ExportResultCode } from "@opentelemetry/core";
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import winston from "winston";
import { createEvent } from "../lib/event/index.js";
import { DEFAULT_BATCH } from "../lib/instrument/config.js";
import { LogExportThread } from "../lib/instrument/log-export-thread.js";
import { createLogger, jsonFormat, OtlpTransport } from "../lib/log/index.js";
import { createEventBridge, eventIdGenerator } from "../lib/trace/index.js";
import { compare, formatResults, isMain, median, type BenchResult } from "./harness.js";

const ROUNDS = 9;
const ROUND_MS = 300;
/** Records a second the steady loop offers: a busy service, well within the export thread's capacity. */
const OFFERED_RATE = 40_000;
const FIELDS = { user: "u1", attempt: 3, ok: true };

const noopLogExporter: LogRecordExporter = {
  export: (_records, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};
const noopSpanExporter: SpanExporter = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: () => Promise.resolve(),
};

function nullStream(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function measure(): Promise<BenchResult[]> {
  const manager = new AsyncLocalStorageContextManager().enable();
  const installed = context.setGlobalContextManager(manager);
  const loggerProvider = new LoggerProvider({
    processors: [new BatchLogRecordProcessor({ exporter: noopLogExporter })],
  });
  const tracerProvider = new BasicTracerProvider({ idGenerator: eventIdGenerator, spanProcessors: [new BatchSpanProcessor(noopSpanExporter)] });
  const bridge = createEventBridge({ tracerProvider });
  const event = createEvent({
    context: { hook: "github", scope: "pull_request", action: "opened", source: "https://github.com/acme/app" },
    subject: { id: "954e472d-a22f-4696-b447-2c8144d37f47", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" },
    payload: { number: 1 },
  });

  const plain = winston.createLogger({ format: winston.format.json(), transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const plainFastJson = winston.createLogger({ format: jsonFormat(), transports: [new winston.transports.Stream({ stream: nullStream() })] });
  // The usual OpenTelemetry set-up for comparison: winston JSON plus the upstream transport as a
  // second winston transport, into the same provider; no correlation fields, no span events.
  const plainOtlp = winston.createLogger({
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream: nullStream() }), new OtlpTransport({ loggerProvider })],
  });
  const receiver = await startReceiver();
  const thread = new LogExportThread({
    protocol: "http/protobuf",
    url: `${receiver.url}/v1/logs`,
    batch: { ...DEFAULT_BATCH, maxQueueSize: 2_000_000 },
    env: process.env,
    resource: Promise.resolve({ "service.name": "bench-log" }),
  });
  const ours = createLogger({ exportSink: thread, transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const inThread = createLogger({ loggerProvider, transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const noOtlp = createLogger({ otlp: false, transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const noEvents = createLogger({ exportSink: thread, spanEvents: false, transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const correlationOnly = createLogger({ otlp: false, spanEvents: false, transports: [new winston.transports.Stream({ stream: nullStream() })] });

  const call = (logger: winston.Logger) => () => {
    logger.info("checking mergeability", { ...FIELDS });
  };
  const contenders = {
    winston: call(plain),
    ours: call(ours),
    inThread: call(inThread),
    noOtlp: call(noOtlp),
    noSpanEvents: call(noEvents),
    correlationOnly: call(correlationOnly),
    winstonFastJson: call(plainFastJson),
    winstonOtlp: call(plainOtlp),
  };

  const settle = async (): Promise<void> => {
    await turn();
    await loggerProvider.forceFlush();
    await thread.forceFlush();
    await turn();
  };
  const STEADY = ["winston", "ours", "inThread", "winstonOtlp", "noOtlp", "noSpanEvents", "correlationOnly", "winstonFastJson"] as const;
  let sync: Record<string, number> = {};
  let syncDropped = 0;
  let steadyDropped = 0;
  const steady: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  const capacity: number[] = [];
  await bridge.withEvent(event, async () => {
    const before = thread.stats().dropped;
    sync = compare(contenders, ROUNDS, ROUND_MS);
    await settle();
    syncDropped = thread.stats().dropped - before;
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of STEADY) {
        const dropped = thread.stats().dropped;
        const cpuBefore = process.cpuUsage();
        const { rate, ops } = await pacedCallsPerSecond(contenders[name], ROUND_MS, OFFERED_RATE);
        await settle();
        const used = process.cpuUsage(cpuBefore);
        steadyDropped += thread.stats().dropped - dropped;
        (steady[name] ??= []).push(rate);
        (cpu[name] ??= []).push((used.user + used.system) / ops);
      }
      // Capacity: as fast as the loop offers, until the thread has exported everything.
      const { exported } = thread.stats();
      const start = process.hrtime.bigint();
      await pacedCallsPerSecond(contenders.ours, ROUND_MS, Infinity);
      await thread.forceFlush();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      capacity.push((thread.stats().exported - exported) / seconds);
    }
  });
  const exported = thread.stats();
  await thread.shutdown();
  await loggerProvider.shutdown();
  await tracerProvider.shutdown();
  receiver.process.kill("SIGTERM");
  if (installed) context.disable();

  const steadyOurs = median(steady.ours!);
  const steadyWinston = median(steady.winston!);
  const cpuOurs = median(cpu.ours!);
  const cpuWinston = median(cpu.winston!);
  return [
    {
      name: "log",
      value: sync.ours!,
      unit: "ops/s",
      baseline: sync.winston!,
      ratio: sync.winston! / sync.ours!,
      target: "<= 1.3",
      notes: {
        syncDropped,
        inThread: sync.inThread!,
        noOtlp: sync.noOtlp!,
        noSpanEvents: sync.noSpanEvents!,
        correlationOnly: sync.correlationOnly!,
        winstonFastJson: sync.winstonFastJson!,
        winstonOtlp: sync.winstonOtlp!,
      },
    },
    {
      name: "log-steady",
      value: steadyOurs,
      unit: "ops/s",
      baseline: steadyWinston,
      ratio: steadyWinston / steadyOurs,
      target: "<= 1.3",
      notes: {
        inThread: median(steady.inThread!),
        noOtlp: median(steady.noOtlp!),
        noSpanEvents: median(steady.noSpanEvents!),
        correlationOnly: median(steady.correlationOnly!),
        winstonFastJson: median(steady.winstonFastJson!),
        winstonOtlp: median(steady.winstonOtlp!),
        cpuUsPerCall: round2(cpuOurs),
        cpuUsPerCallWinston: round2(cpuWinston),
        cpuRatio: round2(cpuOurs / cpuWinston),
        cpuRatioInThread: round2(median(cpu.inThread!) / cpuWinston),
        offeredRate: OFFERED_RATE,
        steadyDropped,
        failed: exported.failed,
      },
    },
    {
      name: "log-capacity",
      value: median(capacity),
      unit: "records/s",
      baseline: OFFERED_RATE,
      ratio: median(capacity) / OFFERED_RATE,
      target: ">= 1",
      notes: { rounds: capacity.map((c) => Math.round(c)).join("/") },
    },
  ];
}

/**
 * Calls per second of `fn`, counting only the time inside the calls: bursts of 1,000, paced to
 * `offered` calls a second over about `ms` (Infinity: no pause but a turn of the event loop).
 */
async function pacedCallsPerSecond(fn: () => void, ms: number, offered: number): Promise<{ rate: number; ops: number }> {
  for (let i = 0; i < 1000; i++) fn();
  await turn();
  let ops = 1000;
  let busy = 0n;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  for (let now = start; now - start < budget; now = process.hrtime.bigint()) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) fn();
    busy += process.hrtime.bigint() - t0;
    ops += 1000;
    const due = Number(process.hrtime.bigint() - start) / 1e6 - ((ops - 1000) / offered) * 1000;
    if (due < -1) await sleep(-due);
    else await turn();
  }
  return { rate: (ops - 1000) / (Number(busy) / 1e9), ops };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The null OTLP receiver, in a process of its own so that it runs while the loop does. */
async function startReceiver(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", new URL("./e2e/null-receiver.ts", import.meta.url).pathname], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await Promise.race([once(lines, "line"), once(child, "exit").then(() => { throw new Error("bench/log: the null receiver exited at start"); })])) as [string];
  return { url: (JSON.parse(first) as { url: string }).url, process: child };
}

if (isMain(import.meta.url)) {
  console.log(formatResults(await measure()));
}
