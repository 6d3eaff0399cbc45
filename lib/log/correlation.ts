// The format that correlates a winston record with the event span it was written in: trace ids
// from the active span, the event's context fields from the seam the bridge fills
// (lib/trace/active-event.ts), and the call's OTel context kept on the record for the OTLP
// transport. It reads `context.active()` itself, so it needs no require-hook instrumentation and
// works the same in ESM and CJS, whichever module was imported first.
import { context, trace, INVALID_SPANID, INVALID_TRACEID, type Context, type Span } from "@opentelemetry/api";
import winston from "winston";
import { getActiveEvent, type ActiveEvent, type EventLogFields } from "../trace/active-event.js";
import { normalizeErrorInfo } from "./exception.js";
import { OTEL_CONTEXT, type LogInfo } from "./symbols.js";

/** Record keys of the active span's ids (the names OpenTelemetry's winston instrumentation uses). */
export const TRACE_ID_KEY = "trace_id";
export const SPAN_ID_KEY = "span_id";
export const TRACE_FLAGS_KEY = "trace_flags";

/** The event context keys a correlated record carries (the seam's `EventLogFields`). */
export const EVENT_FIELD_KEYS = [
  "quantm.event.id",
  "quantm.context.scope",
  "quantm.context.action",
  "quantm.context.hook",
  "quantm.subject.id",
  "quantm.subject.name",
  "quantm.subject.team_id",
] as const;

/** Every key the correlation writes: ids and context, not fields of the call. */
export const CORRELATION_KEYS: ReadonlySet<string> = new Set<string>([TRACE_ID_KEY, SPAN_ID_KEY, TRACE_FLAGS_KEY, ...EVENT_FIELD_KEYS]);

// W3C trace flags as two hex digits, precomputed: "01" for a sampled span.
const FLAGS_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The OTel context of a record: the one captured at the call, or else the active one (kept). */
export function recordContext(info: LogInfo): Context {
  const captured = info[OTEL_CONTEXT] as Context | undefined;
  if (captured !== undefined) return captured;
  const active = context.active();
  info[OTEL_CONTEXT] = active;
  return active;
}

/** What a record written in a given span (and event) gets: computed once per span, then reused. */
export interface Correlation {
  /** The span's ids; undefined when the context holds no valid span. */
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly traceFlags: string | undefined;
  /** The event's context fields; undefined outside events. */
  readonly fields: EventLogFields | undefined;
  /** The same, as JSON object members (`"trace_id":"…",…`), for the JSON output. */
  readonly json: string;
  readonly active: ActiveEvent | undefined;
}

// Per span, because a span's ids never change and an event's fields are fixed when its span
// starts: a record then costs a WeakMap lookup instead of re-reading and re-escaping ten values.
const bySpan = new WeakMap<Span, Correlation>();

function build(span: Span | undefined, active: ActiveEvent | undefined): Correlation | undefined {
  let traceId: string | undefined;
  let spanId: string | undefined;
  let traceFlags: string | undefined;
  if (span !== undefined) {
    const sc = span.spanContext();
    // The ids come from an SDK or a propagator, which both reject malformed ones; only the
    // all-zero "invalid" context (a non-recording placeholder) needs ruling out here.
    if (sc.traceId !== INVALID_TRACEID && sc.spanId !== INVALID_SPANID) {
      traceId = sc.traceId;
      spanId = sc.spanId;
      traceFlags = FLAGS_HEX[sc.traceFlags & 0xff];
    }
  }
  const fields = active?.logFields;
  if (traceId === undefined && fields === undefined) return undefined;
  const members: Record<string, unknown> = traceId === undefined ? {} : { [TRACE_ID_KEY]: traceId, [SPAN_ID_KEY]: spanId, [TRACE_FLAGS_KEY]: traceFlags };
  if (fields !== undefined) for (const key of EVENT_FIELD_KEYS) members[key] = fields[key];
  return { traceId, spanId, traceFlags, fields, json: JSON.stringify(members).slice(1, -1), active };
}

/** The correlation of a record written in `ctx`, or undefined outside spans and events. */
export function correlationOf(ctx: Context): Correlation | undefined {
  const span = trace.getSpan(ctx);
  const active = getActiveEvent(ctx);
  if (span === undefined) return active === undefined ? undefined : build(undefined, active);
  const cached = bySpan.get(span);
  if (cached !== undefined && cached.active === active) return cached;
  const fresh = build(span, active);
  if (fresh !== undefined) bySpan.set(span, fresh);
  return fresh;
}

/** Writes a correlation's keys into a record. */
export function applyCorrelation(info: LogInfo, c: Correlation): void {
  if (c.traceId !== undefined) {
    info[TRACE_ID_KEY] = c.traceId;
    info[SPAN_ID_KEY] = c.spanId;
    info[TRACE_FLAGS_KEY] = c.traceFlags;
  }
  const f = c.fields;
  if (f !== undefined) {
    // Seven plain stores with constant keys: cheaper than Object.assign or a loop, and they
    // keep the record's hidden class the same from one call to the next.
    info["quantm.event.id"] = f["quantm.event.id"];
    info["quantm.context.scope"] = f["quantm.context.scope"];
    info["quantm.context.action"] = f["quantm.context.action"];
    info["quantm.context.hook"] = f["quantm.context.hook"];
    info["quantm.subject.id"] = f["quantm.subject.id"];
    info["quantm.subject.name"] = f["quantm.subject.name"];
    info["quantm.subject.team_id"] = f["quantm.subject.team_id"];
  }
}

/** True when the call itself passed one of the correlation keys (e.g. an upstream trace_id). */
export function hasCorrelationKey(info: LogInfo): boolean {
  // Walking the record's few keys costs a fifth of probing it for ten absent ones (measured).
  for (const key in info) if (CORRELATION_KEYS.has(key)) return true;
  return false;
}

/** A record whose `message` or whole self is an Error, made printable (see normalizeErrorInfo). */
export function normalizeRecord(info: LogInfo): LogInfo {
  return info instanceof Error || info.message instanceof Error ? normalizeErrorInfo(info) : info;
}

/**
 * Adds `trace_id`, `span_id`, `trace_flags` (inside any valid span) and the event's
 * `quantm.*` context (inside an event or handle span, or a span started within one) to `info`.
 * Outside any span it adds nothing. Never throws on well-formed winston records.
 */
export function correlate(input: LogInfo): LogInfo {
  const info = normalizeRecord(input);
  const c = correlationOf(recordContext(info));
  if (c !== undefined) applyCorrelation(info, c);
  return info;
}

/**
 * The correlation as a winston format, for loggers you build yourself. Put it first, so that
 * your formats and transports see the fields:
 * `winston.createLogger({ format: combine(correlationFormat(), json(), spanEventFormat()) })`.
 */
export function correlationFormat(): winston.Logform.Format {
  return winston.format((info) => correlate(info as LogInfo))();
}
