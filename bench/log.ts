// bench/log: a correlated `logger.info("msg", { three fields })` inside an event span, against
// plain winston JSON logging (winston.format.json()) of the same call to the same null stream
// (winston's Stream transport over a Writable that discards). Same run, interleaved rounds,
// medians (bench/harness.ts). ratio = our time per call ÷ winston's (baseline ops/s ÷ our ops/s);
// target <= 1.3.
//
// What the correlated call includes, all on by default in createLogger:
// - the OTel context captured at the call; trace_id/span_id/trace_flags and the seven quantm.*
//   fields added to the record (the span is the real bridge's withEvent span);
// - the JSON line written to the null stream, like the baseline;
// - a span event on the event span (level, message, the three fields); the SDK keeps the last
//   128 events of a span (its default eventCountLimit), as in production;
// - an OTLP log record built through @opentelemetry/winston-transport's mapping into a
//   LoggerProvider with a BatchLogRecordProcessor at its defaults and an exporter that does nothing.
//
// Two loops:
// - "log": the harness's compare(): each contender runs 300 ms synchronously, so the event loop
//   never turns inside a round. The batch processor cannot export then: its queue (2,048) fills
//   and later records are counted as dropped after being fully built (only the queue push is
//   skipped); winston's Stream transport meanwhile piles up one setImmediate per record, which
//   makes both sides pay for garbage collection of retained records.
// - "log-steady": the same contenders, interleaved and medianed the same way, but yielding to the
//   event loop every 1,000 calls, as a service does between requests: the processor exports
//   (to nothing) every 512 records, and winston's callbacks run.
// Notes: the same call with parts switched off (noOtlp, noSpanEvents, correlationOnly), winston
// with this package's JSON format (winstonFastJson), and winston JSON plus the upstream OTLP
// transport without any correlation (winstonOtlp: what OpenTelemetry's own recipe costs).
//
//   node --import tsx bench/log.ts
import { Writable } from "node:stream";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ExportResultCode } from "@opentelemetry/core";
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import winston from "winston";
import { createEvent } from "../lib/event/index.js";
import { createLogger, jsonFormat, OtlpTransport } from "../lib/log/index.js";
import { createEventBridge, eventIdGenerator } from "../lib/trace/index.js";
import { compare, formatResults, isMain, median, type BenchResult } from "./harness.js";

const ROUNDS = 9;
const ROUND_MS = 300;
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
  const ours = createLogger({ loggerProvider, transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const noOtlp = createLogger({ otlp: false, transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const noEvents = createLogger({ loggerProvider, spanEvents: false, transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const correlationOnly = createLogger({ otlp: false, spanEvents: false, transports: [new winston.transports.Stream({ stream: nullStream() })] });

  const call = (logger: winston.Logger) => () => {
    logger.info("checking mergeability", { ...FIELDS });
  };
  const contenders = {
    winston: call(plain),
    ours: call(ours),
    noOtlp: call(noOtlp),
    noSpanEvents: call(noEvents),
    correlationOnly: call(correlationOnly),
    winstonFastJson: call(plainFastJson),
    winstonOtlp: call(plainOtlp),
  };

  let sync: Record<string, number> = {};
  const steady: Record<string, number[]> = {};
  await bridge.withEvent(event, async () => {
    sync = compare(contenders, ROUNDS, ROUND_MS);
    await settle(loggerProvider);
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of ["winston", "ours", "winstonOtlp"] as const) {
        (steady[name] ??= []).push(await steadyOpsPerSecond(contenders[name], ROUND_MS));
        await settle(loggerProvider);
      }
    }
  });
  await loggerProvider.shutdown();
  await tracerProvider.shutdown();
  if (installed) context.disable();

  const steadyOurs = median(steady.ours!);
  const steadyWinston = median(steady.winston!);
  return [
    {
      name: "log",
      value: sync.ours!,
      unit: "ops/s",
      baseline: sync.winston!,
      ratio: sync.winston! / sync.ours!,
      target: "<= 1.3",
      notes: {
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
      notes: { winstonOtlp: median(steady.winstonOtlp!) },
    },
  ];
}

/** Ops/s of `fn` over about `ms`, yielding to the event loop every 1,000 calls. */
async function steadyOpsPerSecond(fn: () => void, ms: number): Promise<number> {
  for (let i = 0; i < 1000; i++) fn();
  await turn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 1000; i++) fn();
    ops += 1000;
    await turn();
    elapsed = process.hrtime.bigint() - start;
  }
  return ops / (Number(elapsed) / 1e9);
}

async function settle(provider: LoggerProvider): Promise<void> {
  await turn();
  await provider.forceFlush();
  await turn();
}

if (isMain(import.meta.url)) {
  console.log(formatResults(await measure()));
}
