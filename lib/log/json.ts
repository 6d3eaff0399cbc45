// JSON lines for the console (and any stream transport). winston's json() re-configures
// safe-stable-stringify on every call and sorts keys; this format serializes with the native
// JSON.stringify, in insertion order (level and message first), and falls back to winston's
// cycle-safe serializer only for the records that need it: cycles, BigInts, a toJSON that throws.
import winston from "winston";
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
  try {
    safe.transform(info, safe.options);
    return info[MESSAGE] as string;
  } catch (error) {
    return JSON.stringify({ level: info.level, message: describe(info.message), "quantm.log.serialization_error": describe(error) });
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
