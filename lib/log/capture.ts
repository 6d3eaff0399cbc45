// Pins each record to the OpenTelemetry context of the log call. winston formats usually run
// inside the call, but not always: when a transport applies backpressure, winston buffers the
// record and formats it later, in whatever context is active then. Stamping the context when
// the record enters the logger (its `write`, which every level method, `log()` and child logger
// goes through) makes the correlation, the span event and the OTLP record use the span active
// at the call in every case.
import { context } from "@opentelemetry/api";
import type winston from "winston";
import { OTEL_CONTEXT, type LogInfo } from "./symbols.js";

type Write = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;

export function captureContextAtCall(logger: winston.Logger): void {
  const write = logger.write as Write;
  const stamped: Write = function (this: winston.Logger, chunk, encoding, callback) {
    if (chunk !== null && typeof chunk === "object" && (chunk as LogInfo)[OTEL_CONTEXT] === undefined) {
      (chunk as LogInfo)[OTEL_CONTEXT] = context.active();
    }
    return write.call(this, chunk, encoding, callback);
  };
  (logger as { write: Write }).write = stamped;
}
