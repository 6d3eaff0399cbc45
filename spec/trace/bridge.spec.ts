import { expect } from "chai";
import { context, ProxyTracerProvider, SpanStatusCode, trace, TraceFlags, type Tracer, type TracerProvider } from "@opentelemetry/api";
import { hrTimeToMilliseconds } from "@opentelemetry/core";
import { BasicTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { createEvent, NIL_UUID, QuantmEventError, type QuantmEvent } from "../../lib/event/index.js";
import { createEventBridge, eventIdGenerator, eventLogFields, getActiveEvent } from "../../lib/trace/index.js";
import { childEvent, harness, hex, legacyChild, linksOf, r1, rootEvent, SOURCE, SpanKind, SUBJECT } from "./support.js";

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A chain root → c1 → c2 → c3 (each created with `parent`, so R2 root ids). */
function chain(): QuantmEvent[] {
  const root = rootEvent("opened");
  const c1 = childEvent(root, "checked");
  const c2 = childEvent(c1, "rebased");
  const c3 = childEvent(c2, "merged");
  return [root, c1, c2, c3];
}

describe("event bridge: record() and the event span (DESIGN §3)", () => {
  it("name {scope}.{action}, kind PRODUCER, start = the event's timestamp, end when record returns", () => {
    const h = harness();
    const event = createEvent({
      timestamp: "2024-05-01T10:00:00.123456Z",
      context: { hook: "github", scope: "pull_request", action: "opened", source: SOURCE },
      subject: SUBJECT,
      payload: {},
    });
    const before = Date.now();
    const sc = h.bridge.record(event);
    const after = Date.now();
    const span = h.span("pull_request.opened");
    expect(span.kind).to.equal(SpanKind.PRODUCER);
    expect(span.startTime).to.deep.equal([Math.floor(Date.parse("2024-05-01T10:00:00Z") / 1000), 123_456_000]);
    expect(hrTimeToMilliseconds(span.endTime)).to.be.within(before, after + 1);
    expect(span.ended).to.equal(true);
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(sc).to.deep.equal(span.spanContext());
  });

  it("carries every quantm.* and cloudevents.* attribute; org_id only when present; no payload by default", () => {
    const h = harness();
    const root = rootEvent("opened", { payload: { email: "someone@example.com" } });
    const child = createEvent({ parent: root, context: { hook: 1, scope: "pull_request", action: "checked", source: SOURCE }, subject: { ...SUBJECT, org_id: "6d1a8193-e542-4e54-817a-a7918b56236c" }, payload: {} });
    h.bridge.record(root);
    h.bridge.record(child);
    const rootSpan = h.span("pull_request.opened");
    expect(rootSpan.attributes).to.deep.equal({
      "quantm.event.id": root.id,
      "quantm.event.version": "0.2.0",
      "quantm.context.hook": "github",
      "quantm.context.scope": "pull_request",
      "quantm.context.action": "opened",
      "quantm.context.source": SOURCE,
      "quantm.context.parent_id": NIL_UUID,
      "quantm.context.root_id": root.id,
      "quantm.subject.id": SUBJECT.id,
      "quantm.subject.name": "repos",
      "quantm.subject.team_id": SUBJECT.team_id,
      "quantm.subject.user_id": NIL_UUID,
      "cloudevents.event_id": root.id,
      "cloudevents.event_source": SOURCE,
      "cloudevents.event_type": "pull_request.opened",
      "cloudevents.event_subject": `repos/${SUBJECT.id}`,
    });
    const childSpan = h.span("pull_request.checked");
    expect(childSpan.attributes["quantm.subject.org_id"]).to.equal("6d1a8193-e542-4e54-817a-a7918b56236c");
    expect(childSpan.attributes["quantm.context.hook"]).to.equal(1);
    expect(childSpan.attributes["quantm.context.parent_id"]).to.equal(root.id);
    expect(childSpan.attributes["quantm.context.root_id"]).to.equal(root.id);
    expect(JSON.stringify(rootSpan.attributes)).to.not.contain("someone@example.com");
  });

  it("payload: the allow-list option puts chosen keys under quantm.payload.*", () => {
    const h = harness({ payload: { allow: ["number"] } });
    h.bridge.record(rootEvent("opened", { payload: { number: 42, email: "someone@example.com" } }));
    const attrs = h.span("pull_request.opened").attributes;
    expect(attrs["quantm.payload.number"]).to.equal(42);
    expect(JSON.stringify(attrs)).to.not.contain("someone@example.com");
  });

  it("payload: a redaction function that throws costs the payload attributes, not the span", () => {
    const h = harness({ payload: { redact: () => { throw new Error("redactor bug"); } } });
    h.bridge.record(rootEvent());
    expect(h.spans()).to.have.length(1);
    expect(h.bridge.stats().errors).to.equal(1);
    expect(h.warnings.map((w) => w.code)).to.deep.equal(["QUANTM_EVENTS_TELEMETRY_ERROR"]);
    expect(h.warnings[0]!.message).to.contain("redactor bug");
  });

  it("normalizes first: an event without context.timestamp, parent_id and user_id is recorded with the defaults", () => {
    const h = harness();
    const full = rootEvent();
    const { timestamp: _t, parent_id: _p, ...context } = full.context;
    const { user_id: _u, ...subject } = full.subject;
    const bare = { ...full, context, subject } as unknown as QuantmEvent;
    expect(h.bridge.record(bare)).to.not.equal(undefined);
    const span = h.span("pull_request.opened");
    expect(span.attributes["quantm.context.parent_id"]).to.equal(NIL_UUID);
    expect(span.attributes["quantm.subject.user_id"]).to.equal(NIL_UUID);
    expect(span.parentSpanContext).to.equal(undefined);
  });
});

describe("event bridge: lineage (DESIGN §4)", () => {
  it("R1 + R3 for a root: span id = last 16 hex digits of its id, trace id = its id, no parent, no links", () => {
    const h = harness();
    const root = rootEvent();
    const sc = h.bridge.record(root)!;
    expect(sc.spanId).to.equal(r1(root.id));
    expect(sc.traceId).to.equal(hex(root.id));
    const span = h.span("pull_request.opened");
    expect(span.parentSpanContext).to.equal(undefined);
    expect(span.links).to.deep.equal([]);
  });

  it("R3 + R4 for a child recorded where its parent is unknown: root's trace, parent R1(parent_id) from ids alone, a parent link", () => {
    const [root, c1, c2] = chain();
    const h = harness(); // a process that recorded none of the ancestors
    const sc = h.bridge.record(c2!)!;
    expect(sc).to.include({ traceId: hex(root!.id), spanId: r1(c2!.id) });
    const span = h.span("pull_request.rebased");
    expect(span.parentSpanContext).to.include({ traceId: hex(root!.id), spanId: r1(c1!.id), isRemote: true, traceFlags: TraceFlags.SAMPLED });
    expect(linksOf(span)).to.deep.equal([{ traceId: hex(root!.id), spanId: r1(c1!.id), relation: "parent" }]);
  });

  it("a chain recorded in one process is one trace whose parent tree is the lineage, each with its parent link", () => {
    const h = harness();
    const events = chain();
    for (const e of events) h.bridge.record(e);
    const spans = h.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(["pull_request.opened", "pull_request.checked", "pull_request.rebased", "pull_request.merged"]);
    for (const [i, span] of spans.entries()) {
      expect(span.spanContext().traceId).to.equal(hex(events[0]!.id));
      expect(span.spanContext().spanId).to.equal(r1(events[i]!.id));
      if (i === 0) continue;
      expect(span.parentSpanContext?.spanId).to.equal(r1(events[i - 1]!.id));
      expect(linksOf(span)).to.deep.equal([{ traceId: hex(events[0]!.id), spanId: r1(events[i - 1]!.id), relation: "parent" }]);
    }
  });

  it("R3: an active span (an HTTP request) becomes an ambient link, not the parent", () => {
    const h = harness();
    const [root, c1] = chain();
    const request = h.provider.getTracer("http").startSpan("GET /hook");
    context.with(trace.setSpan(context.active(), request), () => {
      h.bridge.record(root!);
      h.bridge.record(c1!);
    });
    request.end();
    const ambient = { traceId: request.spanContext().traceId, spanId: request.spanContext().spanId, relation: "ambient" };
    const rootSpan = h.span("pull_request.opened");
    expect(rootSpan.parentSpanContext).to.equal(undefined);
    expect(rootSpan.spanContext().traceId).to.equal(hex(root!.id));
    expect(linksOf(rootSpan)).to.deep.equal([ambient]);
    const childSpan = h.span("pull_request.checked");
    expect(childSpan.parentSpanContext?.spanId).to.equal(r1(root!.id));
    expect(linksOf(childSpan)).to.deep.equal([{ traceId: hex(root!.id), spanId: r1(root!.id), relation: "parent" }, ambient]);
  });

  it("R5, parent recorded by this process: a 0.1 event (no root_id) joins the parent's trace under the parent's span", () => {
    const h = harness();
    const root = rootEvent();
    const c1 = legacyChild(root, "checked");
    const c2 = legacyChild(c1, "rebased");
    expect(c1.context.root_id).to.equal(undefined);
    for (const e of [root, c1, c2]) h.bridge.record(e);
    const s1 = h.span("pull_request.checked");
    const s2 = h.span("pull_request.rebased");
    expect(s1.spanContext()).to.include({ traceId: hex(root.id), spanId: r1(c1.id) });
    expect(s1.parentSpanContext?.spanId).to.equal(r1(root.id));
    expect(s2.spanContext().traceId).to.equal(hex(root.id));
    expect(s2.parentSpanContext?.spanId).to.equal(r1(c1.id));
    expect(linksOf(s2)).to.deep.equal([{ traceId: hex(root.id), spanId: r1(c1.id), relation: "parent" }]);
  });

  it("R5, parent unknown here: a trace of its own (its id), linked to {parent_id, R1(parent_id)}", () => {
    const h = harness();
    const root = rootEvent();
    const c1 = legacyChild(root, "checked");
    h.bridge.record(c1);
    const span = h.span("pull_request.checked");
    expect(span.spanContext()).to.include({ traceId: hex(c1.id), spanId: r1(c1.id) });
    expect(span.parentSpanContext).to.equal(undefined);
    expect(linksOf(span)).to.deep.equal([{ traceId: hex(root.id), spanId: r1(root.id), relation: "parent" }]);
  });

  it('R6 placement "ambient": plain nesting under the active span, R1 span id kept, parent link into the active trace', () => {
    const h = harness({ placement: "ambient" });
    const [root, c1] = chain();
    const job = h.provider.getTracer("jobs").startSpan("job");
    context.with(trace.setSpan(context.active(), job), () => h.bridge.record(c1!));
    job.end();
    const span = h.span("pull_request.checked");
    expect(span.spanContext()).to.include({ traceId: job.spanContext().traceId, spanId: r1(c1!.id) });
    expect(span.parentSpanContext?.spanId).to.equal(job.spanContext().spanId);
    expect(linksOf(span)).to.deep.equal([{ traceId: job.spanContext().traceId, spanId: r1(root!.id), relation: "parent" }]);
  });

  it('R6 placement "ambient" without an active span: a new trace (random id), the parent link resolved by the index', () => {
    const h = harness({ placement: "ambient" });
    const [root, c1] = chain();
    const rootSc = h.bridge.record(root!)!;
    h.bridge.record(c1!);
    const span = h.span("pull_request.checked");
    expect(span.parentSpanContext).to.equal(undefined);
    expect(span.spanContext().spanId).to.equal(r1(c1!.id));
    expect(span.spanContext().traceId).to.not.equal(hex(root!.id));
    expect(linksOf(span)).to.deep.equal([{ traceId: rootSc.traceId, spanId: rootSc.spanId, relation: "parent" }]);
  });

  it("R6 traceparent: the explicit W3C context is the parent; the active span becomes an ambient link", () => {
    const h = harness();
    const [root, c1] = chain();
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const active = h.provider.getTracer("http").startSpan("GET /hook");
    context.with(trace.setSpan(context.active(), active), () => h.bridge.record(c1!, { traceparent }));
    active.end();
    const span = h.span("pull_request.checked");
    expect(span.spanContext()).to.include({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: r1(c1!.id) });
    expect(span.parentSpanContext).to.include({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", isRemote: true });
    expect(linksOf(span)).to.deep.equal([
      { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: r1(root!.id), relation: "parent" },
      { traceId: active.spanContext().traceId, spanId: active.spanContext().spanId, relation: "ambient" },
    ]);
  });

  it("an invalid traceparent is ignored with one warning (drop) or is an error (throw)", () => {
    const h = harness();
    const root = rootEvent();
    const sc = h.bridge.record(root, { traceparent: "00-nope" })!;
    expect(sc.traceId).to.equal(hex(root.id));
    h.bridge.record(rootEvent(), { traceparent: "garbage" });
    expect(h.bridge.stats().ignoredTraceparents).to.equal(2);
    expect(h.warnings.map((w) => w.code)).to.deep.equal(["QUANTM_EVENTS_INVALID_TRACEPARENT"]);
    expect(h.warnings[0]!.message).to.contain('got "00-nope"');

    const strict = harness({ onInvalid: "throw" });
    expect(() => strict.bridge.record(rootEvent(), { traceparent: "00-nope" })).to.throw(QuantmEventError, /traceparent: Invalid traceparent \(expected a W3C traceparent/);
  });
});

describe("event bridge: recording an id twice", () => {
  it("a retried record is a no-op returning the first span context: one span", () => {
    const h = harness();
    const root = rootEvent();
    const first = h.bridge.record(root);
    const again = h.bridge.record(JSON.parse(JSON.stringify(root)) as QuantmEvent);
    expect(again).to.deep.equal(first);
    expect(h.spans()).to.have.length(1);
    expect(h.bridge.stats()).to.include({ recorded: 1, deduplicated: 1 });
  });

  it("withEvent of an id already recorded behaves like handle: a consumer span under the event span, no second event span", async () => {
    const h = harness();
    const root = rootEvent();
    const sc = h.bridge.record(root)!;
    const result = await h.bridge.withEvent(root, () => trace.getActiveSpan()?.spanContext().spanId);
    const spans = h.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(["pull_request.opened", "handle pull_request.opened"]);
    const consumer = spans[1]!;
    expect(consumer.kind).to.equal(SpanKind.CONSUMER);
    expect(consumer.parentSpanContext?.spanId).to.equal(sc.spanId);
    expect(result).to.equal(consumer.spanContext().spanId);
  });
});

describe("event bridge: withEvent()", () => {
  it("keeps the event span active while fn runs: nested spans and events are its children; logs see the active event", async () => {
    const h = harness();
    const [root, c1] = chain();
    const seen = await h.bridge.withEvent(root!, async () => {
      await delay(5);
      const active = getActiveEvent(context.active());
      h.provider.getTracer("work").startSpan("fetch mergeability").end();
      h.bridge.record(c1!);
      return { spanId: trace.getActiveSpan()?.spanContext().spanId, active };
    });
    expect(seen.spanId).to.equal(r1(root!.id));
    expect(seen.active?.event.id).to.equal(root!.id);
    expect(seen.active?.logFields).to.deep.equal(eventLogFields(root!));
    const work = h.span("fetch mergeability");
    expect(work.parentSpanContext?.spanId).to.equal(r1(root!.id));
    const child = h.span("pull_request.checked");
    expect(child.parentSpanContext?.spanId).to.equal(r1(root!.id));
    // Its parent is the active span, so no ambient link: only the parent link.
    expect(linksOf(child).map((l) => l.relation)).to.deep.equal(["parent"]);
    const rootSpan = h.span("pull_request.opened");
    // The event span's end comes from Date.now() (its start was given), the nested span's from the
    // monotonic clock: compare at millisecond precision.
    expect(hrTimeToMilliseconds(rootSpan.endTime)).to.be.at.least(Math.floor(hrTimeToMilliseconds(work.endTime)));
  });

  it("ends the span when fn settles, returns fn's value (sync or async)", async () => {
    const h = harness();
    expect(await h.bridge.withEvent(rootEvent(), () => 7)).to.equal(7);
    let ended: boolean | undefined;
    const value = await h.bridge.withEvent(rootEvent("checked"), async () => {
      await delay(2);
      ended = h.spans().some((s) => s.name === "pull_request.checked");
      return "done";
    });
    expect(value).to.equal("done");
    expect(ended).to.equal(false);
    expect(h.span("pull_request.checked").ended).to.equal(true);
  });

  it("when fn throws: error status, an exception event, the span ended, the same error rethrown", async () => {
    const h = harness();
    const boom = new Error("merge conflict");
    let caught: unknown;
    try {
      await h.bridge.withEvent(rootEvent(), async () => {
        await delay(1);
        throw boom;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.equal(boom);
    const span = h.span("pull_request.opened");
    expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: "merge conflict" });
    expect(span.events.map((e) => e.name)).to.deep.equal(["exception"]);
    expect(span.events[0]!.attributes).to.include({ "exception.message": "merge conflict", "exception.type": "Error" });

    let sync: unknown;
    await h.bridge.withEvent(rootEvent("closed"), () => {
      throw "plain string";
    }).catch((e: unknown) => (sync = e));
    expect(sync).to.equal("plain string");
    expect(h.span("pull_request.closed").status.code).to.equal(SpanStatusCode.ERROR);
  });
});

describe("event bridge: handle()", () => {
  it("a consumer elsewhere: CONSUMER span `handle {scope}.{action}` under the event span, quantm.* attributes, ambient link, no event span", async () => {
    const [root, c1] = chain();
    const h = harness(); // the consumer process: recorded nothing
    const poll = h.provider.getTracer("queue").startSpan("poll");
    const inside = await context.with(trace.setSpan(context.active(), poll), () =>
      h.bridge.handle(c1!, async () => {
        h.provider.getTracer("work").startSpan("rebase").end();
        return getActiveEvent(context.active())?.logFields;
      }),
    );
    poll.end();
    const consumer = h.span("handle pull_request.checked");
    expect(h.spans().filter((s) => s.name === "pull_request.checked")).to.deep.equal([]);
    expect(consumer.kind).to.equal(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).to.equal(hex(root!.id));
    expect(consumer.spanContext().spanId).to.not.equal(r1(c1!.id));
    expect(consumer.parentSpanContext).to.include({ traceId: hex(root!.id), spanId: r1(c1!.id) });
    expect(consumer.attributes).to.include({ "quantm.event.id": c1!.id, "quantm.context.scope": "pull_request", "quantm.context.action": "checked", "quantm.context.root_id": root!.id });
    expect(linksOf(consumer)).to.deep.equal([{ traceId: poll.spanContext().traceId, spanId: poll.spanContext().spanId, relation: "ambient" }]);
    expect(h.span("rebase").parentSpanContext?.spanId).to.equal(consumer.spanContext().spanId);
    expect(inside).to.deep.equal(eventLogFields(c1!));
    expect(h.bridge.stats()).to.include({ handled: 1, recorded: 0 });
  });

  it("when fn throws: error status, exception event, rethrown", async () => {
    const h = harness();
    const err = new TypeError("bad payload");
    const caught = await h.bridge.handle(rootEvent(), () => Promise.reject(err)).catch((e: unknown) => e);
    expect(caught).to.equal(err);
    const span = h.span("handle pull_request.opened");
    expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: "bad payload" });
    expect(span.events[0]!.attributes).to.include({ "exception.type": "TypeError" });
    expect(span.ended).to.equal(true);
  });
});

describe("event bridge: invalid events", () => {
  const broken = (): QuantmEvent => {
    const e = rootEvent() as unknown as Record<string, unknown>;
    return { ...e, context: { ...(e.context as object), scope: "" } } as unknown as QuantmEvent;
  };

  it('onInvalid "drop" (default): no span, counted, one warning per kind of problem; fn still runs', async () => {
    const h = harness();
    expect(h.bridge.record(broken())).to.equal(undefined);
    expect(h.bridge.record(broken())).to.equal(undefined);
    expect(h.bridge.record({ id: "x" } as unknown as QuantmEvent)).to.equal(undefined);
    expect(h.bridge.record(null as unknown as QuantmEvent)).to.equal(undefined);
    expect(await h.bridge.withEvent(broken(), () => "ran")).to.equal("ran");
    expect(await h.bridge.handle(broken(), async () => "ran too")).to.equal("ran too");
    expect(h.spans()).to.deep.equal([]);
    expect(h.bridge.stats().dropped).to.equal(6);
    const scope = h.warnings.filter((w) => w.message.includes("$.context.scope: Invalid scope field"));
    expect(scope).to.have.length(1);
    expect(scope[0]!.code).to.equal("QUANTM_EVENTS_INVALID_EVENT");
    expect(h.warnings.some((w) => w.message.includes("$.id: Missing or invalid event ID"))).to.equal(true);
    expect(h.warnings.some((w) => w.message.includes("$: Invalid event: not a JSON object"))).to.equal(true);
  });

  it('onInvalid "throw": a QuantmEventError listing every problem; withEvent rejects without running fn', async () => {
    const h = harness({ onInvalid: "throw" });
    expect(() => h.bridge.record({ ...broken(), subject: {} } as unknown as QuantmEvent))
      .to.throw(QuantmEventError, /\$\.context\.scope: Invalid scope field.*\$\.subject\.id: Missing or invalid subject ID.*\$\.subject\.name: Missing subject name.*\$\.subject\.team_id: Missing team ID/);
    let ran = false;
    const rejected = await h.bridge.withEvent(broken(), () => (ran = true)).catch((e: unknown) => e);
    expect(rejected).to.be.instanceOf(QuantmEventError);
    expect(ran).to.equal(false);
    expect(h.spans()).to.deep.equal([]);
  });

  it("rejects unknown option values at construction, naming the option", () => {
    expect(() => createEventBridge({ placement: "nested" as never })).to.throw(TypeError, /placement must be "lineage" or "ambient", got "nested"/);
    expect(() => createEventBridge({ onInvalid: "ignore" as never })).to.throw(TypeError, /onInvalid must be "throw" or "drop"/);
    expect(() => createEventBridge({ lineageIndexSize: -1 })).to.throw(RangeError, /lineageIndexSize/);
  });
});

describe("event bridge: a provider without the bridge's id generator", () => {
  it("warns once, saying how to add it, and still links in-process parents through the index", () => {
    const h = harness({ providerIdGenerator: null });
    const [root, c1, c2] = chain();
    const rootSc = h.bridge.record(root!)!;
    const c1Sc = h.bridge.record(c1!)!;
    h.bridge.record(c2!);
    expect(rootSc.spanId).to.not.equal(r1(root!.id));
    expect(h.warnings).to.have.length(1);
    expect(h.warnings[0]!.code).to.equal("QUANTM_EVENTS_ID_GENERATOR");
    expect(h.warnings[0]!.message).to.contain("new NodeTracerProvider({ idGenerator: eventIdGenerator })");
    expect(h.warnings[0]!.message).to.contain("new NodeSDK({ idGenerator: eventIdGenerator })");
    expect(h.bridge.stats().idGeneratorMissing).to.equal(true);
    const s1 = h.span("pull_request.checked");
    expect(s1.parentSpanContext).to.include({ traceId: rootSc.traceId, spanId: rootSc.spanId });
    expect(linksOf(s1)).to.deep.equal([{ traceId: rootSc.traceId, spanId: rootSc.spanId, relation: "parent" }]);
    expect(h.span("pull_request.rebased").parentSpanContext?.spanId).to.equal(c1Sc.spanId);
    // A retry is still a no-op (the index holds the random-id context).
    expect(h.bridge.record(c1!)).to.deep.equal(c1Sc);
  });

  it("says nothing when there is no SDK at all (a no-op tracer): nothing is recorded, fn still runs", async () => {
    const warnings: string[] = [];
    const bridge = createEventBridge({ tracerProvider: new ProxyTracerProvider(), onWarning: (m) => warnings.push(m) });
    const [root, c1] = chain();
    bridge.record(root!);
    bridge.record(c1!);
    expect(await bridge.withEvent(childEvent(c1!, "merged"), () => "ok")).to.equal("ok");
    expect(warnings).to.deep.equal([]);
    expect(bridge.stats()).to.include({ recorded: 0, idGeneratorMissing: false, errors: 0 });
  });
});

describe("event bridge: sampling keyed on the trace id decides a whole chain alike", () => {
  const CHAINS = 40;

  /** Records each event of each chain with a fresh bridge and provider: one "process" per event. */
  function decisions(makeSampler: () => Sampler, tracerProviderOf?: (p: TracerProvider) => TracerProvider, explicit = false): boolean[][] {
    const out: boolean[][] = [];
    for (let c = 0; c < CHAINS; c++) {
      const row: boolean[] = [];
      for (const event of chain()) {
        const sampler = makeSampler();
        const h = harness({ providerSampler: sampler });
        const bridge = tracerProviderOf === undefined ? h.bridge : createEventBridge({ tracerProvider: tracerProviderOf(h.provider), ...(explicit ? { sampler } : {}) });
        bridge.record(event);
        row.push(h.spans().length === 1);
      }
      out.push(row);
    }
    return out;
  }

  function expectChainsAgree(rows: boolean[][]): void {
    for (const row of rows) expect(new Set(row).size, JSON.stringify(row)).to.equal(1);
    const sampled = rows.filter((r) => r[0]).length;
    expect(sampled, "some chains sampled, some not").to.be.within(1, CHAINS - 1);
  }

  it("plain TraceIdRatioBasedSampler(0.5), each event recorded by another process", () => {
    expectChainsAgree(decisions(() => new TraceIdRatioBasedSampler(0.5)));
  });

  it("ParentBasedSampler({ root: TraceIdRatioBasedSampler(0.5) }), each event recorded by another process", () => {
    expectChainsAgree(decisions(() => new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.5) })));
  });

  it("both samplers, whole chains recorded in one process (parents from the index)", () => {
    for (const makeSampler of [() => new TraceIdRatioBasedSampler(0.5), () => new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.5) })]) {
      const rows: boolean[][] = [];
      for (let c = 0; c < CHAINS; c++) {
        const h = harness({ providerSampler: makeSampler() });
        const events = chain();
        for (const e of events) h.bridge.record(e);
        const recorded = new Set(h.spans().map((s) => s.attributes["quantm.event.id"]));
        rows.push(events.map((e) => recorded.has(e.id)));
      }
      expectChainsAgree(rows);
    }
  });

  it("a sampler the bridge cannot see (wrapped tracer) needs the `sampler` option; with it the chain agrees", () => {
    // A TracerProvider whose tracers hide the SDK's internals.
    const opaque = (p: TracerProvider): TracerProvider => ({
      getTracer: (name: string) => {
        const real = p.getTracer(name);
        const wrapped: Pick<Tracer, "startSpan"> = { startSpan: (n, o, c) => real.startSpan(n, o, c) };
        return wrapped as Tracer;
      },
    });
    const parentBased = () => new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.5) });
    const without = decisions(parentBased, opaque);
    // Without it, synthesized parents are "sampled" and every non-root event is kept:
    expect(without.every((row) => row.slice(1).every(Boolean))).to.equal(true);
    expect(without.some((row) => !row[0])).to.equal(true);
    expectChainsAgree(decisions(parentBased, opaque, true));
  });
});

describe("event bridge: the telemetry path never takes the host down", () => {
  const throwing = (where: "onStart" | "onEnd"): SpanProcessor => ({
    onStart: () => {
      if (where === "onStart") throw new Error("processor exploded");
    },
    onEnd: () => {
      if (where === "onEnd") throw new Error("processor exploded");
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  });

  it("a span processor that throws on start: record answers undefined, withEvent/handle still run fn", async () => {
    const warnings: string[] = [];
    const provider = new BasicTracerProvider({ idGenerator: eventIdGenerator, spanProcessors: [throwing("onStart")] });
    const bridge = createEventBridge({ tracerProvider: provider, onWarning: (m) => warnings.push(m) });
    expect(bridge.record(rootEvent())).to.equal(undefined);
    expect(await bridge.withEvent(rootEvent(), () => 1)).to.equal(1);
    expect(await bridge.handle(rootEvent(), async () => 2)).to.equal(2);
    expect(bridge.stats().errors).to.equal(3);
    expect(warnings.every((w) => w.includes("processor exploded"))).to.equal(true);
    // The generator was cleared despite the throw: the next span elsewhere gets a random id.
    const other = new BasicTracerProvider({ idGenerator: eventIdGenerator }).getTracer("x").startSpan("x");
    const root = rootEvent();
    expect(other.spanContext().spanId).to.match(/^[0-9a-f]{16}$/).and.not.equal(r1(root.id));
  });

  it("a span processor that throws on end: withEvent resolves with fn's value, record still answers the span context", async () => {
    const provider = new BasicTracerProvider({ idGenerator: eventIdGenerator, spanProcessors: [throwing("onEnd")] });
    const bridge = createEventBridge({ tracerProvider: provider, onWarning: () => {} });
    expect(await bridge.withEvent(rootEvent(), async () => "value")).to.equal("value");
    const checked = rootEvent("checked");
    expect(bridge.record(checked)?.spanId).to.equal(r1(checked.id));
    expect(bridge.stats().errors).to.equal(2);
  });
});
