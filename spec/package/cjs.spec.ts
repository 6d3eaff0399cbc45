// A CommonJS consumer on Node 20 can `require("quantm-events")` (require(esm), unflagged since
// Node 20.19): proved with a real child process that resolves the package by name through
// node_modules, exactly as an installed dependency would be.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

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
});
