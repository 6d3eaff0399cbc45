// OTLP export of winston records through the OpenTelemetry Logs SDK. The mapping (severity from
// the level, body = message, attributes = fields, exception.* from errors, span context from the
// context captured at the call) is @opentelemetry/winston-transport's; this subclass adds two
// things it lacks: a LoggerProvider of your choice instead of only the global one, no invented
// exceptions (see `log`), and records bounded to what a log store accepts (export-bounds.ts).
import { diag } from "@opentelemetry/api";
import type { LoggerProvider } from "@opentelemetry/api-logs";
import winston from "winston";
import { logs } from "@opentelemetry/api-logs";
import { OpenTelemetryTransportV3, type OpenTelemetryTransportV3Options } from "@opentelemetry/winston-transport";
import { boundForExport } from "./export-bounds.js";
import { SPLAT, type LogInfo } from "./symbols.js";

/** Instrumentation scope of the exported log records. */
export const LOG_SCOPE_NAME = "quantm-events";

export interface OtlpTransportOptions extends OpenTelemetryTransportV3Options {
  /**
   * Where records go. Default: the global LoggerProvider of `@opentelemetry/api-logs`, looked up
   * lazily, so a logger created before the SDK starts still exports once it has.
   */
  loggerProvider?: LoggerProvider;
}

export class OtlpTransport extends OpenTelemetryTransportV3 {
  constructor(options: OtlpTransportOptions = {}) {
    const { loggerProvider, ...rest } = options;
    super(rest);
    // The parent takes its Logger from the global provider in its constructor and keeps it in a
    // private field; there is no option for another provider. Checked, so that an upgrade that
    // renames the field fails here, loudly, instead of exporting to the wrong place.
    const self = this as unknown as { _logger?: unknown };
    if (typeof self._logger !== "object" || self._logger === null) {
      throw new TypeError(
        "OtlpTransport: expected OpenTelemetryTransportV3 to keep its Logger in `_logger` (@opentelemetry/winston-transport 0.34), found none",
      );
    }
    self._logger = (loggerProvider ?? logs.getLoggerProvider()).getLogger(LOG_SCOPE_NAME);
  }

  /**
   * winston-transport 0.34 takes any string, number or object with a `name`, `message`, `code`
   * or `stack` among a call's extra arguments for an exception, so `logger.info("created",
   * { name: "bob" })` (whose metadata winston also keeps as an extra argument) would export
   * `exception.type = "bob"`. Only real Errors there are exceptions: any other extra arguments
   * are hidden from the parent while it builds the record (synchronously), then restored for
   * the transports after this one.
   */
  override log(info: LogInfo, callback: () => void): void {
    let record: LogInfo;
    try {
      record = boundForExport(info);
    } catch (error) {
      // A field whose getter throws: reported like any record the parent cannot build.
      this.emit("warn", error);
      callback();
      return;
    }
    const splat = record[SPLAT];
    if (!Array.isArray(splat) || splat.some((value) => value instanceof Error)) {
      super.log(record, callback);
      return;
    }
    record[SPLAT] = undefined;
    try {
      super.log(record, callback);
    } finally {
      record[SPLAT] = splat;
    }
  }
}

/**
 * OTLP export as a step of the logger's format chain rather than as a winston transport: the same
 * OtlpTransport mapping, called directly. Every winston transport is a stream that the logger
 * pipes each record into, and that plumbing cost about as much per record as a JSON line
 * (bench/log.ts); `createLogger` uses this step. Put it last in the chain.
 */
export function otlpFormat(options: OtlpTransportOptions = {}): winston.Logform.Format {
  const write = createOtlpWriter(options);
  return winston.format((info) => {
    write(info as LogInfo);
    return info;
  })();
}

/** The same as a function of the record, for a format step that does more than this. */
export function createOtlpWriter(options: OtlpTransportOptions = {}): (info: LogInfo) => void {
  const transport = new OtlpTransport(options);
  let warned = false;
  // The parent reports a record it could not build as a "warn" event; say so once, via diag.
  transport.on("warn", (error: unknown) => {
    if (warned) return;
    warned = true;
    diag.warn("quantm-events: a log record could not be exported (reported once)", error);
  });
  const done = (): void => {};
  return (info) => transport.log(info, done);
}
