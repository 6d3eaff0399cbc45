// The worker side of LogExportThread (log-export-thread.ts): a LoggerProvider with a batch
// processor and the OTLP exporter, fed with the JSON lines of the log calls through
// LineRecordExporter (lib/log/line-export.ts).
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider, type SdkLogRecord } from "@opentelemetry/sdk-logs";
import { parentPort, workerData } from "node:worker_threads";
import { LineRecordExporter, type LineExtras, type NO_SPAN } from "../log/line-export.js";
import { CountingExporter } from "./counting-exporter.js";
import { defaultLogExporter } from "./exporters.js";
import { COUNTER, RECORD_STRIDE, type FromWorker, type LogExportWorkerData, type ToWorker } from "./log-export-thread.js";

const data = workerData as LogExportWorkerData;
const port = parentPort!;
const counters = new BigInt64Array(data.counters);
const send = (message: FromWorker): void => port.postMessage(message);

const exporter: CountingExporter<SdkLogRecord> = new CountingExporter<SdkLogRecord>(
  defaultLogExporter(data.protocol, data.url),
  "logs",
  (warning) => send({ type: "failed", error: exporter.counts.lastError ?? warning, warning }),
  (counts) => {
    Atomics.store(counters, COUNTER.exported, BigInt(counts.exported));
    Atomics.store(counters, COUNTER.failed, BigInt(counts.failed));
  },
);

let provider: LoggerProvider | undefined;
let lines: LineRecordExporter | undefined;
/** Batches that arrived before the resource did. */
const early: unknown[][] = [];
let warned = false;

function exportBatch(batch: unknown[]): void {
  const to = lines!;
  for (let i = 0; i < batch.length; i += RECORD_STRIDE) {
    to.export(batch[i] as number, batch[i + 1] as string, batch[i + 2] as string, batch[i + 3] as LineExtras | typeof NO_SPAN | undefined);
  }
  Atomics.add(counters, COUNTER.consumed, BigInt(batch.length / RECORD_STRIDE));
}

port.on("message", (message: ToWorker) => {
  if (Array.isArray(message)) {
    if (lines === undefined) early.push(message);
    else exportBatch(message);
    return;
  }
  switch (message.type) {
    case "resource": {
      provider = new LoggerProvider({
        resource: defaultResource().merge(resourceFromAttributes(message.attributes)),
        processors: [new BatchLogRecordProcessor({ exporter, ...data.batch })],
      });
      lines = new LineRecordExporter(provider, (error) => {
        // A record the mapping could not build (the parent's "warn"): said once, in the main thread.
        if (warned) return;
        warned = true;
        send({ type: "warn", warning: `quantm-events: a log record could not be exported (reported once): ${String(error)}` });
      });
      for (const batch of early.splice(0)) exportBatch(batch);
      return;
    }
    case "flush":
    case "shutdown": {
      const done = (): void => send({ type: "done", id: message.id });
      const work = provider === undefined ? Promise.resolve() : message.type === "flush" ? provider.forceFlush() : provider.shutdown();
      work.then(done, done);
      return;
    }
  }
});
