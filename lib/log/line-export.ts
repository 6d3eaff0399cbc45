// OTLP export in two halves, so that the expensive half can run off the log call's thread.
//
// On the call's path (`createLineWriter`), a record becomes a JSON line and three values: the
// time, the level and, when the line does not carry them, the span's ids and the call's Errors.
// With the default JSON output the line is the one already written for the console, so this
// half costs a few stores.
// Elsewhere (`recordFromLine`, e.g. in instrument()'s export thread) the line becomes a winston
// record again, which goes through the same OtlpTransport mapping (winston-transport's, bounded
// by export-bounds.ts) into a LoggerProvider as an in-thread record would.
import { ROOT_CONTEXT, trace, type Context } from "@opentelemetry/api";
import type { Logger, LoggerProvider, LogRecord } from "@opentelemetry/api-logs";
import { correlationOf, recordContext, SPAN_ID_KEY, TRACE_FLAGS_KEY, TRACE_ID_KEY } from "./correlation.js";
import { ERROR_KEYS } from "./exception.js";
import { serializeRecord } from "./json.js";
import { OtlpTransport } from "./otlp-transport.js";
import { LEVEL, MESSAGE, OTEL_CONTEXT, SPLAT, type LogInfo } from "./symbols.js";

/** An Error among a call's extra arguments, as plain data. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string | number;
}

/**
 * What a record needs besides its line: the span's ids when the line does not carry them (a
 * format of yours wrote it), and Errors among the call's extra arguments.
 */
export interface LineExtras {
  traceId?: string;
  spanId?: string;
  traceFlags?: string;
  errors?: SerializedError[];
}

/**
 * `extras` of a record written outside any span: the line may hold a `trace_id` field of the
 * call's own, which is not the record's span context.
 */
export const NO_SPAN = 0;

/**
 * Where `createLineWriter` hands records. `write` runs inside the log call: it must be cheap and
 * must never throw (a full queue is counted, not thrown). `extras` undefined: the line is this
 * package's JSON with the span's `trace_id`, `span_id` and `trace_flags`, and there are no errors
 * beside it.
 */
export interface LogLineSink {
  write(timeMs: number, level: string, line: string, extras: LineExtras | typeof NO_SPAN | undefined): void;
}

export interface LineExportOptions {
  /**
   * True when the record's output line (`info[MESSAGE]`) is this package's JSON of the whole
   * record (createLogger without a format of yours): it is then handed over as is. Otherwise the
   * record is serialized for export on its own.
   */
  lineIsJson: boolean;
}

/**
 * The call-side half, run by createLogger's last format step (level-gate.ts
 * `atLoggerLevelWriters`): hands each record to `sink`.
 */
export function createLineWriter(sink: LogLineSink, options: LineExportOptions): (info: LogInfo) => void {
  const { lineIsJson } = options;
  return (info) => {
    const written = info[MESSAGE];
    const json = lineIsJson && typeof written === "string";
    const line = json ? written : serializeRecord(info);
    const c = correlationOf(recordContext(info));
    const errors = splatErrors(info);
    let extras: LineExtras | typeof NO_SPAN | undefined;
    if (c?.traceId === undefined) extras = errors === undefined ? NO_SPAN : { errors };
    else if (!json || errors !== undefined) extras = { traceId: c.traceId, spanId: c.spanId!, traceFlags: c.traceFlags!, ...(errors ? { errors } : {}) };
    const level = info[LEVEL] ?? info.level;
    sink.write(callTime(), typeof level === "string" ? level : String(level), line, extras);
  };
}

// The call's time in epoch milliseconds with a fraction, on the clock the SDK's spans use
// (time origin + monotonic now): records of one process keep their order in the log store even
// within a millisecond, and line up with the span they were written in.
const TIME_ORIGIN = performance.timeOrigin;
function callTime(): number {
  return TIME_ORIGIN + performance.now();
}

// winston-transport makes the first Error among the call's extra arguments the record's
// exception; JSON lines do not carry those arguments, so they travel beside the line.
function splatErrors(info: LogInfo): SerializedError[] | undefined {
  const splat = info[SPLAT];
  if (!Array.isArray(splat)) return undefined;
  let out: SerializedError[] | undefined;
  for (const value of splat) {
    if (!(value instanceof Error)) continue;
    const code = (value as { code?: unknown }).code;
    (out ??= []).push({
      name: String(value.name),
      message: String(value.message),
      ...(typeof value.stack === "string" ? { stack: value.stack } : {}),
      ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
    });
  }
  return out;
}

/**
 * The other half: the winston record a line stands for, ready for `OtlpTransport.log`, with the
 * span context of the call (for the exported record's trace and span ids). `spanContexts` keeps
 * the last one, since consecutive records mostly come from the same span.
 */
export function recordFromLine(
  level: string,
  line: string,
  extras: LineExtras | typeof NO_SPAN | undefined,
  spanContexts: SpanContextCache = new SpanContextCache(),
): LogInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = line;
  }
  const info: LogInfo =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as LogInfo) : { level, message: parsed };
  info[LEVEL] = level;
  // An Error in `err` or `error` was written as its fields (json.ts): made an Error again, so
  // that the mapping gives it exception.* as it does in the log call's thread.
  for (const key of ERROR_KEYS) {
    const value = info[key];
    if (isSerializedError(value)) info[key] = toError(value);
  }
  if (extras !== NO_SPAN) {
    const traceId = extras === undefined ? info[TRACE_ID_KEY] : extras.traceId;
    const spanId = extras === undefined ? info[SPAN_ID_KEY] : extras.spanId;
    const traceFlags = extras === undefined ? info[TRACE_FLAGS_KEY] : extras.traceFlags;
    if (typeof traceId === "string" && typeof spanId === "string") {
      info[OTEL_CONTEXT] = spanContexts.get(traceId, spanId, typeof traceFlags === "string" ? traceFlags : undefined);
    }
    const errors = extras?.errors;
    if (errors !== undefined && errors.length > 0) info[SPLAT] = errors.map(toError);
  }
  return info;
}

function isSerializedError(value: unknown): value is SerializedError {
  if (typeof value !== "object" || value === null) return false;
  const e = value as Partial<SerializedError>;
  return typeof e.name === "string" && typeof e.message === "string";
}

function toError(e: SerializedError): Error {
  // Its fields as own properties (name, message, stack, code, cause and any of its own).
  const error = Object.assign(new Error(e.message), e);
  if (e.stack === undefined) delete error.stack;
  return error;
}

/** The OTel context of the last span seen, reused while records keep coming from it. */
export class SpanContextCache {
  private traceId = "";
  private spanId = "";
  private traceFlags: string | undefined = "";
  private context: Context = ROOT_CONTEXT;

  get(traceId: string, spanId: string, traceFlags: string | undefined): Context {
    if (traceId !== this.traceId || spanId !== this.spanId || traceFlags !== this.traceFlags) {
      this.traceId = traceId;
      this.spanId = spanId;
      this.traceFlags = traceFlags;
      const flags = traceFlags === undefined ? 0 : parseInt(traceFlags, 16);
      this.context = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: Number.isNaN(flags) ? 0 : flags, isRemote: false });
    }
    return this.context;
  }
}

/**
 * Lines back into OTLP records: `recordFromLine`, then OtlpTransport (winston-transport's mapping,
 * bounded) into `loggerProvider`, each record stamped with its log call's time rather than this
 * (later) moment. What instrument()'s export thread runs for every record.
 */
export class LineRecordExporter {
  private readonly transport: OtlpTransport;
  private readonly spanContexts = new SpanContextCache();
  private callTime = 0;

  constructor(loggerProvider: LoggerProvider, onWarn: (error: unknown) => void = () => {}) {
    const stamping: LoggerProvider = {
      getLogger: (name, version, options): Logger => {
        const logger = loggerProvider.getLogger(name, version, options);
        return {
          emit: (record: LogRecord) => {
            record.timestamp = this.callTime;
            logger.emit(record);
          },
          enabled: (opts) => logger.enabled?.(opts) ?? true,
        } as Logger;
      },
    };
    this.transport = new OtlpTransport({ loggerProvider: stamping });
    this.transport.on("warn", onWarn);
  }

  export(timeMs: number, level: string, line: string, extras: LineExtras | typeof NO_SPAN | undefined): void {
    this.callTime = timeMs;
    this.transport.log(recordFromLine(level, line, extras, this.spanContexts), noop);
  }
}

const noop = (): void => {};
