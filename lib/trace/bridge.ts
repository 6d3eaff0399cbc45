// The event bridge: QuantmEvents in, OpenTelemetry spans out (DESIGN §3 mapping, §4 lineage).
// It owns no exporter and no provider: it drives a Tracer from any TracerProvider, the id
// generator (deterministic ids) and the lineage index (R5, de-duplication).
import {
  context as otelContext,
  defaultTextMapGetter,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Exception,
  type Link,
  type Span,
  type SpanContext,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { Sampler } from "@opentelemetry/sdk-trace-base";
import { NIL_UUID, type QuantmEvent } from "../event/model.js";
import { isValidatedEvent, normalizeEvent, validateEvent, QuantmEventError, formatIssue } from "../event/index.js";
import { eventLogFields, setActiveEvent } from "./active-event.js";
import { createAttributeBuilder, type AttributeBuilder, type PayloadExport } from "./attributes.js";
import { eventIdGenerator, type EventIdGenerator } from "./id-generator.js";
import { unsafeSpanId, unsafeTraceId } from "./ids.js";
import { DEFAULT_LINEAGE_INDEX_SIZE, LineageIndex } from "./lineage-index.js";
import { discoverSampler, rootFlags, samplesEveryRoot } from "./sampler.js";
import { ATTR_QUANTM_LINK_RELATION, LINK_RELATION_AMBIENT, LINK_RELATION_PARENT } from "./semconv.js";
import { hrTimeFromTimestamp } from "./time.js";
import { emitProcessWarning, WarnOnce, type WarningSink } from "./warnings.js";

/** The instrumentation scope of every span the bridge starts. */
export const TRACER_NAME = "quantm-events";

export interface EventBridgeOptions {
  /** Default: the global provider (`trace.getTracerProvider()`), read once, here. */
  tracerProvider?: TracerProvider;
  /**
   * "lineage" (default, R3): a chain is one trace (the root event's id) whose span tree is the
   * event lineage; an active span becomes a link. "ambient" (R6): plain OpenTelemetry nesting,
   * the event span is a child of the active span.
   */
  placement?: "lineage" | "ambient";
  /** Payload attributes (`quantm.payload.*`). Default: none, the payload may hold personal data. */
  payload?: PayloadExport;
  /** How many recorded events this process remembers (R5, de-duplication). Default 10,000. */
  lineageIndexSize?: number;
  /**
   * What record/withEvent/handle do with an event that fails validation. "drop" (default): no
   * span, counted in `stats().dropped`, one warning per kind of problem; withEvent and handle
   * still run their function. "throw": a QuantmEventError listing every problem (withEvent and
   * handle reject with it without running the function). The telemetry path never changes what
   * the host does unless asked to.
   */
  onInvalid?: "throw" | "drop";
  /** Default: the shared `eventIdGenerator`; it must be the provider's id generator too. */
  idGenerator?: EventIdGenerator;
  /**
   * The sampler the provider uses, so that parents synthesized from event ids carry the chain
   * root's sampling decision. Default: read from the SDK tracer when it can be seen, else none
   * (synthesized parents are sampled).
   */
  sampler?: Sampler;
  /** Where warnings go (once per kind). Default: `process.emitWarning` (and always `diag.warn`). */
  onWarning?: WarningSink;
}

export interface RecordOptions {
  /** An explicit W3C trace context (`00-<trace id>-<span id>-<flags>`): the event span's parent (R6). */
  traceparent?: string;
}

export interface EventBridgeStats {
  /** Event spans started (record and withEvent). */
  recorded: number;
  /** record/withEvent calls for an id this process had already recorded (no new event span). */
  deduplicated: number;
  /** Consumer spans started by handle (and by withEvent of an already recorded id). */
  handled: number;
  /** Invalid events dropped (onInvalid: "drop"). */
  dropped: number;
  /** traceparent options that did not parse and were ignored (onInvalid: "drop"). */
  ignoredTraceparents: number;
  /** Telemetry failures swallowed so the host carried on (an SDK or payload function threw). */
  errors: number;
  /** Events in the lineage index now. */
  indexSize: number;
  /** True once a span came back without the id the bridge asked for (see docs/trace.md). */
  idGeneratorMissing: boolean;
}

export interface EventBridge {
  /**
   * Records the event span (PRODUCER, `{scope}.{action}`, from the event's timestamp to now) and
   * returns its span context. Recording an id again returns the first span's context and records
   * nothing. Undefined when the event was dropped (invalid) or the tracer failed.
   */
  record(event: QuantmEvent, options?: RecordOptions): SpanContext | undefined;
  /**
   * Records the event span and keeps it active while `fn` runs (logs and spans inside belong to
   * the event); ends it when `fn` settles, with error status and an exception event when `fn`
   * throws, and settles like `fn`. For an id already recorded here, behaves like `handle`.
   */
  withEvent<T>(event: QuantmEvent, fn: () => T | Promise<T>, options?: RecordOptions): Promise<T>;
  /**
   * For a consumer of an event recorded elsewhere: runs `fn` in a CONSUMER span
   * `handle {scope}.{action}`, a child of the event span (computed from the event's ids), linked
   * to the span that was active. Never records the event span.
   */
  handle<T>(event: QuantmEvent, fn: () => T | Promise<T>): Promise<T>;
  stats(): EventBridgeStats;
}

const PRODUCER_NAME_SEPARATOR = ".";
const HANDLE_PREFIX = "handle ";
const PARENT_LINK: Attributes = Object.freeze({ [ATTR_QUANTM_LINK_RELATION]: LINK_RELATION_PARENT });
const AMBIENT_LINK: Attributes = Object.freeze({ [ATTR_QUANTM_LINK_RELATION]: LINK_RELATION_AMBIENT });
const W3C = new W3CTraceContextPropagator();

const GENERATOR_HELP =
  "Give the bridge's id generator to your tracer provider: " +
  "new NodeTracerProvider({ idGenerator: eventIdGenerator }) or new NodeSDK({ idGenerator: eventIdGenerator }) " +
  '(import { eventIdGenerator } from "quantm-events"; instrument() does this). Without it, event spans get random ids, ' +
  "and parents and links computed from event ids in other processes point at spans that do not exist; " +
  "parents recorded by this process are still linked through the lineage index.";

export function createEventBridge(options: EventBridgeOptions = {}): EventBridge {
  return new Bridge(options);
}

class Bridge implements EventBridge {
  private readonly tracer: Tracer;
  private readonly ids: EventIdGenerator;
  private readonly index: LineageIndex;
  private readonly attributes: AttributeBuilder;
  private readonly ambient: boolean;
  private readonly throwOnInvalid: boolean;
  private readonly warnings: WarnOnce;
  private sampler: Sampler | undefined;
  private everyRootSampled = false;
  private recorded = 0;
  private deduplicated = 0;
  private handled = 0;
  private dropped = 0;
  private ignoredTraceparents = 0;
  private errors = 0;
  private generatorMissing = false;

  constructor(options: EventBridgeOptions) {
    const placement = options.placement ?? "lineage";
    if (placement !== "lineage" && placement !== "ambient") {
      throw new TypeError(`createEventBridge: placement must be "lineage" or "ambient", got ${JSON.stringify(placement)}`);
    }
    const onInvalid = options.onInvalid ?? "drop";
    if (onInvalid !== "throw" && onInvalid !== "drop") {
      throw new TypeError(`createEventBridge: onInvalid must be "throw" or "drop", got ${JSON.stringify(onInvalid)}`);
    }
    this.ambient = placement === "ambient";
    this.throwOnInvalid = onInvalid === "throw";
    this.tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
    this.ids = options.idGenerator ?? eventIdGenerator;
    this.index = new LineageIndex(options.lineageIndexSize ?? DEFAULT_LINEAGE_INDEX_SIZE);
    this.warnings = new WarnOnce(options.onWarning ?? emitProcessWarning);
    if (options.sampler !== undefined) this.useSampler(options.sampler);
    this.attributes = createAttributeBuilder(options.payload, (error) => this.telemetryError("payload", error));
  }

  record(event: QuantmEvent, options?: RecordOptions): SpanContext | undefined {
    // A retry of an id recorded here costs one lookup (checked before validation).
    const seen = this.recordedContext(event);
    if (seen !== undefined) {
      this.deduplicated++;
      return seen;
    }
    const valid = this.accept(event);
    if (valid === undefined) return undefined;
    const explicit = this.explicitParent(options);
    let span: Span;
    try {
      span = this.startEventSpan(valid, explicit, otelContext.active());
    } catch (error) {
      this.telemetryError("record", error);
      return undefined;
    }
    try {
      span.end();
    } catch (error) {
      // The span exists (and is indexed); only its export failed.
      this.telemetryError("span", error);
    }
    return span.spanContext();
  }

  async withEvent<T>(event: QuantmEvent, fn: () => T | Promise<T>, options?: RecordOptions): Promise<T> {
    if (this.recordedContext(event) !== undefined) {
      this.deduplicated++;
      return this.handle(event, fn);
    }
    const valid = this.accept(event);
    if (valid === undefined) return fn();
    const explicit = this.explicitParent(options);
    let span: Span;
    let ctx: Context;
    try {
      const active = otelContext.active();
      span = this.startEventSpan(valid, explicit, active);
      ctx = setActiveEvent(trace.setSpan(active, span), { event: valid, logFields: eventLogFields(valid) });
    } catch (error) {
      this.telemetryError("withEvent", error);
      return fn();
    }
    return this.runInSpan(span, ctx, fn);
  }

  async handle<T>(event: QuantmEvent, fn: () => T | Promise<T>): Promise<T> {
    const valid = this.accept(event);
    if (valid === undefined) return fn();
    let span: Span;
    let ctx: Context;
    try {
      const active = otelContext.active();
      span = this.startHandleSpan(valid, active);
      ctx = setActiveEvent(trace.setSpan(active, span), { event: valid, logFields: eventLogFields(valid) });
    } catch (error) {
      this.telemetryError("handle", error);
      return fn();
    }
    return this.runInSpan(span, ctx, fn);
  }

  stats(): EventBridgeStats {
    return {
      recorded: this.recorded,
      deduplicated: this.deduplicated,
      handled: this.handled,
      dropped: this.dropped,
      ignoredTraceparents: this.ignoredTraceparents,
      errors: this.errors,
      indexSize: this.index.size,
      idGeneratorMissing: this.generatorMissing,
    };
  }

  // --- spans ---

  /**
   * Starts the event span: name, kind, start time, attributes; trace, parent and links by the
   * placement rules (R3–R6); the span id by R1 (through the id generator). Indexes the result.
   */
  private startEventSpan(event: QuantmEvent, explicit: SpanContext | undefined, active: Context): Span {
    const id = event.id;
    const ectx = event.context;
    const parentId = ectx.parent_id;
    const hasParent = parentId !== NIL_UUID;
    const spanId = unsafeSpanId(id);
    const name = ectx.scope + PRODUCER_NAME_SEPARATOR + ectx.action;
    const attributes = this.attributes(event);
    const activeSc = validOrUndefined(trace.getSpanContext(active));

    let parentCtx: Context = active;
    let parentSc: SpanContext | undefined;
    let traceId: string | undefined;
    let links: Link[] | undefined;

    if (explicit !== undefined || this.ambient) {
      // R6: plain nesting under the explicit context, else under the active span (if any).
      // Without either, a new trace with a random id, as OpenTelemetry would start it.
      parentSc = explicit ?? activeSc;
      if (explicit !== undefined) parentCtx = trace.setSpanContext(active, explicit);
      if (hasParent) {
        // R4, resolved by the index, else assumed to live in the same trace as this span.
        const parentTrace = parentSc?.traceId ?? unsafeTraceId(ectx.root_id ?? parentId);
        const parentEvent = this.index.get(parentId) ?? remoteContext(parentTrace, unsafeSpanId(parentId), TraceFlags.SAMPLED);
        links = [{ context: parentEvent, attributes: PARENT_LINK }];
      }
      if (explicit !== undefined && activeSc !== undefined && !sameSpan(activeSc, explicit)) {
        (links ??= []).push({ context: activeSc, attributes: AMBIENT_LINK });
      }
    } else {
      if (!hasParent) {
        // R3 for a root: its own trace, whose id is its event id.
        traceId = unsafeTraceId(ectx.root_id ?? id);
        if (activeSc !== undefined) parentCtx = trace.deleteSpan(active);
      } else {
        const rootId = ectx.root_id;
        parentSc = this.index.get(parentId);
        if (parentSc === undefined && rootId !== undefined) {
          // R3: the parent event's span, from ids alone.
          const rootTrace = unsafeTraceId(rootId);
          parentSc = remoteContext(rootTrace, unsafeSpanId(parentId), this.chainFlags(rootTrace, name, attributes));
        }
        if (parentSc !== undefined) {
          parentCtx = trace.setSpanContext(active, parentSc);
          links = [{ context: parentSc, attributes: PARENT_LINK }];
        } else {
          // R5, parent unknown here: a trace of its own, linked to the parent as if it were a root.
          traceId = unsafeTraceId(id);
          if (activeSc !== undefined) parentCtx = trace.deleteSpan(active);
          const presumed = remoteContext(unsafeTraceId(parentId), unsafeSpanId(parentId), TraceFlags.SAMPLED);
          links = [{ context: presumed, attributes: PARENT_LINK }];
        }
      }
      // R3: the active span (an HTTP request, a job) is a link, not the parent.
      if (activeSc !== undefined && (parentSc === undefined || !sameSpan(activeSc, parentSc))) {
        (links ??= []).push({ context: activeSc, attributes: AMBIENT_LINK });
      }
    }

    const ids = this.ids;
    ids.setNext(traceId, spanId);
    let span: Span;
    try {
      span = this.tracer.startSpan(name, { kind: SpanKind.PRODUCER, startTime: hrTimeFromTimestamp(event.timestamp), attributes, links }, parentCtx);
    } finally {
      ids.clear();
    }
    const sc = span.spanContext();
    if (sc.spanId === spanId || this.isForeignSpan(sc, parentSc)) {
      this.index.set(id, sc);
      this.recorded++;
    }
    return span;
  }

  /** The CONSUMER span of handle: a child of the event span, wherever that was recorded. */
  private startHandleSpan(event: QuantmEvent, active: Context): Span {
    const ectx = event.context;
    const name = HANDLE_PREFIX + ectx.scope + PRODUCER_NAME_SEPARATOR + ectx.action;
    const attributes = this.attributes(event);
    let eventSc = this.index.get(event.id);
    if (eventSc === undefined) {
      // R1 + R3. A 0.1 event with a parent but no root_id is assumed to be in its own trace
      // (R5's branch for a recorder that did not know the parent).
      const traceId = unsafeTraceId(ectx.root_id ?? event.id);
      eventSc = remoteContext(traceId, unsafeSpanId(event.id), this.chainFlags(traceId, ectx.scope + PRODUCER_NAME_SEPARATOR + ectx.action, attributes));
    }
    const activeSc = validOrUndefined(trace.getSpanContext(active));
    const links = activeSc !== undefined && !sameSpan(activeSc, eventSc) ? [{ context: activeSc, attributes: AMBIENT_LINK }] : undefined;
    const span = this.tracer.startSpan(name, { kind: SpanKind.CONSUMER, attributes, links }, trace.setSpanContext(active, eventSc));
    this.handled++;
    return span;
  }

  private async runInSpan<T>(span: Span, ctx: Context, fn: () => T | Promise<T>): Promise<T> {
    try {
      return await otelContext.with(ctx, fn);
    } catch (error) {
      try {
        span.recordException(toException(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      } catch (telemetry) {
        this.telemetryError("span", telemetry);
      }
      throw error;
    } finally {
      try {
        span.end();
      } catch (telemetry) {
        this.telemetryError("span", telemetry);
      }
    }
  }

  // --- checks ---

  /** The span context recorded for this event's id, when the id was recorded here. */
  private recordedContext(event: QuantmEvent): SpanContext | undefined {
    if (typeof event !== "object" || event === null) return undefined;
    const id: unknown = event.id;
    return typeof id === "string" ? this.index.get(id) : undefined;
  }

  /** The event normalized and valid, or undefined (dropped), or a thrown QuantmEventError. */
  private accept(event: unknown): QuantmEvent | undefined {
    // Made by createEvent/parseEvent: validated there and frozen since (lib/event/validated.ts).
    if (isValidatedEvent(event)) return event;
    const normalized = normalizeEvent(event);
    const result = validateEvent(normalized);
    if (result.valid) return normalized as QuantmEvent;
    if (this.throwOnInvalid) throw new QuantmEventError(result.errors, "Invalid QuantmEvent given to the event bridge");
    this.dropped++;
    for (const issue of result.errors) {
      this.warnings.warn(
        `invalid ${issue.path} ${issue.message}`,
        "QUANTM_EVENTS_INVALID_EVENT",
        `quantm-events: dropped an invalid QuantmEvent (no span): ${formatIssue(issue)}. ` +
          'Later events with this problem are dropped without a warning (see stats().dropped); onInvalid: "throw" makes it an error.',
      );
    }
    return undefined;
  }

  /** The remote span context of a `traceparent` option, or undefined (none, ignored, or thrown). */
  private explicitParent(options: RecordOptions | undefined): SpanContext | undefined {
    const traceparent = options?.traceparent;
    if (traceparent === undefined) return undefined;
    const sc = trace.getSpanContext(W3C.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter));
    if (sc !== undefined && isSpanContextValid(sc)) return sc;
    const issue = {
      path: "traceparent",
      message: "Invalid traceparent",
      detail: `expected a W3C traceparent such as 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01, got ${JSON.stringify(String(traceparent).slice(0, 80))}`,
    };
    if (this.throwOnInvalid) throw new QuantmEventError([issue], "Invalid record option");
    this.ignoredTraceparents++;
    this.warnings.warn("traceparent", "QUANTM_EVENTS_INVALID_TRACEPARENT", `quantm-events: ignored a traceparent option: ${formatIssue(issue)}; the event span was placed as without it.`);
    return undefined;
  }

  /**
   * Whether a started span that did not get R1's span id is still a span of ours: yes (and the
   * provider lacks the id generator: warn once) unless the tracer is a no-op one, which hands back
   * an invalid context or the parent's.
   */
  private isForeignSpan(sc: SpanContext, parentSc: SpanContext | undefined): boolean {
    if (!isSpanContextValid(sc) || (parentSc !== undefined && sc.spanId === parentSc.spanId)) return false;
    if (!this.generatorMissing) {
      this.generatorMissing = true;
      this.warnings.warn("generator", "QUANTM_EVENTS_ID_GENERATOR", `quantm-events: the tracer provider does not use the bridge's id generator. ${GENERATOR_HELP}`);
    }
    return true;
  }

  /** Flags for a parent synthesized in trace `traceId`: the chain root's sampling decision. */
  private chainFlags(traceId: string, name: string, attributes: Attributes): TraceFlags {
    let sampler = this.sampler;
    if (sampler === undefined) {
      sampler = discoverSampler(this.tracer);
      if (sampler === undefined) return TraceFlags.SAMPLED;
      this.useSampler(sampler);
    }
    if (this.everyRootSampled) return TraceFlags.SAMPLED;
    try {
      return rootFlags(sampler, traceId, name, attributes);
    } catch (error) {
      this.telemetryError("sampler", error);
      return TraceFlags.SAMPLED;
    }
  }

  private useSampler(sampler: Sampler): void {
    this.sampler = sampler;
    this.everyRootSampled = samplesEveryRoot(sampler);
  }

  private telemetryError(where: string, error: unknown): void {
    this.errors++;
    this.warnings.warn(
      `error ${where}`,
      "QUANTM_EVENTS_TELEMETRY_ERROR",
      `quantm-events: telemetry failed in ${where} (${errorMessage(error)}); the host carried on without it. Later failures there are counted in stats().errors.`,
    );
  }
}

function remoteContext(traceId: string, spanId: string, traceFlags: TraceFlags): SpanContext {
  return { traceId, spanId, traceFlags, isRemote: true };
}

function validOrUndefined(sc: SpanContext | undefined): SpanContext | undefined {
  return sc !== undefined && isSpanContextValid(sc) ? sc : undefined;
}

function sameSpan(a: SpanContext, b: SpanContext): boolean {
  return a.spanId === b.spanId && a.traceId === b.traceId;
}

function toException(error: unknown): Exception {
  if (error instanceof Error) return error;
  if (typeof error === "string") return error;
  return { name: "NonError", message: errorMessage(error) };
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return typeof error === "string" ? error : JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
