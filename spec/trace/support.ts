// Shared set-up of the trace specs: an async context manager (kept if another spec file already
// registered one), a provider with the bridge's id generator and an in-memory exporter, events.
import { context, createContextKey, SpanKind, type SpanContext } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type IdGenerator, type ReadableSpan, type Sampler } from "@opentelemetry/sdk-trace-base";
import { createEvent, type ParentEvent, type QuantmEvent } from "../../lib/event/index.js";
import { createEventBridge, eventIdGenerator, type EventBridge, type EventBridgeOptions } from "../../lib/trace/index.js";

const PROBE = createContextKey("quantm-events.spec.trace.probe");

/** Makes sure `context.with` propagates through async calls (the API's default does not). */
export function ensureContextManager(): void {
  const works = context.with(context.active().setValue(PROBE, true), () => context.active().getValue(PROBE) === true);
  if (!works) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

export interface Harness {
  bridge: EventBridge;
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  warnings: { message: string; code: string }[];
  spans(): ReadableSpan[];
  span(name: string): ReadableSpan;
}

export interface HarnessOptions extends Omit<EventBridgeOptions, "tracerProvider" | "onWarning"> {
  /** The provider's id generator; null = the SDK's random one (a user-built SDK without ours). */
  providerIdGenerator?: IdGenerator | null;
  providerSampler?: Sampler;
}

export function harness(options: HarnessOptions = {}): Harness {
  ensureContextManager();
  const { providerIdGenerator, providerSampler, ...bridgeOptions } = options;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    ...(providerIdGenerator === null ? {} : { idGenerator: providerIdGenerator ?? eventIdGenerator }),
    ...(providerSampler === undefined ? {} : { sampler: providerSampler }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const warnings: { message: string; code: string }[] = [];
  const bridge = createEventBridge({ ...bridgeOptions, tracerProvider: provider, onWarning: (message, code) => warnings.push({ message, code }) });
  const spans = () => exporter.getFinishedSpans();
  return {
    bridge,
    provider,
    exporter,
    warnings,
    spans,
    span(name) {
      const found = spans().filter((s) => s.name === name);
      if (found.length !== 1) throw new Error(`expected one finished span named ${name}, found ${found.length} among [${spans().map((s) => s.name).join(", ")}]`);
      return found[0]!;
    },
  };
}

export const SUBJECT = { id: "954e472d-a22f-4696-b447-2c8144d37f47", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" };
export const SOURCE = "https://github.com/acme/app";

export function rootEvent(action = "opened", extra: { payload?: QuantmEvent["payload"]; subject?: Record<string, string> } = {}): QuantmEvent {
  return createEvent({
    context: { hook: "github", scope: "pull_request", action, source: SOURCE },
    subject: { ...SUBJECT, ...extra.subject },
    payload: extra.payload ?? { number: 1 },
  });
}

export function childEvent(parent: ParentEvent, action: string): QuantmEvent {
  return createEvent({ parent, context: { hook: "github", scope: "pull_request", action, source: SOURCE }, subject: SUBJECT, payload: {} });
}

/** A 0.1 producer's event: no root_id (and version 0.1.0). */
export function legacyChild(parent: { id: string }, action: string): QuantmEvent {
  return createEvent({ version: "0.1.0", context: { hook: 1, scope: "pull_request", action, source: SOURCE, parent_id: parent.id }, subject: SUBJECT, payload: {} });
}

export function hex(id: string): string {
  return id.replace(/-/g, "");
}

export function r1(id: string): string {
  return hex(id).slice(16);
}

export interface LinkView {
  traceId: string;
  spanId: string;
  relation: unknown;
}

export function linksOf(span: ReadableSpan): LinkView[] {
  return span.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, relation: l.attributes?.["quantm.link.relation"] }));
}

export function parentOf(span: ReadableSpan): SpanContext | undefined {
  return span.parentSpanContext;
}

export { SpanKind };
