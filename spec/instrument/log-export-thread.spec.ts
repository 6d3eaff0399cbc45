// instrument()'s log export thread (lib/instrument/log-export-thread.ts) against the real
// collector and log store: what the log calls hand over is built and exported by the worker,
// counted, bounded, and never thrown at the caller.
import { context } from "@opentelemetry/api";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { expect } from "chai";
import { DEFAULT_BATCH } from "../../lib/instrument/config.js";
import { LogExportThread, type LogExportThreadOptions } from "../../lib/instrument/log-export-thread.js";
import { createLogger } from "../../lib/log/index.js";
import { eventContext, ensureContextManager } from "../log/support.js";
import { ensureStack, STACK_START_TIMEOUT_MS, waitForLogs, type StackEndpoints } from "../support/stack.js";

const CLOSED = "http://127.0.0.1:9"; // discard port: nothing listens there

describe("the log export thread", function () {
  let endpoints: StackEndpoints;
  const started: LogExportThread[] = [];

  before(async function () {
    this.timeout(STACK_START_TIMEOUT_MS);
    endpoints = await ensureStack();
    ensureContextManager();
  });
  after(async function () {
    this.timeout(30_000);
    await Promise.all(started.map((t) => t.shutdown()));
  });

  function thread(options: Partial<LogExportThreadOptions> = {}): LogExportThread {
    const t = new LogExportThread({
      protocol: "http/protobuf",
      url: `${endpoints.collector.otlpHttp}/v1/logs`,
      batch: DEFAULT_BATCH,
      env: process.env,
      resource: Promise.resolve({ "service.name": "spec-log-thread" }),
      ...options,
    });
    started.push(t);
    return t;
  }

  it("exports the records of the log calls with their span, time, fields and resource", async function () {
    this.timeout(30_000);
    const t = thread();
    const logger = createLogger({ exportSink: t, transports: [] });
    const marker = `thread-${Date.now()}`;
    const span = new BasicTracerProvider().getTracer("spec").startSpan("pull_request.opened");
    const before = Date.now();
    context.with(eventContext(span), () => {
      logger.info("checking mergeability", { marker, attempt: 3 });
      logger.error("merge failed", { marker, err: new RangeError("out of range") });
    });
    logger.info("outside", { marker });
    span.end();
    await t.forceFlush();
    expect(t.stats()).to.include({ ended: 3, exported: 3, failed: 0, dropped: 0 });

    const records = await waitForLogs(`marker:"${marker}"`, { minRecords: 3 });
    const byMessage = new Map(records.map((r) => [r._msg, r]));
    const info = byMessage.get("checking mergeability")!;
    expect(info).to.include({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, "service.name": "spec-log-thread", attempt: "3", severity_text: "info" });
    expect(info["quantm.subject.name"]).to.equal("repos");
    const time = Date.parse(info._time!);
    expect(time).to.be.within(before - 1, Date.now());
    expect(byMessage.get("merge failed")).to.include({ "exception.type": "RangeError", "exception.message": "out of range", severity_text: "error" });
    expect(byMessage.get("outside")).to.not.have.property("trace_id");
  });

  it("bounds what is in flight: past maxQueueSize, records are dropped and counted, not thrown", async function () {
    this.timeout(30_000);
    const t = thread({ batch: { ...DEFAULT_BATCH, maxQueueSize: 100 } });
    const logger = createLogger({ exportSink: t, transports: [] });
    // Synchronously: the worker gets its resource (and so starts consuming) only after this loop.
    for (let i = 0; i < 5_000; i++) logger.info("flood", { i });
    expect(t.stats()).to.include({ ended: 5_000, dropped: 4_900 });
    await t.forceFlush();
    expect(t.stats()).to.include({ ended: 5_000, dropped: 4_900, exported: 100, failed: 0 });
  });

  it("counts failed exports with the reason and never throws them at the caller", async function () {
    this.timeout(30_000);
    const t = thread({ url: `${CLOSED}/v1/logs`, env: { ...process.env, OTEL_EXPORTER_OTLP_TIMEOUT: "2000" } });
    const logger = createLogger({ exportSink: t, transports: [] });
    for (let i = 0; i < 3; i++) logger.info("to nowhere", { i });
    await t.forceFlush();
    const stats = t.stats();
    expect(stats).to.include({ ended: 3, exported: 0, failed: 3 });
    expect(stats.lastError).to.match(/ECONNREFUSED|connect|timeout/i);
  });

  it("after shutdown, drops and counts records; shutting down twice is harmless", async function () {
    this.timeout(30_000);
    const t = thread();
    const logger = createLogger({ exportSink: t, transports: [] });
    logger.info("before");
    await t.shutdown();
    logger.info("after");
    await t.shutdown();
    await t.forceFlush();
    expect(t.stats()).to.include({ ended: 2, exported: 1, dropped: 1 });
  });

  it("keeps the records that arrive before the resource and exports them once it is known", async function () {
    this.timeout(30_000);
    let resolve!: (attributes: { "service.name": string }) => void;
    const t = thread({ resource: new Promise((r) => (resolve = r)) });
    const logger = createLogger({ exportSink: t, transports: [] });
    const marker = `late-resource-${Date.now()}`;
    logger.info("early", { marker });
    await new Promise((r) => setTimeout(r, 200));
    resolve({ "service.name": "spec-late-resource" });
    await t.forceFlush();
    expect(t.stats()).to.include({ exported: 1 });
    const [record] = await waitForLogs(`marker:"${marker}"`);
    expect(record).to.include({ _msg: "early", "service.name": "spec-late-resource" });
  });

  it("is never the reason a process stays alive", async function () {
    // The worker is unref'd: a thread with records in flight must not hold the event loop.
    const t = thread();
    createLogger({ exportSink: t, transports: [] }).info("in flight");
    const handles = (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo();
    expect(handles.filter((h) => /Worker|MessagePort/.test(h))).to.deep.equal([]);
    await t.forceFlush();
  });

});
