// instrument(): one call sets up the OpenTelemetry NodeSDK (OTLP/HTTP traces and logs, the
// bridge's id generator, a resource), the event bridge and the correlated logger.
import { diag, trace, type Attributes, type Tracer } from "@opentelemetry/api";
import { logs } from "@opentelemetry/api-logs";
import { defaultResource, resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, type LogRecordExporter, type LogRecordProcessor, type SdkLogRecord } from "@opentelemetry/sdk-logs";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, type ReadableSpan, type Sampler, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import type winston from "winston";
import { createLogger, setDefaultExportSink, type CreateLoggerOptions } from "../log/index.js";
import { createEventBridge, eventIdGenerator, TRACER_NAME, type EventBridge, type EventBridgeOptions, type EventBridgeStats } from "../trace/index.js";
import { resolveBatch, resolveProtocol, resolveServiceName, resolveServiceVersion, type BatchOptions } from "./config.js";
import { CountingExporter, type ExportCounts } from "./counting-exporter.js";
import { defaultLogExporter, defaultTraceExporter, signalUrl } from "./exporters.js";
import { LogExportThread, type LogExportThreadOptions } from "./log-export-thread.js";

export interface InstrumentOptions extends Pick<EventBridgeOptions, "placement" | "payload" | "lineageIndexSize" | "onInvalid"> {
  /** `service.name`. Default: OTEL_SERVICE_NAME, else the SDK's `unknown_service:node`. */
  serviceName?: string;
  /** `service.version`. Default: the version in ./package.json, if any. */
  serviceVersion?: string;
  /** More resource attributes (OTEL_RESOURCE_ATTRIBUTES is read too). */
  resourceAttributes?: Attributes;
  /** Default: the SDK's (OTEL_TRACES_SAMPLER, else parent-based always-on). The bridge sees it too. */
  sampler?: Sampler;
  /** Logger options; the logger exports through this instance (its export thread by default). */
  logger?: Omit<CreateLoggerOptions, "loggerProvider" | "exportSink">;
  /**
   * OTLP/HTTP base URL of the collector (`/v1/traces` and `/v1/logs` are appended). Default:
   * OTEL_EXPORTER_OTLP_(TRACES_|LOGS_)ENDPOINT, else http://localhost:4318 (the local stack).
   */
  endpoint?: string;
  /** Default: OTLP/HTTP, protobuf unless OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL says http/json. */
  traceExporter?: SpanExporter;
  /**
   * Default: OTLP/HTTP like traces, run in a worker thread with its own batch processor, so that
   * building and encoding log records stays off the log call (see docs/logging.md). An exporter
   * given here runs in this thread, in the SDK's LoggerProvider.
   */
  logExporter?: LogRecordExporter;
  /** Span batching; OTEL_BSP_* variables apply. */
  spanBatch?: BatchOptions;
  /** Log record batching; OTEL_BLRP_* variables apply. */
  logBatch?: BatchOptions;
  /** Flush on SIGTERM, SIGINT and when the event loop empties. Default true. */
  flushOnExit?: boolean;
  /** Detect host, process and OTEL_RESOURCE_ATTRIBUTES resources. Default true. */
  autoDetectResources?: boolean;
}

export interface SignalStats extends ExportCounts {
  /** Items handed to the batch processor. */
  ended: number;
  /** ended - exported - failed: queued now; after shutdown(), items that were dropped. */
  unaccounted: number;
}

export interface InstrumentationStats extends EventBridgeStats {
  export: { spans: SignalStats; logs: SignalStats };
}

export interface Instrumentation extends EventBridge {
  logger: winston.Logger;
  tracer: Tracer;
  serviceName: string | undefined;
  stats(): InstrumentationStats;
  /** Exports everything queued; resolves when sent (or failed and counted). */
  forceFlush(): Promise<void>;
  /** Flushes traces and logs, then stops the SDK. Idempotent. */
  shutdown(): Promise<void>;
}

let current: Instrumentation | undefined;

/**
 * Sets up tracing and logging for this process. A second call returns the first instance (the
 * OpenTelemetry API has one global provider per process) and warns when asked for another service.
 */
export function instrument(options: InstrumentOptions = {}, env: NodeJS.ProcessEnv = process.env): Instrumentation {
  const serviceName = resolveServiceName(options.serviceName, env);
  if (current) {
    if (serviceName !== undefined && serviceName !== current.serviceName) {
      diag.warn(`quantm-events: instrument() was already called for service "${current.serviceName}"; returning that instance, not one for "${serviceName}"`);
    }
    return current;
  }
  const spanBatch = resolveBatch("OTEL_BSP_", options.spanBatch, env);
  const logBatch = resolveBatch("OTEL_BLRP_", options.logBatch, env);
  const spanExporter = new CountingExporter<ReadableSpan>(
    options.traceExporter ?? defaultTraceExporter(resolveProtocol("TRACES", env), signalUrl(options.endpoint, "traces")),
    "spans",
  );
  const logProtocol = resolveProtocol("LOGS", env);
  const logExporter = new CountingExporter<SdkLogRecord>(options.logExporter ?? defaultLogExporter(logProtocol, signalUrl(options.endpoint, "logs")), "logs");
  const spansEnded = new EndCounter();
  const logsEmitted = new EmitCounter();

  const resourceAttributes: Attributes = { ...options.resourceAttributes };
  const serviceVersion = resolveServiceVersion(options.serviceVersion, process.cwd());
  if (serviceVersion !== undefined) resourceAttributes[ATTR_SERVICE_VERSION] = serviceVersion;

  const sdk = new NodeSDK({
    ...(serviceName !== undefined ? { serviceName } : {}),
    resource: defaultResource().merge(resourceFromAttributes(resourceAttributes)),
    autoDetectResources: options.autoDetectResources ?? true,
    idGenerator: eventIdGenerator,
    ...(options.sampler ? { sampler: options.sampler } : {}),
    spanProcessors: [spansEnded, new BatchSpanProcessor(spanExporter, spanBatch)],
    logRecordProcessors: [logsEmitted, new BatchLogRecordProcessor({ exporter: logExporter, ...logBatch })],
    // No metrics unless the user sets up their own: without this the SDK exports metrics to :4318.
    metricReaders: [],
    instrumentations: [],
  });
  sdk.start();

  const bridge = createEventBridge({
    tracerProvider: trace.getTracerProvider(),
    idGenerator: eventIdGenerator,
    ...(options.sampler ? { sampler: options.sampler } : {}),
    ...(options.placement ? { placement: options.placement } : {}),
    ...(options.payload ? { payload: options.payload } : {}),
    ...(options.lineageIndexSize !== undefined ? { lineageIndexSize: options.lineageIndexSize } : {}),
    ...(options.onInvalid ? { onInvalid: options.onInvalid } : {}),
  });
  // The logger's records go to the export thread, unless an exporter object was given (it cannot
  // cross threads); other users of the global Logs API keep the SDK's provider in this thread.
  const exportThread =
    options.logExporter === undefined
      ? startExportThread({ protocol: logProtocol, url: signalUrl(options.endpoint, "logs"), batch: logBatch, env, resource: settledAttributes(sdk) })
      : undefined;
  setDefaultExportSink(exportThread);
  const logger = createLogger({ ...options.logger, ...(exportThread ? { exportSink: exportThread } : { loggerProvider: logs.getLoggerProvider() }) });

  const signalStats = (ended: number, counts: ExportCounts): SignalStats => ({
    ...counts,
    ended,
    unaccounted: ended - counts.exported - counts.failed,
  });
  const logStats = (): SignalStats => {
    if (exportThread === undefined) return signalStats(logsEmitted.count, logExporter.counts);
    const off = exportThread.stats();
    const lastError = off.lastError ?? logExporter.counts.lastError;
    return signalStats(logsEmitted.count + off.ended, {
      exported: logExporter.counts.exported + off.exported,
      failed: logExporter.counts.failed + off.failed,
      ...(lastError !== undefined ? { lastError } : {}),
    });
  };

  let shuttingDown: Promise<void> | undefined;
  const instance: Instrumentation = {
    record: (event, opts) => bridge.record(event, opts),
    withEvent: (event, fn, opts) => bridge.withEvent(event, fn, opts),
    handle: (event, fn) => bridge.handle(event, fn),
    logger,
    tracer: trace.getTracer(TRACER_NAME),
    serviceName,
    stats: () => ({
      ...bridge.stats(),
      export: {
        spans: signalStats(spansEnded.count, spanExporter.counts),
        logs: logStats(),
      },
    }),
    forceFlush: async () => {
      // Logs first: a record written as the last act of a span must not wait for the next flush.
      await flushLogger();
      await settle(exportThread?.forceFlush());
      await settle((logs.getLoggerProvider() as { forceFlush?: () => Promise<void> }).forceFlush?.());
      await settle((trace.getTracerProvider() as { getDelegate?: () => { forceFlush?: () => Promise<void> } }).getDelegate?.().forceFlush?.());
    },
    shutdown: () => {
      shuttingDown ??= (async () => {
        detachExitHooks();
        await instance.forceFlush();
        await settle(exportThread?.shutdown());
        if (exportThread !== undefined) setDefaultExportSink(undefined);
        await settle(sdk.shutdown());
        const { spans, logs: records } = instance.stats().export;
        if (spans.unaccounted > 0 || records.unaccounted > 0 || spans.failed > 0 || records.failed > 0) {
          diag.warn(`quantm-events: at shutdown, spans: ${spans.exported} exported, ${spans.failed} failed, ${spans.unaccounted} dropped; logs: ${records.exported} exported, ${records.failed} failed, ${records.unaccounted} dropped`);
        }
      })();
      return shuttingDown;
    },
  };

  const detachExitHooks = options.flushOnExit === false ? () => {} : attachExitHooks(() => instance.shutdown());
  current = instance;
  return instance;
}

/**
 * The SDK's resource once its detectors have settled. NodeSDK keeps it in a private field, read
 * here (checked, so that an upgrade that renames it falls back loudly rather than silently).
 */
async function settledAttributes(sdk: NodeSDK): Promise<Attributes> {
  const resource = (sdk as unknown as { _resource?: Resource })._resource;
  if (resource === undefined || typeof resource.merge !== "function") {
    diag.warn("quantm-events: NodeSDK keeps no `_resource` (@opentelemetry/sdk-node 0.223); log records are exported with the default resource");
    return defaultResource().attributes;
  }
  // A detector that never settles must not hold the records (and a flush) forever.
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, RESOURCE_WAIT_MS).unref()));
  await Promise.race([resource.waitForAsyncAttributes?.(), limit]);
  clearTimeout(timer);
  return resource.attributes;
}

const RESOURCE_WAIT_MS = 5_000;

/** The export thread, or undefined (records then built in the log call) when no worker can start. */
function startExportThread(options: LogExportThreadOptions): LogExportThread | undefined {
  try {
    return new LogExportThread(options);
  } catch (error) {
    diag.warn(`quantm-events: the log export thread could not start (${(error as Error).message}); log records are built in the log call`);
    return undefined;
  }
}

/** Counts sampled spans as they end; with the exporter's counts it tells what was dropped. */
class EndCounter implements SpanProcessor {
  count = 0;
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & 1) === 1) this.count++;
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

class EmitCounter implements LogRecordProcessor {
  count = 0;
  onEmit(): void {
    this.count++;
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** winston hands records to transports through streams: one macrotask lets those writes land. */
function flushLogger(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function settle(p: Promise<unknown> | undefined): Promise<void> {
  try {
    await p;
  } catch (err) {
    diag.warn(`quantm-events: flush failed: ${(err as Error).message}`);
  }
}

/**
 * Flush on SIGTERM/SIGINT, then let the signal do what it would have done: when nobody else
 * listens, re-raise it so the process exits as before. Also flush when the event loop empties.
 */
function attachExitHooks(shutdown: () => Promise<void>): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    void shutdown().finally(() => {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  const onBeforeExit = (): void => {
    void shutdown();
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  process.once("beforeExit", onBeforeExit);
  return () => {
    process.removeListener("SIGTERM", onSignal);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("beforeExit", onBeforeExit);
  };
}
