// quantm-events emit: events from a file or stdin to the real collector, invalid lines by number.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createEvent } from "../../lib/event/index.js";
import { traceIdFromEventId } from "../../lib/trace/index.js";
import { ensureStack, STACK_START_TIMEOUT_MS, waitForTrace, type StackEndpoints } from "../support/stack.js";

const run = promisify(execFile);
const BIN = new URL("../../bin/quantm-events.js", import.meta.url).pathname;

describe("quantm-events emit", function () {
  let endpoints: StackEndpoints;
  before(async function () {
    this.timeout(STACK_START_TIMEOUT_MS);
    endpoints = await ensureStack();
  });

  it("sends every valid line of a JSON Lines file, reports an invalid one by number, exits 1", async function () {
    this.timeout(30_000);
    const root = createEvent({
      context: { hook: 1, scope: "branch", action: "created", source: "https://github.com/acme/app" },
      subject: { id: "1296269", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" },
      payload: { ref: "feat/x" },
    });
    const child = createEvent({ parent: root, context: { ...root.context, action: "deleted" }, subject: root.subject, payload: {} });
    const dir = mkdtempSync(join(tmpdir(), "qe-emit-"));
    const file = join(dir, "events.jsonl");
    writeFileSync(file, [JSON.stringify(root), `{"version":"0.1.0","id":"nope"}`, JSON.stringify(child)].join("\n") + "\n");

    const err = await run(process.execPath, [BIN, "emit", file, "--service", "emit-spec"], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collector.otlpHttp },
    }).then(() => undefined, (e: { code: number; stdout: string; stderr: string }) => e);
    expect(err, "exit status 1").to.not.equal(undefined);
    expect(err!.code).to.equal(1);
    expect(err!.stderr).to.contain("line 2: $.id: Missing or invalid event ID").and.not.contain("    at ");
    expect(err!.stdout).to.contain("emitted 2 of 3 event(s); 1 invalid");

    const trace = await waitForTrace(traceIdFromEventId(root.id), { minSpans: 2 });
    expect(trace.spans.map((s) => s.operationName).sort()).to.deep.equal(["branch.created", "branch.deleted"]);
    expect(Object.values(trace.processes).map((p) => p.serviceName)).to.deep.equal(["emit-spec"]);
  });

  it("reads standard input and exits 0 when all is valid and delivered", async function () {
    this.timeout(30_000);
    const e = createEvent({
      context: { hook: "gitlab", scope: "merge_request", action: "opened", source: "https://gitlab.com/acme/app" },
      subject: { id: "42", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" },
      payload: {},
    });
    const child = execFile(process.execPath, [BIN, "emit", "-", "--json"], { env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collector.otlpHttp } });
    let stdout = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stdin!.end(JSON.stringify(e, null, 2));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).to.equal(0);
    expect(JSON.parse(stdout)).to.deep.equal({ events: 1, valid: 1, invalid: 0, delivered: 1, failed: 0 });
    await waitForTrace(traceIdFromEventId(e.id), { minSpans: 1 });
  });

  it("says which file it cannot read", async function () {
    const err = await run(process.execPath, [BIN, "emit", "/nonexistent/events.json"]).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).to.equal(1);
    expect((err as { stderr: string }).stderr).to.contain("cannot read /nonexistent/events.json: ENOENT");
  });
});
