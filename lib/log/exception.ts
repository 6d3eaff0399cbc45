// Errors in log records: where winston puts them, and the OpenTelemetry `exception.*` attributes
// they give. The places searched are those @opentelemetry/winston-transport searches for the
// exported record, so a span event and its OTLP twin describe the same exception.
import type { Attributes } from "@opentelemetry/api";
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_STACKTRACE, ATTR_EXCEPTION_TYPE } from "@opentelemetry/semantic-conventions";
import { LEVEL, SPLAT, type LogInfo } from "./symbols.js";
import { truncate } from "./flatten.js";

/** The record keys that may hold the error of a record, in the order they are searched. */
export const ERROR_KEYS = ["err", "error"] as const;

export interface FoundException {
  readonly type: string | undefined;
  readonly message: string | undefined;
  readonly stack: string | undefined;
  /** Record keys that describe the exception and so are not fields of their own. */
  readonly keys: readonly string[];
}

const STACK_KEYS = ["stack", "name", "code"] as const;

/**
 * The exception a record carries: an Error in `err` or `error`, else an Error among the extra
 * arguments of the call (`logger.error("failed", err)`), else a `stack` string on the record
 * itself (`logger.error(err)`, once normalized).
 */
export function findException(info: LogInfo): FoundException | undefined {
  for (const key of ERROR_KEYS) {
    const value = info[key];
    if (value instanceof Error) return fromError(value, [key]);
  }
  const splat = info[SPLAT];
  if (Array.isArray(splat)) {
    for (const value of splat) if (value instanceof Error) return fromError(value, []);
  }
  if (typeof info.stack === "string") {
    const named = typeof info.name === "string" ? info.name : /^([^:\n]+):/.exec(info.stack)?.[1];
    return {
      type: codeOf(info.code) ?? named,
      message: typeof info.message === "string" ? info.message : undefined,
      stack: info.stack,
      keys: STACK_KEYS,
    };
  }
  return undefined;
}

function fromError(error: Error, keys: readonly string[]): FoundException {
  return {
    type: codeOf((error as { code?: unknown }).code) ?? (typeof error.name === "string" ? error.name : error.constructor?.name),
    message: typeof error.message === "string" ? error.message : undefined,
    stack: typeof error.stack === "string" ? error.stack : undefined,
    keys,
  };
}

// sdk-logs and Span.recordException both prefer an error's `code` (ECONNREFUSED) to its name.
function codeOf(code: unknown): string | undefined {
  return typeof code === "string" || typeof code === "number" ? String(code) : undefined;
}

export function addExceptionAttributes(out: Attributes, found: FoundException, maxValueLength: number, maxStackLength: number): void {
  if (found.type !== undefined) out[ATTR_EXCEPTION_TYPE] = truncate(found.type, maxValueLength);
  if (found.message !== undefined) out[ATTR_EXCEPTION_MESSAGE] = truncate(found.message, maxValueLength);
  if (found.stack !== undefined) out[ATTR_EXCEPTION_STACKTRACE] = truncate(found.stack, maxStackLength);
}

/**
 * `logger.error(err)` hands winston the Error itself as the record, and an Error's `message` and
 * `stack` are not enumerable: JSON output would show neither. Like logform's `errors({ stack:
 * true })`, this turns such a record (or one whose `message` is an Error) into a plain record
 * with `message` and `stack` (and `name`, `code`, `cause` when set) as fields.
 */
export function normalizeErrorInfo(info: LogInfo): LogInfo {
  if (info instanceof Error) {
    const error: Error = info;
    const out: LogInfo = Object.assign({}, info, { level: info.level, message: error.message });
    out[LEVEL] = info[LEVEL] ?? info.level;
    copyErrorFields(out, error);
    return out;
  }
  const message = info.message;
  if (message instanceof Error) {
    const out: LogInfo = Object.assign({}, info, { message: message.message });
    copyErrorFields(out, message);
    return out;
  }
  return info;
}

function copyErrorFields(out: LogInfo, error: Error): void {
  if (typeof error.stack === "string") out.stack = error.stack;
  if (error.name !== "Error") out.name = error.name;
  const extra = error as { code?: unknown; cause?: unknown };
  if (extra.code !== undefined) out.code = extra.code;
  if (extra.cause !== undefined) out.cause = extra.cause;
}
