// createLogger: a winston logger whose records are correlated with the active event span,
// exported as OTLP log records, and added to that span as span events. Options are resolved
// here, once; the per-record path is the formats and the transport.
import { diag } from "@opentelemetry/api";
import type { LoggerProvider } from "@opentelemetry/api-logs";
import { Writable } from "node:stream";
import winston from "winston";
import { captureContextAtCall } from "./capture.js";
import { correlationFormat } from "./correlation.js";
import { correlatedJsonFormat } from "./json.js";
import { atLoggerLevelWriters, levelGateFormat } from "./level-gate.js";
import { createLineWriter, type LogLineSink } from "./line-export.js";
import { createOtlpWriter } from "./otlp-transport.js";
import { createSpanEventWriter, type SpanEventOptions } from "./span-events.js";
import type { LogInfo } from "./symbols.js";

export interface CreateLoggerOptions {
  /** Lowest level logged. Default "info". */
  level?: string;
  /** Level names and ranks (lower is more severe). Default winston's npm levels. */
  levels?: Readonly<Record<string, number>>;
  /** Fields every record carries (e.g. `{ service: "pr-bot" }`). */
  defaultMeta?: Record<string, unknown>;
  /**
   * Your format, applied after the correlation (so it sees `trace_id` and the `quantm.*`
   * fields) and before span events (so a record it drops makes no span event, and a field it
   * redacts stays redacted). It is the output format too: default one JSON object per line;
   * `prettyFormat()` for development.
   */
  format?: winston.Logform.Format;
  /**
   * Where lines go. Default one Console transport; `[]` for none (export only). OTLP export is not one of them: it is a step
   * of the format chain, so it needs no transport of its own.
   */
  transports?: winston.transport[];
  /** Export records as OTLP log records. Default true. */
  otlp?: boolean;
  /**
   * The LoggerProvider records are exported through, in the log call. Default: instrument()'s
   * export thread when instrument() has run, else the global provider of `@opentelemetry/api-logs`
   * (set by the OTel NodeSDK).
   */
  loggerProvider?: LoggerProvider;
  /**
   * Hand records, as JSON lines, to a sink that exports them elsewhere (instrument() passes its
   * export thread). Wins over `loggerProvider`.
   */
  exportSink?: LogLineSink;
  /** Add records to the active event span as span events. Default true, from level "info". */
  spanEvents?: boolean | Omit<SpanEventOptions, "levels">;
  /** Log nothing. */
  silent?: boolean;
}

let defaultExportSink: LogLineSink | undefined;

/** The sink loggers created without `loggerProvider` or `exportSink` export to (instrument()'s). */
export function setDefaultExportSink(sink: LogLineSink | undefined): void {
  defaultExportSink = sink;
}

export function createLogger(options: CreateLoggerOptions = {}): winston.Logger {
  const levels = options.levels ?? winston.config.npm.levels;
  const level = options.level ?? "info";
  if (levels[level] === undefined) {
    throw new TypeError(`createLogger: level: expected one of ${Object.keys(levels).join(", ")}, got ${JSON.stringify(level)}`);
  }
  const spanEvents = options.spanEvents ?? true;
  // level gate → correlation → your format (or JSON) → span event + OTLP record. The span event
  // and the OTLP record see the record as your format left it (dropped, redacted), follow the
  // logger's level like a transport without a level of its own (checked once for both), and run
  // inside the log call (the OTLP record's expensive part in instrument()'s export thread).
  let self: winston.Logger | undefined;
  const getLogger = (): winston.Logger => self!;
  const formats: winston.Logform.Format[] = [levelGateFormat(getLogger)];
  formats.push(...(options.format ? [correlationFormat(), options.format] : [correlatedJsonFormat()]));
  const writers: ((info: LogInfo) => void)[] = [];
  if (spanEvents !== false) writers.push(createSpanEventWriter({ ...(spanEvents === true ? {} : spanEvents), levels }));
  if (options.otlp !== false) {
    const sink = options.exportSink ?? (options.loggerProvider ? undefined : defaultExportSink);
    writers.push(
      sink
        ? createLineWriter(sink, { lineIsJson: !options.format })
        : createOtlpWriter(options.loggerProvider ? { loggerProvider: options.loggerProvider } : {}),
    );
  }
  if (writers.length > 0) formats.push(atLoggerLevelWriters(writers, getLogger));

  const transports: winston.transport[] = options.transports ? [...options.transports] : [new winston.transports.Console()];
  // `transports: []` means "export only": winston warns on every record without a transport
  // (printing the record), so it gets one that writes nothing.
  if (transports.length === 0) transports.push(new winston.transports.Stream({ stream: nullStream() }));

  const logger = winston.createLogger({
    level,
    levels: { ...levels },
    format: winston.format.combine(...formats),
    transports,
    ...(options.defaultMeta ? { defaultMeta: options.defaultMeta } : {}),
    ...(options.silent !== undefined ? { silent: options.silent } : {}),
    exitOnError: false,
  });
  self = logger;
  captureContextAtCall(logger);
  // A transport that fails (a closed file, a broken pipe) makes winston emit "error" on the
  // logger, and an "error" nobody listens to throws: the telemetry path must not take the
  // service down, so failures are reported through OpenTelemetry's diag logger instead.
  logger.on("error", (error: unknown) => {
    diag.error("quantm-events logger: a transport failed", error);
  });
  return logger;
}

/** A stream that discards what it is given, for loggers that only export (OTLP, span events). */
function nullStream(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
