// The format that adds a log record to the active span as a span event, so Jaeger lists it under
// the span's Logs. Jaeger's tag search matches event attributes, not event names, so the level
// and message are attributes too. It runs inside the winston call (formats are synchronous) and
// reads the context captured at the call, so the event lands on the span active at the call.
import { diag, trace, type Attributes } from "@opentelemetry/api";
import winston from "winston";
import { getActiveEvent } from "../trace/active-event.js";
import { CORRELATION_KEYS, recordContext } from "./correlation.js";
import { addExceptionAttributes, findException } from "./exception.js";
import { DEFAULT_FLATTEN_LIMITS, flattenInto, truncate, type FlattenBudget, type FlattenLimits } from "./flatten.js";
import { LEVEL, type LogInfo } from "./symbols.js";

export interface SpanEventOptions {
  /** Lowest level written as a span event (by the logger's level ranks). Default "info". */
  level?: string;
  /**
   * Which spans get events: "event" (default) the spans of `withEvent` / `handle` and spans
   * started inside them; "any" every recording span.
   */
  spans?: "event" | "any";
  /** Attributes per event from the record's fields, and array elements kept. Default 32. */
  maxFields?: number;
  /** Characters kept of a string value and of the event name. Default 1024. */
  maxValueLength?: number;
  /** Object nesting flattened into dotted keys. Default 4. */
  maxDepth?: number;
  /** Characters kept of `exception.stacktrace`. Default 8192. */
  maxStackLength?: number;
  /** The logger's levels (name → rank, lower is more severe). Default winston's npm levels. */
  levels?: Readonly<Record<string, number>>;
}

/** Attribute that says how many field values did not fit the limits. */
export const ATTR_DROPPED_FIELDS = "quantm.log.dropped_fields";

interface ResolvedSpanEventOptions {
  readonly maxRank: number;
  readonly levels: Readonly<Record<string, number>>;
  readonly eventSpansOnly: boolean;
  readonly limits: FlattenLimits;
  readonly maxStackLength: number;
}

function resolve(options: SpanEventOptions): ResolvedSpanEventOptions {
  const levels = options.levels ?? winston.config.npm.levels;
  const level = options.level ?? "info";
  const maxRank = levels[level];
  if (maxRank === undefined) {
    throw new TypeError(`spanEvents.level: expected one of the logger's levels (${Object.keys(levels).join(", ")}), got ${JSON.stringify(level)}`);
  }
  const limits: FlattenLimits = {
    maxFields: positive("maxFields", options.maxFields, DEFAULT_FLATTEN_LIMITS.maxFields),
    maxValueLength: positive("maxValueLength", options.maxValueLength, DEFAULT_FLATTEN_LIMITS.maxValueLength),
    maxDepth: positive("maxDepth", options.maxDepth, DEFAULT_FLATTEN_LIMITS.maxDepth),
  };
  if (options.spans !== undefined && options.spans !== "event" && options.spans !== "any") {
    throw new TypeError(`spanEvents.spans: expected "event" or "any", got ${JSON.stringify(options.spans)}`);
  }
  return { maxRank, levels, eventSpansOnly: options.spans !== "any", limits, maxStackLength: positive("maxStackLength", options.maxStackLength, 8192) };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`spanEvents.${name}: expected a positive integer, got ${String(value)}`);
  return value;
}

/** Builds the span-event attributes of a record: level, message, exception.*, flattened fields. */
function spanEventAttributes(info: LogInfo, level: string, message: string, options: ResolvedSpanEventOptions): Attributes {
  const { limits } = options;
  const attributes: Attributes = { level, message };
  const exception = findException(info);
  if (exception !== undefined) addExceptionAttributes(attributes, exception, limits.maxValueLength, options.maxStackLength);
  const budget: FlattenBudget = { left: limits.maxFields, dropped: 0 };
  for (const key in info) {
    // level and message are above; ids and event context are already on the span.
    if (key === "level" || key === "message" || CORRELATION_KEYS.has(key)) continue;
    if (exception !== undefined && exception.keys.includes(key)) continue;
    if (!Object.prototype.hasOwnProperty.call(info, key)) continue;
    flattenInto(attributes, key, info[key], 1, budget, limits, undefined);
  }
  if (budget.dropped > 0) attributes[ATTR_DROPPED_FIELDS] = budget.dropped;
  return attributes;
}

function messageText(message: unknown): string {
  if (typeof message === "string") return message;
  if (message === undefined || message === null) return "";
  try {
    return typeof message === "object" ? JSON.stringify(message) ?? String(message) : String(message);
  } catch {
    return Object.prototype.toString.call(message);
  }
}

/**
 * Adds `info` to the span active at the log call as a span event named after the message.
 * Records below the level, outside the chosen spans, or in a span that has ended are left alone
 * (an ended span would only print a diag warning). Never throws: a logger must not take the
 * service down, so a failure is reported once through `diag` and the record goes on.
 */
export function createSpanEventWriter(options: SpanEventOptions = {}): (info: LogInfo) => void {
  const resolved = resolve(options);
  let warned = false;
  return (info) => {
    try {
      const level = (info[LEVEL] as string | undefined) ?? info.level;
      const rank = resolved.levels[level];
      if (rank === undefined || rank > resolved.maxRank) return;
      const ctx = recordContext(info);
      if (resolved.eventSpansOnly && getActiveEvent(ctx) === undefined) return;
      const span = trace.getSpan(ctx);
      if (span === undefined || !span.isRecording()) return;
      const message = truncate(messageText(info.message), resolved.limits.maxValueLength);
      span.addEvent(message, spanEventAttributes(info, level, message, resolved));
    } catch (error) {
      if (!warned) {
        warned = true;
        diag.warn("quantm-events: a log record could not be added as a span event (reported once)", error);
      }
    }
  };
}

/**
 * The span events as a winston format. Put it after the formats that may drop or redact a record,
 * so that a dropped record makes no span event and a redacted field stays redacted.
 */
export function spanEventFormat(options: SpanEventOptions = {}): winston.Logform.Format {
  const write = createSpanEventWriter(options);
  return winston.format((info) => {
    write(info as LogInfo);
    return info;
  })();
}
