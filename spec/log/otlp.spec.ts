// Records go out through the OpenTelemetry Logs SDK (@opentelemetry/winston-transport):
// severity mapped, body = message, attributes = fields, span context = the span of the call.
// Every case runs on both paths a record can take: built in the log call's thread (createLogger
// with a LoggerProvider), and handed over as a JSON line, then built elsewhere (what instrument()'s
// export thread does: lib/log/line-export.ts, here run in this thread so the in-memory exporter
// sees the result; spec/instrument/log-export-thread.spec.ts runs the real thread).
import { context, trace } from "@opentelemetry/api";
import { logs, SeverityNumber } from "@opentelemetry/api-logs";
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import { expect } from "chai";
import winston from "winston";
import { correlationFormat, createLogger, jsonFormat, LineRecordExporter, LOG_SCOPE_NAME, OtlpTransport, prettyFormat, type LogLineSink } from "../../lib/log/index.js";
import { captureDiag, EVENT_FIELDS, ensureContextManager, eventContext, inEventSpan, lineCollector, makeLogSink, makeTracing, type LogSink, type Tracing } from "./support.js";

/** A sink that builds each record from its line at once, into `provider`. */
function lineSink(provider: LogSink["provider"]): LogLineSink {
  const lines = new LineRecordExporter(provider);
  // Through structuredClone, as postMessage would hand the values to the export thread.
  return { write: (time, level, line, extras) => lines.export(time, level, line, structuredClone(extras)) };
}

const PATHS = [
  { name: "built in the log call", lines: false },
  { name: "handed over as JSON lines", lines: true },
] as const;

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
  const records = (): ReadableLogRecord[] => sink.exporter.getFinishedLogRecords();

  for (const path of PATHS) describe(path.name, () => {
    function logger(options: Parameters<typeof createLogger>[0] = {}) {
      const to = path.lines ? { exportSink: lineSink(sink.provider) } : { loggerProvider: sink.provider };
      return createLogger({ ...to, transports: [lineCollector().transport], level: "debug", ...options });
    }

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

    it("exports the record as your format left it, whatever the output looks like", () => {
      const redact = winston.format((info) => ({ ...info, token: "[redacted]" }))();
      const log = logger({ format: winston.format.combine(redact, prettyFormat({ colors: true })) });
      const { span } = inEventSpan(tracing, () => log.warn("token used", { token: "s3cr3t", n: 1 }));
      const [record] = records();
      expect(record!.severityNumber).to.equal(SeverityNumber.WARN);
      expect(record!.attributes).to.include({ token: "[redacted]", n: 1, ...EVENT_FIELDS });
      expect(record!.spanContext?.spanId).to.equal(span.spanContext().spanId);
    });

    it("gives a record outside spans no span context, even with a trace_id field of its own", () => {
      logger().info("from upstream", { trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7" });
      expect(records()[0]!.spanContext).to.equal(undefined);
    });

    it("stamps the record with the time of the log call", () => {
      const before = Date.now();
      logger().info("now");
      const [seconds, nanos] = records()[0]!.hrTime;
      const ms = seconds * 1000 + nanos / 1e6;
      // The line path reads the clock the SDK's spans use (time origin + monotonic now), which may
      // stand a millisecond or so off Date.now().
      expect(ms).to.be.within(before - 5, Date.now() + 5);
    });

    if (path.lines) {
      it("keeps the order of one process's records within a millisecond (time stamps strictly increase)", () => {
        const log = logger();
        for (let i = 0; i < 50; i++) log.info("tick", { i });
        const times = records().map(({ hrTime: [s, ns] }) => BigInt(s) * 1_000_000_000n + BigInt(ns));
        for (let i = 1; i < times.length; i++) expect(times[i]! > times[i - 1]!, `record ${i}`).to.equal(true);
      });
    }
  });

  describe("in the log call only", () => {
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

    it("OtlpTransport works as an ordinary winston transport in a logger you build yourself", () => {
      const log = winston.createLogger({ format: winston.format.combine(correlationFormat(), jsonFormat()), transports: [new OtlpTransport({ loggerProvider: sink.provider })] });
      const { span } = inEventSpan(tracing, () => log.warn("from my own logger", { k: "v" }));
      const [record] = records();
      expect(record!.severityNumber).to.equal(SeverityNumber.WARN);
      expect(record!.spanContext?.spanId).to.equal(span.spanContext().spanId);
      expect(record!.attributes).to.include({ k: "v", ...EVENT_FIELDS });
    });

    it("a record the transport cannot build is reported once through diag, and logging goes on", async () => {
      const log = createLogger({ loggerProvider: sink.provider, transports: [lineCollector().transport] });
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
});

describe("OTLP export of log records, as JSON lines only", () => {
  it("exports a record whose fields cannot be serialized with the reason, instead of dropping it", () => {
    const sink = makeLogSink();
    const log = createLogger({ exportSink: lineSink(sink.provider), transports: [lineCollector().transport] });
    const bad = {
      get value(): never {
        throw new Error("getter exploded");
      },
    };
    log.info("first", { bad });
    log.info("fine");
    const [first, fine] = sink.exporter.getFinishedLogRecords();
    expect(first!.body).to.equal("first");
    expect(String(first!.attributes["quantm.log.serialization_error"])).to.match(/getter exploded/);
    expect(fine!.body).to.equal("fine");
  });
});
