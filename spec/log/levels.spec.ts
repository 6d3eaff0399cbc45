// Levels: winston filters only in its transports, after the formats ran, so the span event and
// the OTLP record (format steps here) follow the logger's level themselves.
import { expect } from "chai";
import winston from "winston";
import { createLogger } from "../../lib/log/index.js";
import { ensureContextManager, inEventSpan, lineCollector, makeLogSink, makeTracing, type Tracing } from "./support.js";

describe("log levels", () => {
  let tracing: Tracing;
  before(() => {
    ensureContextManager();
    tracing = makeTracing();
  });
  beforeEach(() => tracing.exporter.reset());
  const eventNames = () => tracing.exporter.getFinishedSpans()[0]!.events.map((e) => e.name);

  it("below the logger's level: no line, no span event, no OTLP record", () => {
    const out = lineCollector();
    const sink = makeLogSink();
    const log = createLogger({ level: "warn", loggerProvider: sink.provider, transports: [out.transport] });
    inEventSpan(tracing, () => {
      log.info("too quiet");
      log.debug("quieter");
      log.warn("loud enough");
    });
    expect(out.json().map((l) => l.message)).to.deep.equal(["loud enough"]);
    expect(eventNames()).to.deep.equal(["loud enough"]);
    expect(sink.exporter.getFinishedLogRecords().map((r) => r.body)).to.deep.equal(["loud enough"]);
  });

  it("a transport with a more verbose level of its own still gets its records, correlated; OTLP and span events follow the logger", () => {
    const out = lineCollector();
    const verbose = lineCollector();
    verbose.transport.level = "debug";
    const sink = makeLogSink();
    const log = createLogger({ level: "info", loggerProvider: sink.provider, transports: [out.transport, verbose.transport] });
    const { span } = inEventSpan(tracing, () => log.debug("details"));
    expect(out.lines).to.deep.equal([]);
    expect(verbose.json()[0]).to.include({ message: "details", span_id: span.spanContext().spanId });
    expect(eventNames()).to.deep.equal([]);
    expect(sink.exporter.getFinishedLogRecords()).to.have.length(0);
  });

  it("follows a level changed at run time", () => {
    const sink = makeLogSink();
    const log = createLogger({ level: "info", loggerProvider: sink.provider, transports: [lineCollector().transport], spanEvents: { level: "debug" } });
    inEventSpan(tracing, () => {
      log.debug("before");
      log.level = "debug";
      log.debug("after");
    });
    expect(sink.exporter.getFinishedLogRecords().map((r) => r.body)).to.deep.equal(["after"]);
    expect(eventNames()).to.deep.equal(["after"]);
  });

  it("works with custom levels (syslog), severity included", () => {
    const sink = makeLogSink();
    const log = createLogger({ levels: winston.config.syslog.levels, level: "notice", loggerProvider: sink.provider, transports: [lineCollector().transport], spanEvents: { level: "notice" } });
    inEventSpan(tracing, () => {
      log.log("info", "below notice");
      log.log("crit", "critical");
    });
    expect(sink.exporter.getFinishedLogRecords().map((r) => [r.body, r.severityNumber])).to.deep.equal([["critical", 21]]);
    expect(eventNames()).to.deep.equal(["critical"]);
  });
});
