// The log records of instrument()'s logger are exported from a worker thread. Building an OTLP
// record (the Logs SDK's LogRecordImpl, the winston-transport mapping, the protobuf encoding)
// costs more than a whole winston call, so, as pino does with its transports, the log call only
// hands over the JSON line it already wrote, and the Logs SDK runs in the worker
// (log-export-worker.ts) on the machine's other cores.
//
// Hand-over: records are appended to a batch (four values each, no object per record); the
// batch is posted when it is full or, at the latest, on the next turn of the event loop. The
// records in flight are bounded by the batch settings' maxQueueSize: past it, records are
// dropped and counted, never buffered without bound. The worker's counts are shared memory, so
// stats() reads them synchronously.
import { diag, type Attributes } from "@opentelemetry/api";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { LineExtras, LogLineSink, NO_SPAN } from "../log/line-export.js";
import type { BatchOptions, OtlpProtocol } from "./config.js";
import type { ExportCounts } from "./counting-exporter.js";

/** Slots of the shared counters (BigInt64Array). */
export const COUNTER = { consumed: 0, exported: 1, failed: 2 } as const;
const COUNTERS = 3;

/** Values per record in a posted batch: time, level, line, extras. */
export const RECORD_STRIDE = 4;

/** Records per posted batch: big enough to amortize postMessage, small enough to go out soon. */
const BATCH_RECORDS = 512;

export interface LogExportWorkerData {
  protocol: OtlpProtocol;
  /** Full /v1/logs URL, when given as an option (else the exporter reads OTEL_EXPORTER_OTLP_*). */
  url: string | undefined;
  batch: Required<BatchOptions>;
  counters: SharedArrayBuffer;
}

/** Main thread → worker. A bare array is a batch of records. */
export type ToWorker =
  | unknown[]
  | { type: "resource"; attributes: Attributes }
  | { type: "flush"; id: number }
  | { type: "shutdown"; id: number };

/** Worker → main thread. */
export type FromWorker = { type: "done"; id: number } | { type: "failed"; error: string; warning: string } | { type: "warn"; warning: string };

export interface LogExportThreadOptions {
  protocol: OtlpProtocol;
  url: string | undefined;
  batch: Required<BatchOptions>;
  /** The worker's process.env (the exporter reads OTEL_EXPORTER_OTLP_* from it). */
  env: NodeJS.ProcessEnv;
  /**
   * The resource of the exported records, once its detectors have settled; the worker holds
   * records until it arrives.
   */
  resource: Promise<Attributes>;
}

export interface LogExportThreadStats extends ExportCounts {
  /** Records handed to the thread (written), including those dropped. */
  ended: number;
  /** Records refused because maxQueueSize records were in flight, or the worker had stopped. */
  dropped: number;
}

export class LogExportThread implements LogLineSink {
  private readonly worker: Worker;
  private readonly counters: BigInt64Array;
  private readonly maxQueueSize: number;
  private batch: unknown[] = [];
  private batched = 0;
  private posted = 0;
  private dropped = 0;
  /** Records that may still be batched before the in-flight bound is checked again. */
  private room: number;
  private scheduled = false;
  private stopped = false;
  private nextId = 0;
  private readonly pending = new Map<number, () => void>();
  private readonly warned = new Set<string>();
  private lastError: string | undefined;
  private readonly resourceSent: Promise<void>;

  constructor(options: LogExportThreadOptions) {
    this.maxQueueSize = options.batch.maxQueueSize;
    this.room = this.maxQueueSize;
    const counters = new SharedArrayBuffer(COUNTERS * BigInt64Array.BYTES_PER_ELEMENT);
    this.counters = new BigInt64Array(counters);
    const workerData: LogExportWorkerData = { protocol: options.protocol, url: options.url, batch: options.batch, counters };
    this.worker = startWorker(workerData, options.env);
    this.worker.on("message", (message: FromWorker) => this.onMessage(message));
    this.worker.on("error", (error: Error) => this.stop(`the log export thread failed: ${error.message}`));
    this.worker.on("exit", (code: number) => this.stop(code === 0 ? undefined : `the log export thread exited with code ${code}`));
    // The thread must not keep the process alive; a flush refs it while it waits for the answer.
    // After the listeners: adding a "message" listener refs the worker's port again.
    this.worker.unref();
    this.resourceSent = options.resource.then(
      (attributes) => this.post({ type: "resource", attributes }),
      (error: unknown) => {
        this.warn(`quantm-events: resource detection failed (${String(error)}); log records are exported with the default resource`);
        this.post({ type: "resource", attributes: {} });
      },
    );
  }

  write(timeMs: number, level: string, line: string, extras: LineExtras | typeof NO_SPAN | undefined): void {
    if (this.batched === BATCH_RECORDS || this.batched === this.room) this.postBatch();
    if (this.batched === this.room || this.stopped) {
      this.dropped++;
      return;
    }
    this.batch.push(timeMs, level, line, extras);
    if (++this.batched === 1 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.onTurn);
    }
  }

  stats(): LogExportThreadStats {
    return {
      ended: this.posted + this.batched + this.dropped,
      dropped: this.dropped,
      exported: Number(Atomics.load(this.counters, COUNTER.exported)),
      failed: Number(Atomics.load(this.counters, COUNTER.failed)),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /** Exports everything written so far; resolves when sent or failed (and counted). */
  forceFlush(): Promise<void> {
    this.postBatch();
    return this.request("flush");
  }

  /** Flushes, then stops the worker. Later records are dropped and counted. */
  async shutdown(): Promise<void> {
    this.postBatch();
    await this.request("shutdown");
    this.stopped = true;
    await this.worker.terminate();
  }

  private readonly onTurn = (): void => {
    this.scheduled = false;
    this.postBatch();
  };

  private postBatch(): void {
    if (this.batched > 0 && !this.stopped) {
      this.post(this.batch);
      this.posted += this.batched;
    }
    this.batch = [];
    this.batched = 0;
    const consumed = Number(Atomics.load(this.counters, COUNTER.consumed));
    this.room = Math.max(0, this.maxQueueSize - (this.posted - consumed));
  }

  private post(message: ToWorker): void {
    if (this.stopped) return;
    try {
      this.worker.postMessage(message);
    } catch (error) {
      // e.g. a value that cannot be cloned: counted as dropped, never thrown into the log call.
      if (Array.isArray(message)) this.dropped += message.length / RECORD_STRIDE;
      this.warn(`quantm-events: a batch of log records could not be handed to the export thread (${(error as Error).message})`);
    }
  }

  private async request(type: "flush" | "shutdown"): Promise<void> {
    await this.resourceSent;
    if (this.stopped) return;
    const id = this.nextId++;
    this.worker.ref();
    try {
      await new Promise<void>((resolve) => {
        this.pending.set(id, resolve);
        this.post({ type, id });
      });
    } finally {
      if (this.pending.size === 0) this.worker.unref();
    }
  }

  private onMessage(message: FromWorker): void {
    if (message.type === "done") {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.();
    } else {
      if (message.type === "failed") this.lastError = message.error;
      this.warn(message.warning);
    }
  }

  private stop(reason: string | undefined): void {
    if (reason !== undefined && !this.stopped) diag.error(`quantm-events: ${reason}; log records are now dropped and counted`);
    this.stopped = true;
    // What was in flight is lost with the thread: it stays in stats() as ended but not exported.
    for (const resolve of this.pending.values()) resolve();
    this.pending.clear();
  }

  private warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    diag.warn(message);
  }
}

// From dist/ the worker is the compiled .js next to this file. From the sources (specs, benches
// run with tsx), it is the .ts, which a worker can only load after registering tsx itself.
function startWorker(workerData: LogExportWorkerData, env: NodeJS.ProcessEnv): Worker {
  const options = { workerData, env: { ...env } as Record<string, string> };
  if (import.meta.url.endsWith(".js")) return new Worker(new URL("./log-export-worker.js", import.meta.url), options);
  const entry = new URL("./log-export-worker.ts", import.meta.url).href;
  // The ESM build of tsx's API (its CommonJS build cannot register the ESM loader), found from
  // tsx's package.json because the sources may run as CommonJS, where import.meta.resolve is not.
  const tsxRoot = dirname(createRequire(import.meta.url).resolve("tsx/package.json"));
  const api = pathToFileURL(join(tsxRoot, "dist/esm/api/index.mjs")).href;
  const bootstrap = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
