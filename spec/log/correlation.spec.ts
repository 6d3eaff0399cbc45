// Records written inside an event span carry its trace ids and the event's context, with no
// helper at the call site; outside any span they carry neither, and nothing fails.
import { context, trace } from "@opentelemetry/api";
import { expect } from "chai";
import winston from "winston";
import { correlationFormat, createLogger, jsonFormat } from "../../lib/log/index.js";
import { EVENT_FIELDS, ensureContextManager, eventContext, inEventSpan, lineCollector, makeTracing, type Tracing } from "./support.js";

const CORRELATION = ["trace_id", "span_id", "trace_flags", ...Object.keys(EVENT_FIELDS)];

describe("log correlation", () => {
  let tracing: Tracing;
  before(() => {
    ensureContextManager();
    tracing = makeTracing();
  });

  function logger(options: Parameters<typeof createLogger>[0] = {}) {
    const out = lineCollector();
    return { out, logger: createLogger({ otlp: false, transports: [out.transport], ...options }) };
  }

  it("gives a record written inside an event span the span's ids and the event's context fields", () => {
    const { out, logger: log } = logger();
    const { span } = inEventSpan(tracing, () => log.info("checking mergeability", { attempt: 3 }));
    const [line] = out.json();
    const sc = span.spanContext();
    expect(line).to.include({ level: "info", message: "checking mergeability", attempt: 3 });
    expect(line).to.include({ trace_id: sc.traceId, span_id: sc.spanId, trace_flags: "01" });
    expect(line).to.include(EVENT_FIELDS);
  });

  it("adds no ids and no event fields outside any span, and does not fail", () => {
    const { out, logger: log } = logger();
    log.info("starting up", { port: 8080 });
    const [line] = out.json();
    expect(line).to.deep.equal({ level: "info", message: "starting up", port: 8080 });
  });

  it("inside a span that belongs to no event adds the trace ids only", () => {
    const { out, logger: log } = logger();
    const span = tracing.tracer.startSpan("GET /health");
    context.with(trace.setSpan(context.active(), span), () => log.info("healthy"));
    span.end();
    const [line] = out.json();
    expect(line).to.include({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    expect(line).to.not.have.property("quantm.event.id");
  });

  it("gives a span started inside the event span its own ids and still the event's context", () => {
    const { out, logger: log } = logger();
    let child: ReturnType<typeof tracing.tracer.startSpan> | undefined;
    inEventSpan(tracing, () => {
      child = tracing.tracer.startSpan("http GET");
      context.with(trace.setSpan(context.active(), child), () => log.info("calling GitHub"));
      child.end();
    });
    const [line] = out.json();
    expect(line).to.include({ span_id: child!.spanContext().spanId, trace_id: child!.spanContext().traceId });
    expect(line).to.include(EVENT_FIELDS);
  });

  it("keeps the correlation across awaits inside the span", async () => {
    const { out, logger: log } = logger();
    const span = tracing.tracer.startSpan("pull_request.opened");
    await context.with(eventContext(span), async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.warn("slow check");
    });
    span.end();
    expect(out.json()[0]).to.include({ span_id: span.spanContext().spanId, "quantm.event.id": EVENT_FIELDS["quantm.event.id"] });
  });

  it("keeps the correlation in child loggers, with the child's fields", () => {
    const { out, logger: log } = logger();
    const child = log.child({ component: "merger" });
    const { span } = inEventSpan(tracing, () => child.info("merged"));
    expect(out.json()[0]).to.include({ component: "merger", span_id: span.spanContext().spanId, ...EVENT_FIELDS });
  });

  it("correlates every way of calling winston: level methods, log(level, msg), log(info), splat", () => {
    const { out, logger: log } = logger();
    const { span } = inEventSpan(tracing, () => {
      log.log("info", "via log");
      log.log({ level: "warn", message: "via an info object" });
      log.info("splat %s", "works", { extra: 1 });
      log.error("via error");
    });
    const lines = out.json();
    expect(lines).to.have.length(4);
    for (const line of lines) expect(line).to.include({ span_id: span.spanContext().spanId, "quantm.event.id": EVENT_FIELDS["quantm.event.id"] });
  });

  it("uses the span active at the call even when winston formats the record later (backpressure)", () => {
    const { out, logger: log } = logger();
    // cork() holds writes the way a backed-up transport does; the formats then run at uncork(),
    // outside the span.
    log.cork();
    const { span } = inEventSpan(tracing, () => log.info("written while corked"));
    expect(out.lines).to.have.length(0);
    log.uncork();
    expect(out.json()[0]).to.include({ span_id: span.spanContext().spanId, ...EVENT_FIELDS });
  });

  it("lets a user-built winston logger correlate with correlationFormat()", () => {
    const out = lineCollector();
    const log = winston.createLogger({ format: winston.format.combine(correlationFormat(), winston.format.json()), transports: [out.transport] });
    const { span } = inEventSpan(tracing, () => log.info("hello"));
    expect(out.json()[0]).to.include({ trace_id: span.spanContext().traceId, ...EVENT_FIELDS });
  });

  it("overrides neither user fields outside spans nor adds empty correlation keys", () => {
    const log = winston.createLogger({ format: winston.format.combine(correlationFormat(), jsonFormat()), transports: [lineCollector().transport] });
    const out = lineCollector();
    log.add(out.transport);
    log.info("imported", { trace_id: "from-upstream" });
    const line = out.json()[0]!;
    expect(line.trace_id).to.equal("from-upstream");
    for (const key of CORRELATION.filter((k) => k !== "trace_id")) expect(line).to.not.have.property(key);
  });
});
