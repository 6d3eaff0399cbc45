// The real local stack, end to end: plain OpenTelemetry code → collector (4318) → Jaeger; and the
// `quantm-events stack` lifecycle (status, reuse, down, a taken port, a program that dies at start).
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { expect } from "chai";
import { ENDPOINTS, STACK_HOST, stackPorts, stackStatus, type StackStatus } from "../../lib/stack/index.js";
import { isPortFree } from "../../lib/stack/ports.js";
import { STACK_START_TIMEOUT_MS, ensureStack, fetchTraceOtlp, searchTraces, waitForTrace } from "../support/stack.js";
import { runCli } from "./support.js";

describe("the local stack (real collector + Jaeger + VictoriaLogs)", function () {
  before(async function () {
    this.timeout(STACK_START_TIMEOUT_MS);
    await ensureStack();
  });

  describe("spans sent with plain OpenTelemetry code over OTLP/HTTP to 127.0.0.1:4318", function () {
    this.timeout(30_000);
    const service = `stack-spec-${randomUUID().slice(0, 8)}`;
    let traceId: string;
    let parentId: string;
    let childId: string;

    before(async function () {
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ "service.name": service }),
        spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${ENDPOINTS.collector.otlpHttp}/v1/traces` }))],
      });
      const tracer = provider.getTracer("stack-spec");
      const parent = tracer.startSpan("checkout", { kind: SpanKind.SERVER, attributes: { "spec.role": "parent" } });
      const child = tracer.startSpan("charge-card", { attributes: { "spec.role": "child", "spec.amount": 42 } }, trace.setSpan(ROOT_CONTEXT, parent));
      child.addEvent("card accepted", { "spec.card": "visa" });
      child.end();
      parent.end();
      traceId = parent.spanContext().traceId;
      parentId = parent.spanContext().spanId;
      childId = child.spanContext().spanId;
      await provider.forceFlush();
      await provider.shutdown();
    });

    it("are returned by Jaeger's /api/traces/{id}, with the tree, tags and events", async function () {
      const found = await waitForTrace(traceId, { minSpans: 2, timeoutMs: 15_000 });
      expect(found.traceID).to.equal(traceId);
      const byName = new Map(found.spans.map((s) => [s.operationName, s]));
      const parent = byName.get("checkout");
      const child = byName.get("charge-card");
      expect(parent?.spanID).to.equal(parentId);
      expect(child?.spanID).to.equal(childId);
      expect(child?.references).to.deep.equal([{ refType: "CHILD_OF", traceID: traceId, spanID: parentId }]);
      expect(child?.tags).to.deep.include({ key: "spec.amount", type: "int64", value: 42 });
      expect(child?.logs[0]?.fields).to.deep.include({ key: "event", type: "string", value: "card accepted" });
      expect(found.processes[child?.processID ?? ""]?.serviceName).to.equal(service);
    });

    it("are returned by /api/v3/traces/{id} as OTLP JSON with the parent span id", async function () {
      await waitForTrace(traceId, { minSpans: 2 });
      const otlp = await fetchTraceOtlp(traceId);
      const spans = otlp?.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)) ?? [];
      expect(spans.map((s) => s.name).sort()).to.deep.equal(["charge-card", "checkout"]);
      const child = spans.find((s) => s.name === "charge-card");
      expect(child?.traceId).to.equal(traceId);
      expect(child?.spanId).to.equal(childId);
      expect(child?.parentSpanId).to.equal(parentId);
      expect(child?.events?.map((e) => e.name)).to.deep.equal(["card accepted"]);
      const resourceAttrs = otlp?.resourceSpans[0]?.resource?.attributes ?? [];
      expect(resourceAttrs).to.deep.include({ key: "service.name", value: { stringValue: service } });
    });

    it("are found by Jaeger's search on service and tags", async function () {
      await waitForTrace(traceId, { minSpans: 2 });
      const traces = await searchTraces(service, { tags: { "spec.role": "child" } });
      expect(traces.map((t) => t.traceID)).to.deep.equal([traceId]);
    });

    it("answer 404 for a trace Jaeger does not hold", async function () {
      const res = await fetch(`${ENDPOINTS.jaeger.api}/traces/${"0".repeat(31)}1`);
      expect(res.status).to.equal(404);
    });
  });

  describe("quantm-events stack status", function () {
    it("says the stack is running and lists the endpoints (exit 0)", async function () {
      const { code, out } = await runCli(["stack", "status"]);
      expect(code, out).to.equal(0);
      expect(out).to.match(/^the stack is running/);
      for (const name of ["victoria-logs", "jaeger", "otel-collector"]) expect(out).to.match(new RegExp(`${name} .* healthy`));
      expect(out).to.include("http://127.0.0.1:4318").and.include("http://127.0.0.1:16686").and.include("http://127.0.0.1:9428");
    });

    it("--json prints every endpoint and each program's health", async function () {
      const { code, out } = await runCli(["stack", "status", "--json"]);
      expect(code).to.equal(0);
      const status = JSON.parse(out) as StackStatus;
      expect(status.running).to.equal(true);
      expect(status.endpoints).to.deep.equal(ENDPOINTS);
      expect(status.programs.map((p) => [p.name, p.healthy])).to.deep.equal([
        ["victoria-logs", true],
        ["jaeger", true],
        ["otel-collector", true],
      ]);
      // Every endpoint URL answers (the OTLP gRPC ones too: a TCP listener is all we ask there).
      for (const p of stackPorts()) expect(await isPortFree(p.port, STACK_HOST), `${p.label} on ${p.port}`).to.equal(false);
    });
  });

  describe("a second quantm-events stack up", function () {
    it("reuses the running stack: same processes, reported as reused", async function () {
      const before = await stackStatus();
      const { code, out } = await runCli(["stack", "up", "--json"]);
      expect(code).to.equal(0);
      const result = JSON.parse(out) as StackStatus & { reused: boolean };
      expect(result.reused).to.equal(true);
      expect(result.programs.map((p) => p.pid)).to.deep.equal(before.programs.map((p) => p.pid));
      const human = await runCli(["stack", "up"]);
      expect(human.out).to.match(/^the stack was already running and healthy/);
    });
  });

  describe("stopped", function () {
    this.timeout(60_000);
    let server: Server | undefined;
    let scratch: string | undefined;

    before(async function () {
      const { code, out, err } = await runCli(["stack", "down"]);
      expect(code, err).to.equal(0);
      expect(out).to.match(/every port is free$/);
    });

    after(async function () {
      this.timeout(STACK_START_TIMEOUT_MS);
      if (server !== undefined) await new Promise<void>((r) => server?.close(() => r()));
      if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
      await ensureStack(); // later specs expect the stack
    });

    it("stack down frees every port and status says so (exit 3)", async function () {
      for (const p of stackPorts()) expect(await isPortFree(p.port, STACK_HOST), `${p.label} on ${p.port}`).to.equal(true);
      const { code, out } = await runCli(["stack", "status"]);
      expect(code).to.equal(3);
      expect(out).to.match(/^the stack is not running/);
      const again = await runCli(["stack", "down"]);
      expect(again.code).to.equal(0);
      expect(again.out).to.equal("the stack was not running; every port is free");
    });

    it("stack up with a port taken names the port and the process, and starts nothing", async function () {
      server = createServer();
      await new Promise<void>((r) => server?.listen(4318, STACK_HOST, () => r()));
      const { code, out, err } = await runCli(["stack", "up"]);
      expect(code).to.equal(1);
      expect(out).to.equal("");
      expect(err).to.include("cannot start the stack: a port it needs is already taken");
      expect(err).to.include(`127.0.0.1:4318 (collector OTLP/HTTP) is in use by pid ${process.pid} (`);
      expect(err).not.to.match(/\n\s+at /); // no stack trace
      const status = await stackStatus();
      expect(status.programs.every((p) => !p.healthy && p.pid === undefined)).to.equal(true);
      await new Promise<void>((r) => server?.close(() => r()));
      server = undefined;
    });

    it("a program that exits at start is reported with the tail of its log, and the others are stopped", async function () {
      // A data folder VictoriaLogs cannot lock (its lock file is a directory) makes it exit at once.
      scratch = mkdtempSync(join(tmpdir(), "quantm-stack-state-"));
      mkdirSync(join(scratch, "victoria-logs-data", "flock.lock"), { recursive: true });
      const { code, err } = await runCli(["stack", "up"], { ...process.env, QUANTM_STACK_STATE: scratch });
      expect(code).to.equal(1);
      expect(err).to.match(/victoria-logs exited with code \d+ right after starting\. The end of its log \(.*victoria-logs\.log\):/);
      expect(err).to.include("flock.lock");
      for (const p of stackPorts()) expect(await isPortFree(p.port, STACK_HOST), `${p.label} on ${p.port}`).to.equal(true);
    });

    it("two `stack up` processes at once start one stack: the second waits, then reuses it", async function () {
      const [a, b] = await Promise.all([cliProcess(["stack", "up", "--json"]), cliProcess(["stack", "up", "--json"])]);
      expect(a.code, a.err).to.equal(0);
      expect(b.code, b.err).to.equal(0);
      const results = [a, b].map((r) => JSON.parse(r.out) as StackStatus & { reused: boolean });
      expect(results.map((r) => r.reused).sort()).to.deep.equal([false, true]);
      expect(results[0]?.programs.map((p) => p.pid)).to.deep.equal(results[1]?.programs.map((p) => p.pid));
    });
  });
});

/** Runs the CLI in a separate Node process (as a user would), capturing its output. */
function cliProcess(argv: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const main = new URL("../../lib/cli/main.ts", import.meta.url).href;
  const script = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(process.argv.slice(1));`;
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, ...argv], { timeout: 120_000 }, (err, stdout, stderr) => {
      if (err !== null && typeof err.code !== "number") reject(err);
      else resolvePromise({ code: err === null ? 0 : (err.code as number), out: stdout, err: stderr });
    });
  });
}
