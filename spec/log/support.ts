// Shared set-up of the log specs: an async context manager (registered once, kept if another
// spec file already registered one), in-memory span and log exporters, a line-collecting
// transport, and a way to make an event span active exactly as the bridge does (the seam).
import { Writable } from "node:stream";
import { context, createContextKey, diag, DiagLogLevel, trace, type Context, type DiagLogger, type Span } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import winston from "winston";
import type { QuantmEvent } from "../../lib/event/model.js";
import { eventLogFields, setActiveEvent } from "../../lib/trace/active-event.js";

const PROBE = createContextKey("quantm-events.spec.log.probe");

/** Makes sure `context.with` propagates through async calls (the API's default does not). */
export function ensureContextManager(): void {
  const works = context.with(context.active().setValue(PROBE, true), () => context.active().getValue(PROBE) === true);
  if (works) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

export interface Tracing {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  tracer: ReturnType<BasicTracerProvider["getTracer"]>;
}

export function makeTracing(): Tracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { provider, exporter, tracer: provider.getTracer("spec-log") };
}

export interface LogSink {
  provider: LoggerProvider;
  exporter: InMemoryLogRecordExporter;
}

export function makeLogSink(): LogSink {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  return { provider, exporter };
}

/** A transport that keeps each serialized line (info[MESSAGE]). */
export function lineCollector(): { transport: winston.transport; lines: string[]; json: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      lines.push(String(chunk).replace(/\n$/, ""));
      callback();
    },
  });
  return {
    transport: new winston.transports.Stream({ stream }),
    lines,
    json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export const EVENT: QuantmEvent = {
  version: "0.2.0",
  id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
  timestamp: "2026-12-04T10:00:00.000Z",
  context: {
    hook: "github",
    scope: "pull_request",
    action: "opened",
    source: "https://github.com/acme/app",
    timestamp: "2026-12-04T10:00:00.000Z",
    parent_id: "00000000-0000-0000-0000-000000000000",
  },
  subject: {
    id: "954e472d-a22f-4696-b447-2c8144d37f47",
    name: "repos",
    team_id: "0879053d-41a2-4151-a4b3-5e34252eb639",
    user_id: "00000000-0000-0000-0000-000000000000",
  },
  payload: { number: 1 },
};

export const EVENT_FIELDS = {
  "quantm.event.id": EVENT.id,
  "quantm.context.scope": "pull_request",
  "quantm.context.action": "opened",
  "quantm.context.hook": "github",
  "quantm.subject.id": EVENT.subject.id,
  "quantm.subject.name": "repos",
  "quantm.subject.team_id": EVENT.subject.team_id,
} as const;

/** The context the bridge makes active inside `withEvent`: the span plus the seam's fields. */
export function eventContext(span: Span, event: QuantmEvent = EVENT, parent: Context = context.active()): Context {
  return setActiveEvent(trace.setSpan(parent, span), { event, logFields: eventLogFields(event) });
}

/** Runs `fn` with an event span active (as `withEvent` does), ends the span, returns both. */
export function inEventSpan<T>(tracing: Tracing, fn: (span: Span) => T, event: QuantmEvent = EVENT): { span: Span; result: T } {
  const span = tracing.tracer.startSpan(`${event.context.scope}.${event.context.action}`);
  try {
    return { span, result: context.with(eventContext(span, event), () => fn(span)) };
  } finally {
    span.end();
  }
}

/** Collects what OpenTelemetry's diag logger reports while `fn` runs. */
export async function captureDiag<T>(fn: () => T | Promise<T>): Promise<{ result: T; messages: string[] }> {
  const messages: string[] = [];
  const note =
    (level: string) =>
    (message: string, ...args: unknown[]): void => {
      messages.push(`${level}: ${message} ${args.map(String).join(" ")}`);
    };
  const logger: DiagLogger = { error: note("error"), warn: note("warn"), info: note("info"), debug: note("debug"), verbose: note("verbose") };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
  try {
    return { result: await fn(), messages };
  } finally {
    diag.disable();
  }
}
