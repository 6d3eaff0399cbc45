// A CommonJS consumer on Node 20 can `require("quantm-events")` (require(esm), unflagged since
// Node 20.19): proved with a real child process that resolves the package by name through
// node_modules, exactly as an installed dependency would be.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureStack, STACK_START_TIMEOUT_MS, waitForLogs } from "../support/stack.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const CONSUMER = `
"use strict";
const q = require("quantm-events");
const schema = require("quantm-events/schema.json");
const event = q.createEvent({
  context: { hook: "github", scope: "pull_request", action: "opened", source: "https://github.com/acme/app" },
  subject: { id: "954e472d-a22f-4696-b447-2c8144d37f47", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" },
  payload: { number: 1 },
});
const child = q.createEvent({ parent: event, context: { ...event.context, action: "checked" }, subject: event.subject, payload: {} });
let parseError;
try { q.parseEvent('{"version": "0.1.0"}'); } catch (err) {
  parseError = { instance: err instanceof q.QuantmEventError, isError: err instanceof Error, name: err.name, issues: err.issues.length };
}
console.log(JSON.stringify({
  moduleType: typeof module,
  valid: q.validateEvent(event).valid,
  strictValid: q.validateEvent(child, { strict: true }).valid,
  invalid: q.validateEvent({}).errors.map((e) => e.message),
  lineage: child.context.parent_id === event.id && child.context.root_id === event.id,
  version: event.version,
  schemaIsExported: JSON.stringify(schema) === JSON.stringify(q.eventJsonSchema),
  parseError,
}));
`;

// instrument() from CommonJS: the log export thread's worker is loaded from dist/ next to it.
const INSTRUMENTED = `
"use strict";
const q = require("quantm-events");
// OpenTelemetry's diag to stderr: a thread that cannot start (and falls back) would say so there.
const api = require(require.resolve("@opentelemetry/api", { paths: [require.resolve("quantm-events")] }));
api.diag.setLogger(new api.DiagConsoleLogger(), api.DiagLogLevel.WARN);
const marker = process.argv[2];
const inst = q.instrument({ serviceName: "spec-cjs-consumer", logger: { transports: [] }, flushOnExit: false });
const event = q.createEvent({
  context: { hook: "github", scope: "pull_request", action: "opened", source: "https://github.com/acme/app" },
  subject: { id: "954e472d-a22f-4696-b447-2c8144d37f47", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" },
  payload: { number: 1 },
});
inst.withEvent(event, () => inst.logger.info("from a CommonJS consumer", { marker }))
  .then(() => inst.shutdown())
  .then(() => console.log(JSON.stringify({ root: event.id, logs: inst.stats().export.logs })));
`;

describe("package: a CommonJS consumer on Node 20", () => {
  let dir: string;

  before(function () {
    if (!existsSync(join(ROOT, "dist/index.js")) || !existsSync(join(ROOT, "dist/event/quantm-event.schema.json"))) {
      throw new Error("dist/ is missing: run `npm run build` first (npm test does it)");
    }
    dir = mkdtempSync(join(tmpdir(), "quantm-cjs-"));
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(ROOT, join(dir, "node_modules", "quantm-events"), "dir");
    writeFileSync(join(dir, "consumer.cjs"), CONSUMER);
    writeFileSync(join(dir, "instrumented.cjs"), INSTRUMENTED);
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`require("quantm-events") works without flags on ${process.version}, and createEvent/validateEvent/parseEvent behave`, async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ["consumer.cjs"], { cwd: dir, timeout: 30_000 }, (error, out, err) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err });
      });
    });
    expect(code, stderr).to.equal(0);
    expect(JSON.parse(stdout)).to.deep.equal({
      moduleType: "object",
      valid: true,
      strictValid: true,
      invalid: ["Missing version field", "Missing or invalid event ID", "Missing timestamp field", "Missing context field", "Missing subject field", "Missing payload field"],
      lineage: true,
      version: "0.2.0",
      schemaIsExported: true,
      parseError: { instance: true, isError: true, name: "QuantmEventError", issues: 5 },
    });
    // No "ExperimentalWarning" or other noise for the consumer.
    expect(stderr).to.equal("");
  });

  it("instrument() works from CommonJS: the log export thread starts from dist/ and the record reaches the log store", async function () {
    this.timeout(STACK_START_TIMEOUT_MS);
    const endpoints = await ensureStack();
    this.timeout(60_000);
    const marker = `cjs-${Date.now()}`;
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ["instrumented.cjs", marker], { cwd: dir, timeout: 30_000, env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collector.otlpHttp } }, (error, out, err) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err });
      });
    });
    expect(code, stderr).to.equal(0);
    expect(stderr, "diag warnings").to.equal("");
    const { root, logs } = JSON.parse(stdout) as { root: string; logs: { ended: number; exported: number; failed: number } };
    expect(logs).to.include({ ended: 1, exported: 1, failed: 0 });
    const [record] = await waitForLogs(`marker:"${marker}"`);
    expect(record).to.include({ _msg: "from a CommonJS consumer", "service.name": "spec-cjs-consumer", "quantm.event.id": root });
  });
});
