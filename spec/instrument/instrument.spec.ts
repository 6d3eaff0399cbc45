// instrument(): one call, against the real collector and Jaeger; each case in its own process.
import { expect } from "chai";
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { JaegerClient, otlpSpans } from "../../lib/query/jaeger.js";
import { traceIdFromEventId } from "../../lib/trace/index.js";
import { ensureStack, STACK_START_TIMEOUT_MS, waitForLogs, waitForTrace, type StackEndpoints } from "../support/stack.js";

const run = promisify(execFile);
const FIXTURE = new URL("./fixtures/instrumented.ts", import.meta.url).pathname;
const CLOSED = "http://127.0.0.1:9"; // discard port: nothing listens there

interface Stats {
  recorded: number;
  export: { spans: { ended: number; exported: number; failed: number; unaccounted: number; lastError?: string }; logs: { ended: number; exported: number; failed: number } };
}

async function fixture(mode: string, env: NodeJS.ProcessEnv): Promise<{ root: string; serviceName?: string; stats: Stats }> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", FIXTURE, mode], { env: { ...cleanEnv(), ...env }, timeout: 60_000 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { root: string; serviceName?: string; stats: Stats };
}

/** The spec's own environment minus OTEL_* so each case states its configuration. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OTEL_")));
}

describe("instrument()", function () {
  let endpoints: StackEndpoints;
  let jaeger: JaegerClient;

  before(async function () {
    this.timeout(STACK_START_TIMEOUT_MS);
    endpoints = await ensureStack();
    jaeger = new JaegerClient(endpoints.jaeger.ui);
  });

  it("needs no configuration: the local collector on 4318, OTEL_SERVICE_NAME, protobuf by default", async function () {
    this.timeout(30_000);
    const r = await fixture("record", { OTEL_SERVICE_NAME: "e2e-env-service" });
    expect(r.serviceName).to.equal("e2e-env-service");
    expect(r.stats.export.spans).to.include({ exported: 2, failed: 0, unaccounted: 0 });
    expect(r.stats.export.logs).to.include({ exported: 1, failed: 0 });
    const trace = await waitForTrace(traceIdFromEventId(r.root), { minSpans: 2 });
    expect(Object.values(trace.processes).map((p) => p.serviceName)).to.deep.equal(["e2e-env-service"]);
    const resource = (await jaeger.getTraceOtlp(trace.traceID))!.resourceSpans[0]!.resource!.attributes!;
    const keys = resource.map((a) => a.key);
    expect(keys).to.include.members(["service.name", "service.version", "host.name", "process.pid", "telemetry.sdk.language"]);
  });

  it("honours OTEL_EXPORTER_OTLP_PROTOCOL=http/json and a per-signal endpoint over the general one", async function () {
    this.timeout(30_000);
    const r = await fixture("record", {
      OTEL_SERVICE_NAME: "e2e-json-service",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_ENDPOINT: CLOSED,
      OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: "2000",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoints.collector.otlpHttp}/v1/traces`,
    });
    expect(r.stats.export.spans).to.include({ exported: 2, failed: 0 });
    expect(r.stats.export.logs.exported, "logs went to the closed general endpoint").to.equal(0);
    expect(r.stats.export.logs.failed).to.equal(1);
    const trace = await waitForTrace(traceIdFromEventId(r.root), { minSpans: 2 });
    expect(otlpSpans(await jaeger.getTraceOtlp(trace.traceID)).map((s) => s.name).sort()).to.deep.equal(["pull_request.closed", "pull_request.opened"]);
  });

  it("counts export failures and never throws them at the caller", async function () {
    this.timeout(60_000);
    const r = await fixture("record", { OTEL_EXPORTER_OTLP_ENDPOINT: CLOSED, OTEL_EXPORTER_OTLP_TIMEOUT: "2000" });
    expect(r.stats.recorded).to.equal(2);
    expect(r.stats.export.spans).to.include({ ended: 2, exported: 0, failed: 2, unaccounted: 0 });
    expect(r.stats.export.spans.lastError).to.match(/ECONNREFUSED|connect|timeout/i);
  });

  it("exports logs from its export thread with the spans' resource, flushed when the process ends by itself", async function () {
    this.timeout(30_000);
    const marker = `exit-${Date.now()}`;
    const { stdout } = await run(process.execPath, ["--import", "tsx", FIXTURE, "exit", marker], {
      env: { ...cleanEnv(), OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collector.otlpHttp },
      timeout: 20_000,
    });
    const { root, pid } = JSON.parse(stdout.trim().split("\n").at(-1)!) as { root: string; pid: number };
    // The batch delay is a minute: only the flush at exit can have sent the record.
    const [record] = await waitForLogs(`marker:"${marker}"`);
    expect(record).to.include({ _msg: "logged just before exit", trace_id: traceIdFromEventId(root), "service.name": "e2e-exit", "process.pid": String(pid) });
    const trace = await waitForTrace(traceIdFromEventId(root), { minSpans: 1 });
    const resource = (await jaeger.getTraceOtlp(trace.traceID))!.resourceSpans[0]!.resource!.attributes!;
    const spanResource = Object.fromEntries(resource.map((a) => [a.key, Object.values(a.value ?? {})[0]]));
    for (const key of ["service.name", "service.version", "host.name", "process.pid", "telemetry.sdk.version"]) {
      expect(record![key], key).to.equal(String(spanResource[key]));
    }
  });

  it("returns the first instance from a second call", async function () {
    const { stdout } = await run(process.execPath, ["--import", "tsx", FIXTURE, "twice"], { env: cleanEnv() });
    expect(JSON.parse(stdout)).to.deep.equal({ same: true, serviceName: "first" });
  });

  it("flushes on SIGTERM by default, then exits as SIGTERM would", async function () {
    this.timeout(30_000);
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, "sigterm"], {
      env: { ...cleanEnv(), OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collector.otlpHttp },
    });
    const first = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (d: Buffer) => resolve(d.toString()));
      child.once("error", reject);
    });
    const { root } = JSON.parse(first) as { root: string };
    // The batch delay is a minute: only the flush on SIGTERM can have sent the span.
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    child.kill("SIGTERM");
    expect(await exited).to.equal("SIGTERM");
    const trace = await waitForTrace(traceIdFromEventId(root), { minSpans: 1 });
    expect(trace.spans[0]!.operationName).to.equal("pull_request.opened");
  });
});
