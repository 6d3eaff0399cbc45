// Log records sent with plain OpenTelemetry code reach VictoriaLogs through the collector, with
// the correlation ids, severity, service and attributes as searchable fields; Jaeger's UI links there.
import { randomBytes, randomUUID } from "node:crypto";
import { ROOT_CONTEXT, TraceFlags, trace } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { expect } from "chai";
import { ENDPOINTS } from "../../lib/stack/index.js";
import { STACK_START_TIMEOUT_MS, ensureStack, queryLogs, waitForLogs } from "../support/stack.js";

describe("the local stack's log store (VictoriaLogs behind the collector)", function () {
  this.timeout(30_000);
  const service = `stack-logs-spec-${randomUUID().slice(0, 8)}`;
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  const eventId = randomUUID();

  before(async function () {
    this.timeout(STACK_START_TIMEOUT_MS);
    await ensureStack();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ "service.name": service }),
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${ENDPOINTS.collector.otlpHttp}/v1/logs` }) })],
    });
    const logger = provider.getLogger("stack-logs-spec");
    const inSpan = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    logger.emit({
      severityNumber: SeverityNumber.WARN,
      severityText: "warn",
      body: "mergeability check is slow",
      attributes: { "quantm.event.id": eventId, "quantm.context.scope": "pull_request", "spec.attempt": 3 },
      context: inSpan,
    });
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: "info", body: "outside any span", attributes: { "spec.marker": service }, context: ROOT_CONTEXT });
    await provider.forceFlush();
    await provider.shutdown();
  });

  it("stores a record found by trace_id, with span_id, severity, service.name, message and attributes as fields", async function () {
    const [record, ...more] = await waitForLogs(`trace_id:${traceId}`);
    expect(more).to.have.length(0);
    expect(record).to.include({
      _msg: "mergeability check is slow",
      trace_id: traceId,
      span_id: spanId,
      severity_text: "warn",
      severity_number: String(SeverityNumber.WARN),
      "service.name": service,
      "quantm.event.id": eventId,
      "quantm.context.scope": "pull_request",
      "spec.attempt": "3",
      "scope.name": "stack-logs-spec",
    });
  });

  it("finds the same record by an attribute, by span_id and by service and severity", async function () {
    await waitForLogs(`trace_id:${traceId}`);
    const byEvent = await queryLogs(`"quantm.event.id":"${eventId}"`);
    expect(byEvent.map((r) => r.trace_id)).to.deep.equal([traceId]);
    const bySpan = await queryLogs(`span_id:${spanId}`);
    expect(bySpan.map((r) => r._msg)).to.deep.equal(["mergeability check is slow"]);
    const bySeverity = await queryLogs(`"service.name":"${service}" severity_text:warn`);
    expect(bySeverity).to.have.length(1);
  });

  it("stores a record written outside any span without trace or span ids", async function () {
    const [record] = await waitForLogs(`"spec.marker":"${service}"`);
    expect(record?._msg).to.equal("outside any span");
    expect(record).not.to.have.property("trace_id");
    expect(record).not.to.have.property("span_id");
  });

  it("the Jaeger UI page embeds the linkPatterns that open VictoriaLogs on a trace's logs", async function () {
    const page = await (await fetch(ENDPOINTS.jaeger.ui + "/")).text();
    const match = /JAEGER_CONFIG = (\{.*?\});/.exec(page);
    expect(match, "JAEGER_CONFIG in the page").to.not.equal(null);
    const config = JSON.parse(match?.[1] ?? "{}") as { linkPatterns?: { type: string; url: string; text: string }[] };
    const traceLink = config.linkPatterns?.find((l) => l.type === "traces");
    expect(traceLink?.url).to.equal("http://127.0.0.1:9428/select/vmui/#/?query=trace_id:#{traceID}&g0.relative_time=last_7_days");
    // The query the link opens finds the record (the UI runs the same LogsQL).
    const query = new URL(traceLink?.url.replace("#/?", "?").replace("#{traceID}", traceId) ?? "").searchParams.get("query");
    expect(await queryLogs(query ?? "")).to.have.length(1);
    const ui = await fetch(ENDPOINTS.logs.ui);
    expect(ui.status).to.equal(200);
    expect(await ui.text()).to.include("<html");
  });
});
