// bench/log: a correlated `logger.info("msg", { three fields })` inside an event span, against
// plain winston JSON logging of the same call to the same null stream. Same run, interleaved
// rounds, medians (bench/harness.ts). ratio = our time per call ÷ winston's (baseline ops/s ÷
// our ops/s); target <= 1.3.
//
// What the correlated call includes, all on by default in createLogger:
// - the OTel context captured at the call, trace_id/span_id/trace_flags and the seven quantm.*
//   fields added to the record (from the real bridge's withEvent span);
// - the JSON line written to the null stream (winston Stream transport, like the baseline);
// - a span event on the event span (level, message, the three fields flattened); the SDK keeps
//   the last 128 events of a span (its default eventCountLimit), as it would in production;
// - an OTLP log record through @opentelemetry/winston-transport into a LoggerProvider with a
//   BatchLogRecordProcessor (queue 65,536, so a 300 ms round never overflows it and every record is
//   queued, as in a steady state where the exporter keeps up) and an exporter that does nothing.
// Between rounds the event loop turns (winston's per-record setImmediate callbacks and the batch
// processor drain), as it does between requests of a real service.
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
import { createLogger, jsonFormat } from "../lib/log/index.js";
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
    processors: [new BatchLogRecordProcessor({ exporter: noopLogExporter, maxQueueSize: 65_536, maxExportBatchSize: 512 })],
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
  const ours = createLogger({ loggerProvider, transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const noOtlp = createLogger({ otlp: false, transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const noEvents = createLogger({ loggerProvider, spanEvents: false, transports: [new winston.transports.Stream({ stream: nullStream() })] });
  const correlationOnly = createLogger({ otlp: false, spanEvents: false, transports: [new winston.transports.Stream({ stream: nullStream() })] });

  const samples: Record<string, number[]> = {};
  await bridge.withEvent(event, async () => {
    for (let r = 0; r < ROUNDS; r++) {
      const ops = compare(
        {
          winston: () => plain.info("checking mergeability", { ...FIELDS }),
          ours: () => ours.info("checking mergeability", { ...FIELDS }),
          noOtlp: () => noOtlp.info("checking mergeability", { ...FIELDS }),
          noSpanEvents: () => noEvents.info("checking mergeability", { ...FIELDS }),
          correlationOnly: () => correlationOnly.info("checking mergeability", { ...FIELDS }),
          winstonFastJson: () => plainFastJson.info("checking mergeability", { ...FIELDS }),
        },
        1,
        ROUND_MS,
      );
      for (const [name, value] of Object.entries(ops)) (samples[name] ??= []).push(value);
      await turn();
      await loggerProvider.forceFlush();
      await turn();
    }
  });
  await loggerProvider.shutdown();
  await tracerProvider.shutdown();
  if (installed) {
    context.disable();
  }
  const med = (name: string): number => median(samples[name] ?? [Number.NaN]);
  const base = med("winston");
  return [
    {
      name: "log",
      value: med("ours"),
      unit: "ops/s",
      baseline: base,
      ratio: base / med("ours"),
      target: "<= 1.3",
      notes: {
        noOtlp: med("noOtlp"),
        noSpanEvents: med("noSpanEvents"),
        correlationOnly: med("correlationOnly"),
        winstonFastJson: med("winstonFastJson"),
      },
    },
  ];
}

if (isMain(import.meta.url)) {
  console.log(formatResults(await measure()));
}
