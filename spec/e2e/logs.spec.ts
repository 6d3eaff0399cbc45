// Correlated log search end to end: winston records from the three processes of a chain, through
// the collector, in VictoriaLogs; found by trace id (= the root event id) and by each event id.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { runDemoChain, type DemoChainResult } from "../../lib/demo/chain.js";
import { DEMO_STEPS } from "../../lib/demo/scenario.js";
import { LogStoreClient, type LogRecord } from "../../lib/query/logs.js";
import { spanIdFromEventId, traceIdFromEventId } from "../../lib/trace/index.js";
import { ensureStack, STACK_START_TIMEOUT_MS, waitForLogs, type StackEndpoints } from "../support/stack.js";

const run = promisify(execFile);
const BIN = new URL("../../bin/quantm-events.js", import.meta.url).pathname;
const FIXTURE = new URL("./fixtures/logging.ts", import.meta.url).pathname;

describe("e2e: correlated log search in the log store", function () {
  let endpoints: StackEndpoints;
  let chain: DemoChainResult;
  let store: LogStoreClient;
  let traceId: string;
  // webhook: 2 (info + debug); checker: 1 in handle + 1 per event (2); merger: 1 in handle + 2.
  const EXPECTED_RECORDS = 8;

  before(async function () {
    this.timeout(STACK_START_TIMEOUT_MS);
    endpoints = await ensureStack();
    store = new LogStoreClient(endpoints.logs.url);
    chain = await runDemoChain({ env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collector.otlpHttp } });
    traceId = traceIdFromEventId(chain.root.id);
    await waitForLogs(`trace_id:${traceId}`, { minRecords: EXPECTED_RECORDS });
  });

  it("finds every record of the chain, from all three processes, by trace id", async function () {
    const records = await store.search(`trace_id:"${traceId}"`);
    expect(records).to.have.length(EXPECTED_RECORDS);
    expect(new Set(records.map((r) => r.service))).to.deep.equal(new Set(Object.values(DEMO_STEPS).map((s) => s.service)));
    // VictoriaLogs trims trailing zeros of the fraction ("…10.99Z"), so compare instants.
    const times = records.map((r) => Date.parse(r.time));
    expect(times, "oldest first").to.deep.equal([...times].sort((a, b) => a - b));
  });

  it("finds each event's records by its event id, with severity, message, fields and span ids", async function () {
    for (const e of chain.events) {
      const records = await store.search(`"quantm.event.id":"${e.id}"`);
      expect(records.length, `${e.context.scope}.${e.context.action}`).to.be.at.least(1);
      for (const r of records) {
        expect(r.traceId).to.equal(traceId);
        expect(r.event).to.equal(`${e.context.scope}.${e.context.action}`);
        expect(r.fields["quantm.subject.id"]).to.equal(e.subject.id);
        expect(r.fields["quantm.subject.team_id"]).to.equal(e.subject.team_id);
        expect(r.fields["quantm.context.hook"]).to.equal(String(e.context.hook));
      }
      // Records written inside withEvent sit on the event span itself (R1).
      expect(records.some((r) => r.spanId === spanIdFromEventId(e.id)), `a record on the span of ${e.id}`).to.equal(true);
    }
    const ci = chain.events.find((e) => e.context.scope === "ci")!;
    const [warn] = await store.search(`"quantm.event.id":"${ci.id}"`);
    expect(warn).to.include({ level: "warn", message: "CI queue is long", service: "pr-checker" });
    expect(warn!.fields.queued).to.equal("17");
    expect(warn!.fields.severity_number).to.equal("13");
    const [debug] = await store.search(`trace_id:"${traceId}" severity_text:debug`);
    expect(debug).to.include({ message: "signature verified", service: "github-webhook" });
    expect(debug!.fields.severity_number).to.equal("5");
  });

  it("stores a record written outside any span without ids", async function () {
    this.timeout(30_000);
    const marker = `outside-${Date.now()}`;
    await run(process.execPath, ["--import", "tsx", FIXTURE, "outside", marker], { env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collector.otlpHttp } });
    const [record] = await waitForLogs(`marker:"${marker}"`);
    expect(record!._msg).to.equal("no event here");
    for (const key of ["trace_id", "span_id", "quantm.event.id"]) expect(record, key).to.not.have.property(key);
  });

  it("stores oversized records cut down by the documented rule, each with a count of what was cut", async function () {
    this.timeout(30_000);
    const marker = `oversized-${Date.now()}`;
    const { stdout } = await run(process.execPath, ["--import", "tsx", FIXTURE, "oversized", marker], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collector.otlpHttp },
      maxBuffer: 1 << 20,
    });
    expect(JSON.parse(stdout)).to.include({ exported: 3, failed: 0 });
    const records = await waitForLogs(`marker:"${marker}"`, { minRecords: 3 });
    const byKind = new Map(records.map((r) => [r.kind, r]));
    expect([...byKind.keys()].sort()).to.deep.equal(["deep", "huge", "wide"]);
    const huge = byKind.get("huge")!;
    expect(huge._msg!.length).to.equal(128 * 1024);
    expect(huge["quantm.log.truncated"]).to.equal("1");
    const deep = byKind.get("deep")!;
    expect(Object.keys(deep).filter((k) => k.startsWith("deep.")).map((k) => deep[k])).to.deep.equal(["[Object]"]);
    expect(deep["quantm.log.truncated"]).to.equal("1");
    const wide = byKind.get("wide")!;
    // 120 fields: marker, kind and the first 118 of the 3,000.
    expect(Object.keys(wide).filter((k) => /^f\d+$/.test(k))).to.have.length(120 - 2);
    expect(Number(wide["quantm.log.truncated"])).to.equal(3002 - 120);
  });

  describe("quantm-events logs", function () {
    const cli = (args: string[]) => run(process.execPath, [BIN, "logs", ...args, "--logs-url", endpoints.logs.url]);

    it("--trace takes the root event id and prints time, level, service, scope.action, message in order", async function () {
      const { stdout } = await cli(["--trace", chain.root.id]);
      const lines = stdout.trim().split("\n");
      expect(lines).to.have.length(EXPECTED_RECORDS);
      expect(lines[0]).to.match(/^\S+Z {2}info {3}github-webhook {2}pull_request\.opened {2}webhook received$/);
      expect(lines.at(-1)).to.contain("merge-bot").and.contain("pull_request.merged").and.contain("pull request merged");
    });

    it("--event and --json give one JSON record per line", async function () {
      const merged = chain.events.at(-1)!;
      const { stdout } = await cli(["--event", merged.id, "--json"]);
      const records = stdout.trim().split("\n").map((l) => JSON.parse(l) as LogRecord);
      expect(records.map((r) => r.message)).to.deep.equal(["pull request merged"]);
      expect(records[0]!.eventId).to.equal(merged.id);
    });

    it("--query runs LogsQL", async function () {
      const { stdout } = await cli(["--query", `trace_id:"${traceId}" AND severity_text:warn`]);
      expect(stdout.trim().split("\n")).to.have.length(1);
      expect(stdout).to.contain("CI queue is long");
    });

    it("says what is wrong with a bad id or an unreachable store, without a stack trace", async function () {
      const bad = await cli(["--trace", "not-a-trace"]).catch((e: { code: number; stderr: string }) => e);
      expect((bad as { code: number }).code, "a malformed id is a usage error").to.equal(2);
      expect((bad as { stderr: string }).stderr).to.contain("expected a trace id (32 hex digits, or a root event id), got 'not-a-trace'");
      const down = await run(process.execPath, [BIN, "logs", "--trace", chain.root.id, "--logs-url", "http://127.0.0.1:9"]).catch((e: { code: number; stderr: string }) => e);
      expect((down as { code: number }).code).to.equal(1);
      expect((down as { stderr: string }).stderr).to.contain("cannot reach the log store at http://127.0.0.1:9").and.not.contain("    at ");
    });
  });

  it("`lineage` shows each event's log count from the store", async function () {
    const { stdout } = await run(process.execPath, [BIN, "lineage", chain.root.id, "--json", "--logs-url", endpoints.logs.url], { env: { ...process.env, JAEGER_URL: endpoints.jaeger.ui } });
    const lineage = JSON.parse(stdout) as { root: { eventId: string; logCount: number; children: unknown[] } };
    // The root: its own info + debug records and the checker's record inside handle(opened).
    expect(lineage.root.logCount).to.equal(3);
  });
});
