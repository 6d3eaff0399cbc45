// The logger with the real event bridge: logs inside withEvent belong to the event span, logs
// inside handle to the CONSUMER span, with the event's context in both; logs after the
// callback settled (a fire-and-forget promise) no longer touch the ended span.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { expect } from "chai";
import { createEvent } from "../../lib/event/index.js";
import { createLogger } from "../../lib/log/index.js";
import { createEventBridge, eventIdGenerator, spanIdFromEventId } from "../../lib/trace/index.js";
import { captureDiag, ensureContextManager, lineCollector, makeLogSink } from "./support.js";

describe("logging inside the event bridge's spans", () => {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ idGenerator: eventIdGenerator, spanProcessors: [new SimpleSpanProcessor(spans)] });
  const bridge = createEventBridge({ tracerProvider });
  before(() => ensureContextManager());
  beforeEach(() => spans.reset());

  const opened = () =>
    createEvent({
      context: { hook: "github", scope: "pull_request", action: "opened", source: "https://github.com/acme/app" },
      subject: { id: "42", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" },
      payload: { number: 1 },
    });

  it("withEvent: records carry the event span's ids and context; the span lists them as events", async () => {
    const out = lineCollector();
    const sink = makeLogSink();
    const logger = createLogger({ transports: [out.transport], loggerProvider: sink.provider });
    const event = opened();
    await bridge.withEvent(event, async () => {
      logger.info("checking mergeability", { attempt: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2));
      logger.warn("still checking", { attempt: 2 });
    });
    const [span] = spans.getFinishedSpans();
    expect(span!.spanContext().spanId).to.equal(spanIdFromEventId(event.id));
    for (const line of out.json()) {
      expect(line).to.include({
        trace_id: span!.spanContext().traceId,
        span_id: span!.spanContext().spanId,
        "quantm.event.id": event.id,
        "quantm.context.scope": "pull_request",
        "quantm.context.action": "opened",
        "quantm.context.hook": "github",
        "quantm.subject.id": "42",
        "quantm.subject.name": "repos",
        "quantm.subject.team_id": event.subject.team_id,
      });
    }
    expect(span!.events.map((e) => [e.name, e.attributes?.level, e.attributes?.attempt])).to.deep.equal([
      ["checking mergeability", "info", 1],
      ["still checking", "warn", 2],
    ]);
    expect(sink.exporter.getFinishedLogRecords().map((r) => r.spanContext?.spanId)).to.deep.equal([span!.spanContext().spanId, span!.spanContext().spanId]);
  });

  it("handle: records belong to the CONSUMER span, with the event's context", async () => {
    const out = lineCollector();
    const logger = createLogger({ transports: [out.transport], otlp: false });
    const event = opened();
    await bridge.handle(event, async () => logger.info("rebasing"));
    const [span] = spans.getFinishedSpans();
    expect(span!.name).to.equal("handle pull_request.opened");
    expect(out.json()[0]).to.include({ span_id: span!.spanContext().spanId, "quantm.event.id": event.id });
    expect(span!.events.map((e) => e.name)).to.deep.equal(["rebasing"]);
  });

  it("a log written after the callback settled keeps its correlation but adds no event to the ended span", async () => {
    const out = lineCollector();
    const logger = createLogger({ transports: [out.transport], otlp: false });
    const event = opened();
    let later: Promise<void> | undefined;
    await bridge.withEvent(event, () => {
      later = new Promise((resolve) => setTimeout(resolve, 5)).then(() => {
        logger.info("late");
      });
    });
    const { messages } = await captureDiag(() => later);
    expect(out.json()[0]).to.include({ message: "late", "quantm.event.id": event.id });
    expect(spans.getFinishedSpans()[0]!.events).to.have.length(0);
    expect(messages.filter((m) => /ended Span/.test(m))).to.deep.equal([]);
  });
});
