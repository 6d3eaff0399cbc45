// Records go out through the OpenTelemetry Logs SDK (@opentelemetry/winston-transport):
// severity mapped, body = message, attributes = fields, span context = the span of the call.
import { context, trace } from "@opentelemetry/api";
import { logs, SeverityNumber } from "@opentelemetry/api-logs";
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import { expect } from "chai";
import winston from "winston";
import { correlationFormat, createLogger, jsonFormat, LOG_SCOPE_NAME, OtlpTransport } from "../../lib/log/index.js";
import { captureDiag, EVENT_FIELDS, ensureContextManager, eventContext, inEventSpan, lineCollector, makeLogSink, makeTracing, type LogSink, type Tracing } from "./support.js";

describe("OTLP export of log records", () => {
  let tracing: Tracing;
  let sink: LogSink;
  before(() => {
    ensureContextManager();
    tracing = makeTracing();
  });
  beforeEach(() => {
    sink = makeLogSink();
  });

  function logger(options: Parameters<typeof createLogger>[0] = {}) {
    return createLogger({ loggerProvider: sink.provider, transports: [lineCollector().transport], level: "debug", ...options });
  }
  const records = (): ReadableLogRecord[] => sink.exporter.getFinishedLogRecords();

  it("exports body = message, severity from the level, attributes = fields and event context", () => {
    const log = logger();
    const { span } = inEventSpan(tracing, () => log.info("checking mergeability", { attempt: 3, user: { id: "u1" } }));
    const [record] = records();
    expect(record!.body).to.equal("checking mergeability");
    expect(record!.severityNumber).to.equal(SeverityNumber.INFO);
    expect(record!.severityText).to.equal("info");
    expect(record!.attributes).to.include({ attempt: 3, ...EVENT_FIELDS });
    // nested fields are flattened to dotted keys (lib/log/export-bounds.ts)
    expect(record!.attributes["user.id"]).to.equal("u1");
    expect(record!.instrumentationScope.name).to.equal(LOG_SCOPE_NAME);
    // the ids travel as the record's span context, not as attributes
    expect(record!.spanContext).to.include({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, traceFlags: 1 });
    expect(record!.attributes).to.not.have.any.keys("trace_id", "span_id", "trace_flags");
  });

  it("maps every npm level to its OpenTelemetry severity", () => {
    const log = logger({ level: "silly" });
    for (const level of ["error", "warn", "info", "http", "verbose", "debug", "silly"]) log.log(level, level);
    expect(records().map((r) => [r.body, r.severityNumber])).to.deep.equal([
      ["error", SeverityNumber.ERROR],
      ["warn", SeverityNumber.WARN],
      ["info", SeverityNumber.INFO],
      ["http", SeverityNumber.DEBUG3],
      ["verbose", SeverityNumber.DEBUG2],
      ["debug", SeverityNumber.DEBUG],
      ["silly", SeverityNumber.TRACE],
    ]);
  });

  it("exports a record written outside any span without span context and without event fields", () => {
    logger().info("starting up", { port: 8080 });
    const [record] = records();
    expect(record!.spanContext).to.equal(undefined);
    expect(record!.attributes).to.deep.equal({ port: 8080 });
  });

  it("gives the record the span active at the call, even when the transport runs later", async () => {
    const log = logger();
    const span = tracing.tracer.startSpan("pull_request.opened");
    log.cork();
    context.with(eventContext(span), () => log.info("held back"));
    span.end();
    // The SDK would otherwise read context.active() when the transport runs: here, no span at all.
    await new Promise((resolve) => setImmediate(resolve));
    log.uncork();
    expect(records()[0]!.spanContext?.spanId).to.equal(span.spanContext().spanId);
  });

  it("gives Error objects exception.type, exception.message and exception.stacktrace", () => {
    const log = logger();
    const boom = new TypeError("boom");
    log.error(boom);
    log.error("merge failed", { err: new RangeError("out of range") });
    log.error("merge failed", new SyntaxError("bad json"));
    const [asRecord, asField, asArgument] = records();
    expect(asRecord!.body).to.equal("boom");
    expect(asRecord!.attributes).to.include({ "exception.type": "TypeError", "exception.message": "boom", "exception.stacktrace": boom.stack });
    expect(asField!.body).to.equal("merge failed");
    expect(asField!.attributes).to.include({ "exception.type": "RangeError", "exception.message": "out of range" });
    expect(asField!.attributes["exception.stacktrace"]).to.match(/^RangeError: out of range\n/);
    expect(asField!.attributes).to.not.have.property("err");
    expect(asArgument!.attributes).to.include({ "exception.type": "SyntaxError", "exception.message": "bad json" });
  });

  it("does not invent exceptions from metadata that merely has a name, code or message", () => {
    const log = logger();
    log.info("created user", { name: "bob", code: 7 });
    log.info("greeting %s", "alice");
    for (const record of records()) expect(Object.keys(record.attributes).filter((k) => k.startsWith("exception."))).to.deep.equal([]);
    expect(records()[0]!.attributes).to.include({ name: "bob", code: 7 });
  });

  it("exports circular fields without crashing", () => {
    const log = logger();
    const node: Record<string, unknown> = { id: 1 };
    node.self = node;
    log.info("cyclic", { node });
    expect(records()[0]!.attributes).to.include({ "node.id": 1, "node.self": "[Circular]" });
  });

  it("uses the global LoggerProvider by default, even one registered after the logger was created", () => {
    const log = createLogger({ transports: [lineCollector().transport] });
    const global = makeLogSink();
    expect(logs.setGlobalLoggerProvider(global.provider)).to.equal(global.provider);
    try {
      log.info("through the global provider");
      expect(global.exporter.getFinishedLogRecords().map((r) => r.body)).to.deep.equal(["through the global provider"]);
    } finally {
      logs.disable();
    }
  });

  it("exports nothing with otlp: false", () => {
    logger({ otlp: false }).info("console only");
    expect(records()).to.have.length(0);
  });

  it("keeps exporting the record when a span was active but sampled out", () => {
    const log = logger();
    const span = trace.wrapSpanContext({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 0 });
    context.with(trace.setSpan(context.active(), span), () => log.info("unsampled"));
    expect(records()[0]!.spanContext).to.include({ spanId: "00f067aa0ba902b7", traceFlags: 0 });
  });

  it("OtlpTransport works as an ordinary winston transport in a logger you build yourself", () => {
    const log = winston.createLogger({ format: winston.format.combine(correlationFormat(), jsonFormat()), transports: [new OtlpTransport({ loggerProvider: sink.provider })] });
    const { span } = inEventSpan(tracing, () => log.warn("from my own logger", { k: "v" }));
    const [record] = records();
    expect(record!.severityNumber).to.equal(SeverityNumber.WARN);
    expect(record!.spanContext?.spanId).to.equal(span.spanContext().spanId);
    expect(record!.attributes).to.include({ k: "v", ...EVENT_FIELDS });
  });

  it("a record the transport cannot build is reported once through diag, and logging goes on", async () => {
    const log = logger();
    const bad = {
      get value(): never {
        throw new Error("getter exploded");
      },
    };
    const { messages } = await captureDiag(() => {
      log.info("first", { bad });
      log.info("second", { bad });
      log.info("fine");
    });
    expect(messages.filter((m) => /could not be exported/.test(m))).to.have.length(1);
    expect(records().map((r) => r.body)).to.deep.equal(["fine"]);
  });
});
