// The well-known symbols a winston record carries. They are registry symbols (`Symbol.for`), so
// the copies held by winston, logform, triple-beam and @opentelemetry/winston-transport are the
// same values as these, whichever copy of those packages the host loaded.

/** The level as logged, never colorized (triple-beam LEVEL). */
export const LEVEL = Symbol.for("level");
/** The serialized line a transport writes (triple-beam MESSAGE). */
export const MESSAGE = Symbol.for("message");
/** Extra positional arguments of the log call (triple-beam SPLAT). */
export const SPLAT = Symbol.for("splat");
/**
 * The OpenTelemetry context of the log call. `@opentelemetry/winston-transport` reads it to give
 * the exported record the span context active at the call, not at the (possibly later) moment
 * the transport runs.
 */
export const OTEL_CONTEXT = Symbol.for("opentelemetry.js.contrib.winston.context");

/** A winston record as the formats and transports of this folder see it. */
export interface LogInfo {
  level: string;
  message: unknown;
  [key: string]: unknown;
  [key: symbol]: unknown;
}
