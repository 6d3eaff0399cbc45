// Each record is also a span event on the span active at the call, so Jaeger lists it under the
// span's Logs and its tag search (which matches event attributes, not names) finds it.
import { context, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { expect } from "chai";
import winston from "winston";
import { ATTR_DROPPED_FIELDS, correlationFormat, createLogger, jsonFormat, spanEventFormat } from "../../lib/log/index.js";
import { captureDiag, ensureContextManager, eventContext, inEventSpan, lineCollector, makeTracing, type Tracing } from "./support.js";

describe("log records as span events", () => {
  let tracing: Tracing;
  before(() => {
    ensureContextManager();
    tracing = makeTracing();
  });
  beforeEach(() => tracing.exporter.reset());

  function logger(options: Parameters<typeof createLogger>[0] = {}) {
    const out = lineCollector();
    return createLogger({ otlp: false, transports: [out.transport], level: "debug", ...options });
  }
  function finished(name = "pull_request.opened"): ReadableSpan {
    const span = tracing.exporter.getFinishedSpans().find((s) => s.name === name);
    if (!span) throw new Error(`expected a finished span named ${name}`);
    return span;
  }

  it("adds the record to the event span: name = message, attributes level, message and fields", () => {
    const log = logger();
    inEventSpan(tracing, () => log.info("checking mergeability", { attempt: 3, ok: true, user: { id: "u1", roles: ["admin", "dev"] } }));
    const [event] = finished().events;
    expect(event!.name).to.equal("checking mergeability");
    expect(event!.attributes).to.deep.equal({
      level: "info",
      message: "checking mergeability",
      attempt: 3,
      ok: true,
      "user.id": "u1",
      "user.roles": ["admin", "dev"],
    });
  });

  it("leaves the ids and event context out of the event attributes (the span has them)", () => {
    const log = logger();
    inEventSpan(tracing, () => log.info("hello"));
    expect(Object.keys(finished().events[0]!.attributes ?? {})).to.deep.equal(["level", "message"]);
  });

  it("adds events only from the minimum level up (default info)", () => {
    const log = logger();
    inEventSpan(tracing, () => {
      log.debug("noise");
      log.info("kept");
      log.error("kept too");
    });
    expect(finished().events.map((e) => e.name)).to.deep.equal(["kept", "kept too"]);
  });

  it("takes a minimum level and can be switched off", () => {
    const warnOnly = logger({ spanEvents: { level: "warn" } });
    inEventSpan(tracing, () => {
      warnOnly.info("skipped");
      warnOnly.warn("kept");
    });
    expect(finished().events.map((e) => e.name)).to.deep.equal(["kept"]);
    tracing.exporter.reset();
    const off = logger({ spanEvents: false });
    inEventSpan(tracing, () => off.error("not an event"));
    expect(finished().events).to.have.length(0);
  });

  it("rejects a minimum level the logger does not have, naming the levels", () => {
    expect(() => logger({ spanEvents: { level: "loud" } })).to.throw(TypeError, /spanEvents\.level: expected one of the logger's levels \(error, warn, info.*\), got "loud"/);
  });

  it("goes to the span active at the call: a child span inside the event span", () => {
    const log = logger();
    inEventSpan(tracing, () => {
      const child = tracing.tracer.startSpan("http GET");
      context.with(trace.setSpan(context.active(), child), () => log.info("in child"));
      child.end();
      log.info("in event span");
    });
    expect(finished("http GET").events.map((e) => e.name)).to.deep.equal(["in child"]);
    expect(finished().events.map((e) => e.name)).to.deep.equal(["in event span"]);
  });

  it("by default adds nothing to spans outside events; spans: \"any\" adds to every recording span", () => {
    const span = tracing.tracer.startSpan("GET /health");
    context.with(trace.setSpan(context.active(), span), () => {
      logger().info("plain span");
      logger({ spanEvents: { spans: "any" } }).info("any span");
    });
    span.end();
    expect(finished("GET /health").events.map((e) => e.name)).to.deep.equal(["any span"]);
  });

  it("skips a span that has already ended, without a diag warning", async () => {
    const log = logger();
    const span = tracing.tracer.startSpan("pull_request.opened");
    const ctx = eventContext(span);
    span.end();
    const { messages } = await captureDiag(() => context.with(ctx, () => log.info("too late")));
    expect(messages.filter((m) => /ended Span/i.test(m))).to.deep.equal([]);
    expect(finished().events).to.have.length(0);
  });

  it("gives errors exception.* attributes: logger.error(err), { err } and an Error argument", () => {
    const log = logger();
    const boom = new TypeError("boom");
    const code = Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
    inEventSpan(tracing, () => {
      log.error(boom);
      log.error("merge failed", { err: new RangeError("out of range"), attempt: 2 });
      log.error("connect failed", code);
    });
    const [asRecord, asField, asArgument] = finished().events;
    expect(asRecord!.name).to.equal("boom");
    expect(asRecord!.attributes).to.deep.equal({
      level: "error",
      message: "boom",
      "exception.type": "TypeError",
      "exception.message": "boom",
      "exception.stacktrace": boom.stack,
    });
    expect(asField!.attributes).to.include({ "exception.type": "RangeError", "exception.message": "out of range", attempt: 2 });
    expect(asField!.attributes).to.not.have.any.keys("err", "err.message");
    expect(asArgument!.attributes).to.include({ "exception.type": "ECONNREFUSED", "exception.message": "refused" });
    expect(asArgument!.attributes!["exception.stacktrace"]).to.match(/^Error: refused\n/);
  });

  it("survives circular fields", () => {
    const log = logger();
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    a.list = [a, 1];
    inEventSpan(tracing, () => log.info("cyclic", { a }));
    expect(finished().events[0]!.attributes).to.include({ "a.name": "a", "a.self": "[Circular]", "a.list.0": "[Circular]", "a.list.1": 1 });
  });

  it("bounds the attributes: field count, value length and depth, and says what it dropped", () => {
    const log = logger({ spanEvents: { maxFields: 3, maxValueLength: 8, maxDepth: 2 } });
    inEventSpan(tracing, () => log.info("a message longer than eight", { long: "0123456789", deep: { a: { b: 1 } }, n: 1, m: 2, o: 3 }));
    const [event] = finished().events;
    expect(event!.name).to.equal("a messa…");
    expect(event!.attributes).to.deep.equal({
      level: "info",
      message: "a messa…",
      long: "0123456…",
      "deep.a": "[Object]",
      n: 1,
      [ATTR_DROPPED_FIELDS]: 2,
    });
  });

  it("follows the user's format: a record it drops makes no event, a field it redacts stays redacted", () => {
    const redact = winston.format((info) => (info.secret === "drop me" ? false : { ...info, token: "[redacted]" }));
    const log = logger({ format: winston.format.combine(redact(), jsonFormat()) });
    inEventSpan(tracing, () => {
      log.info("dropped", { secret: "drop me" });
      log.info("kept", { token: "s3cr3t" });
    });
    expect(finished().events.map((e) => [e.name, e.attributes?.token])).to.deep.equal([["kept", "[redacted]"]]);
  });

  it("works in a user-built logger with spanEventFormat()", () => {
    const out = lineCollector();
    const log = winston.createLogger({
      format: winston.format.combine(correlationFormat(), jsonFormat(), spanEventFormat({ level: "warn" })),
      transports: [out.transport],
    });
    inEventSpan(tracing, () => {
      log.info("not an event");
      log.warn("an event", { k: "v" });
    });
    expect(finished().events.map((e) => e.name)).to.deep.equal(["an event"]);
    expect(out.lines).to.have.length(2);
  });

  it("a broken field (a getter that throws) costs the span event, never the log call", async () => {
    const log = logger();
    const bad = {
      get value(): never {
        throw new Error("getter exploded");
      },
    };
    const out = lineCollector();
    log.add(out.transport);
    const { messages } = await captureDiag(() => inEventSpan(tracing, () => log.info("with a bad field", { bad })));
    expect(out.lines).to.have.length(1);
    expect(JSON.parse(out.lines[0]!)).to.include({ message: "with a bad field" });
    expect(messages.some((m) => /could not be added as a span event/.test(m))).to.equal(true);
  });
});
