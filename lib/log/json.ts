// JSON lines for the console (and any stream transport). winston's json() re-configures
// safe-stable-stringify on every call and sorts keys; this format serializes with the native
// JSON.stringify, in insertion order (level and message first), and falls back to winston's
// cycle-safe serializer only for the records that need it: cycles, BigInts, a toJSON that throws.
import winston from "winston";
import { applyCorrelation, correlationOf, hasCorrelationKey, normalizeRecord, recordContext } from "./correlation.js";
import { ERROR_KEYS } from "./exception.js";
import { MESSAGE, type LogInfo } from "./symbols.js";

function errorToJSON(error: Error): Record<string, unknown> {
  const extra = error as { code?: unknown; cause?: unknown };
  return {
    ...error,
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(extra.code !== undefined ? { code: extra.code } : {}),
    ...(extra.cause !== undefined ? { cause: extra.cause } : {}),
  };
}

// Errors have no enumerable fields: without this a logged error prints as {}.
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return errorToJSON(value);
  return value;
}

const safe = winston.format.json({ deterministic: false, replacer });

function hasErrorField(info: LogInfo): boolean {
  for (const key of ERROR_KEYS) if (info[key] instanceof Error) return true;
  return false;
}

/** Serializes a record as one JSON line; never throws. */
export function serializeRecord(info: LogInfo): string {
  if (!hasErrorField(info)) {
    try {
      return JSON.stringify(info);
    } catch {
      // a cycle, a BigInt or a throwing toJSON: the safe path below.
    }
  }
  // logform's json() writes its line into the record; the line written before (another
  // format's output, which the OTLP step must not overwrite) is put back.
  const before = info[MESSAGE];
  try {
    safe.transform(info, safe.options);
    return info[MESSAGE] as string;
  } catch (error) {
    return JSON.stringify({ level: info.level, message: describe(info.message), "quantm.log.serialization_error": describe(error) });
  } finally {
    info[MESSAGE] = before;
  }
}

function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** The default output format of `createLogger`: one JSON object per line. */
export function jsonFormat(): winston.Logform.Format {
  return winston.format((info) => {
    info[MESSAGE] = serializeRecord(info as LogInfo);
    return info;
  })();
}

/**
 * Correlation and JSON in one step: the default of `createLogger` when no format is given.
 * The line is the same as `correlationFormat()` followed by `jsonFormat()` would write, but the
 * correlation's ten members come from a per-span cache as ready JSON (pino does the same with a
 * child logger's bindings): only the call's own fields are serialized per record. The keys are
 * then added to the record as well, for the span event, the OTLP record and other transports.
 */
export function correlatedJsonFormat(): winston.Logform.Format {
  return winston.format((input) => {
    const info = normalizeRecord(input as LogInfo);
    const c = correlationOf(recordContext(info));
    if (c === undefined) {
      info[MESSAGE] = serializeRecord(info);
      return info;
    }
    if (hasCorrelationKey(info)) {
      // The call passed a trace_id (or another correlation key) of its own: the span's wins, and
      // the line must not hold the key twice.
      applyCorrelation(info, c);
      info[MESSAGE] = serializeRecord(info);
      return info;
    }
    const own = serializeRecord(info);
    info[MESSAGE] = own.length <= 2 ? `{${c.json}}` : `${own.slice(0, -1)},${c.json}}`;
    applyCorrelation(info, c);
    return info;
  })();
}
