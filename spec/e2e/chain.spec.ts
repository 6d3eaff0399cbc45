// End to end against the real stack: a pull-request chain recorded by three processes that pass
// each other only event JSON is ONE Jaeger trace whose span tree is the event lineage.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { QuantmEvent } from "../../lib/event/index.js";
import { runDemoChain, type DemoChainResult } from "../../lib/demo/chain.js";
import { DEMO_STEPS } from "../../lib/demo/scenario.js";
import { JaegerClient, otlpAttribute, otlpSpans, type OtlpSpan } from "../../lib/query/jaeger.js";
import { NIL_UUID } from "../../lib/event/model.js";
import { spanIdFromEventId, traceIdFromEventId } from "../../lib/trace/index.js";
import { ensureStack, STACK_START_TIMEOUT_MS, waitForTrace, type StackEndpoints } from "../support/stack.js";

const run = promisify(execFile);
const BIN = new URL("../../bin/quantm-events.js", import.meta.url).pathname;

describe("e2e: a chain across processes in the real Jaeger", function () {
  let endpoints: StackEndpoints;
  let jaeger: JaegerClient;
  let chain: DemoChainResult;
  let spans: OtlpSpan[];
  let byEvent: (e: QuantmEvent, kind: number) => OtlpSpan | undefined;
  const started = Date.now();

  before(async function () {
    this.timeout(STACK_START_TIMEOUT_MS);
    endpoints = await ensureStack();
    jaeger = new JaegerClient(endpoints.jaeger.ui);
    chain = await runDemoChain({ env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collector.otlpHttp } });
    const handles = Object.values(DEMO_STEPS).filter((s) => s.input !== undefined).length;
    await waitForTrace(traceIdFromEventId(chain.root.id), { minSpans: chain.events.length + handles, timeoutMs: 20_000 });
    spans = otlpSpans(await jaeger.getTraceOtlp(traceIdFromEventId(chain.root.id)));
    byEvent = (e, kind) => spans.find((s) => otlpAttribute(s.attributes, "quantm.event.id") === e.id && kindOf(s) === kind);
  });

  it("records at least 5 events with a fan-out, from 3 processes", function () {
    expect(chain.events.length).to.be.at.least(5);
    expect(new Set(chain.recordedBy.values()).size).to.equal(3);
    const childrenOfRoot = chain.events.filter((e) => e.context.parent_id === chain.root.id);
    expect(childrenOfRoot.length, "fan-out at the root").to.be.at.least(2);
  });

  it("is ONE trace, the root event's id, holding every event span once", function () {
    for (const e of chain.events) {
      const producers = spans.filter((s) => otlpAttribute(s.attributes, "quantm.event.id") === e.id && kindOf(s) === PRODUCER);
      expect(producers, `event span of ${e.context.scope}.${e.context.action}`).to.have.length(1);
      expect(producers[0]!.traceId).to.equal(chain.root.id.replace(/-/g, ""));
      expect(producers[0]!.spanId).to.equal(spanIdFromEventId(e.id));
    }
  });

  it("makes each event span a child of its parent event's span, with a parent link", function () {
    for (const e of chain.events) {
      const span = byEvent(e, PRODUCER)!;
      if (e.context.parent_id === NIL_UUID) {
        expect(span.parentSpanId ?? "", "root has no parent").to.equal("");
        continue;
      }
      expect(span.parentSpanId).to.equal(spanIdFromEventId(e.context.parent_id));
      const parentLinks = (span.links ?? []).filter((l) => otlpAttribute(l.attributes, "quantm.link.relation") === "parent");
      expect(parentLinks).to.have.length(1);
      expect(parentLinks[0]!.spanId).to.equal(spanIdFromEventId(e.context.parent_id));
    }
  });

  it("nests each consumer's handle span under the event span it handled", function () {
    const consumers = spans.filter((s) => kindOf(s) === CONSUMER);
    expect(consumers.length).to.be.at.least(2);
    for (const c of consumers) {
      const id = String(otlpAttribute(c.attributes, "quantm.event.id"));
      expect(c.name).to.match(/^handle [a-z_]+\.[a-z_]+$/);
      expect(c.parentSpanId).to.equal(spanIdFromEventId(id));
    }
  });

  it("leaves no parent or link dangling, and every link says its relation", function () {
    const ids = new Set(spans.map((s) => s.spanId));
    for (const s of spans) {
      if (s.parentSpanId) expect(ids.has(s.parentSpanId), `parent of ${s.name}`).to.equal(true);
      for (const l of s.links ?? []) {
        expect(otlpAttribute(l.attributes, "quantm.link.relation"), `link relation on ${s.name}`).to.be.oneOf(["parent", "ambient"]);
        if (l.traceId === s.traceId) expect(ids.has(l.spanId), `link of ${s.name}`).to.equal(true);
      }
    }
  });

  it("carries the DESIGN §3 attributes and no payload", function () {
    for (const e of chain.events) {
      const a = byEvent(e, PRODUCER)!.attributes;
      expect(byEvent(e, PRODUCER)!.name).to.equal(`${e.context.scope}.${e.context.action}`);
      const expected: Record<string, string | number> = {
        "quantm.event.id": e.id,
        "quantm.event.version": e.version,
        "quantm.context.hook": e.context.hook,
        "quantm.context.scope": e.context.scope,
        "quantm.context.action": e.context.action,
        "quantm.context.source": e.context.source,
        "quantm.context.parent_id": e.context.parent_id,
        "quantm.context.root_id": e.context.root_id ?? e.id,
        "quantm.subject.id": e.subject.id,
        "quantm.subject.name": e.subject.name,
        "quantm.subject.team_id": e.subject.team_id,
        "quantm.subject.user_id": e.subject.user_id,
        "cloudevents.event_id": e.id,
        "cloudevents.event_source": e.context.source,
        "cloudevents.event_type": `${e.context.scope}.${e.context.action}`,
      };
      for (const [k, v] of Object.entries(expected)) expect(otlpAttribute(a, k), k).to.equal(v);
      expect(otlpAttribute(a, "cloudevents.event_subject")).to.be.a("string").and.not.equal("");
      expect((a ?? []).filter((kv) => kv.key.startsWith("quantm.payload.")), "payload attributes").to.deep.equal([]);
    }
  });

  it("shows logs written inside withEvent as span events of that span", function () {
    const opened = byEvent(chain.root, PRODUCER)!;
    const received = (opened.events ?? []).find((ev) => ev.name === "webhook received");
    expect(received, "span event 'webhook received'").to.not.equal(undefined);
    expect(otlpAttribute(received!.attributes, "level")).to.equal("info");
    expect(otlpAttribute(received!.attributes, "message")).to.equal("webhook received");
    expect(otlpAttribute(received!.attributes, "delivery")).to.equal("72d3162e-cc78-11e3-81ab-4c9367dc0958");
  });

  it("finds an event by quantm.event.id and a log by its message with Jaeger's tag search", async function () {
    const merged = chain.events.at(-1)!;
    const service = DEMO_STEPS[chain.recordedBy.get(merged.id)!].service;
    const byId = await jaeger.findTraces({ service, tags: { "quantm.event.id": merged.id }, start: started * 1000 - 60e6 });
    expect(byId.map((t) => t.traceID)).to.deep.equal([traceIdFromEventId(chain.root.id)]);
    const byMessage = await jaeger.findTraces({ service, tags: { message: "pull request merged" }, start: started * 1000 - 60e6 });
    expect(byMessage.map((t) => t.traceID)).to.include(traceIdFromEventId(chain.root.id));
  });

  it("`lineage` prints the whole tree for a middle event of the chain", async function () {
    const middle = chain.events.find((e) => e.context.parent_id === chain.root.id && chain.events.some((c) => c.context.parent_id === e.id))!;
    const { stdout } = await run(process.execPath, [BIN, "lineage", middle.id], { env: { ...process.env, JAEGER_URL: endpoints.jaeger.ui } });
    for (const e of chain.events) expect(stdout, `${e.context.scope}.${e.context.action}`).to.contain(e.id);
    const marked = stdout.split("\n").filter((l) => l.includes("◀"));
    expect(marked).to.have.length(1);
    expect(marked[0]).to.contain(middle.id);
    // The tree: the root's line has no branch; its children are drawn under it.
    expect(stdout.split("\n")[0]).to.contain(chain.root.id).and.not.match(/^[├└│ ]/);
    const { stdout: json } = await run(process.execPath, [BIN, "lineage", middle.id, "--json"], { env: { ...process.env, JAEGER_URL: endpoints.jaeger.ui } });
    const parsed = JSON.parse(json) as { ancestors: string[]; descendants: string[] };
    expect(parsed.ancestors).to.deep.equal([chain.root.id]);
    const expectedDescendants = descendantsOf(middle.id, chain.events);
    expect([...parsed.descendants].sort()).to.deep.equal(expectedDescendants.sort());
  });

  it("`lineage` says clearly when the event is unknown or Jaeger is unreachable", async function () {
    const unknown = "01900000-0000-7000-8000-000000000000";
    const e1 = await run(process.execPath, [BIN, "lineage", unknown], { env: { ...process.env, JAEGER_URL: endpoints.jaeger.ui } }).catch((e: { code: number; stderr: string }) => e);
    expect((e1 as { code: number }).code).to.equal(1);
    expect((e1 as { stderr: string }).stderr).to.contain(`event ${unknown} is not in Jaeger`).and.not.contain("    at ");
    const e2 = await run(process.execPath, [BIN, "lineage", unknown], { env: { ...process.env, JAEGER_URL: "http://127.0.0.1:9" } }).catch((e: { code: number; stderr: string }) => e);
    expect((e2 as { code: number }).code).to.equal(1);
    expect((e2 as { stderr: string }).stderr).to.contain("cannot reach Jaeger at http://127.0.0.1:9").and.not.contain("    at ");
  });

  it("`shutdown()` leaves nothing unsent: a 2,000-event burst then exit is all in Jaeger", async function () {
    this.timeout(60_000);
    const n = 2000;
    const { stdout } = await run(process.execPath, ["--import", "tsx", new URL("./fixtures/burst.ts", import.meta.url).pathname, String(n)], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collector.otlpHttp },
    });
    const { root, stats } = JSON.parse(stdout) as { root: string; stats: { recorded: number; export: { spans: { exported: number; failed: number; unaccounted: number } } } };
    expect(stats.recorded).to.equal(n);
    expect(stats.export.spans).to.include({ exported: n, failed: 0, unaccounted: 0 });
    const trace = await waitForTrace(traceIdFromEventId(root), { minSpans: n, timeoutMs: 30_000 });
    expect(trace.spans).to.have.length(n);
  });

  it("`demo` runs to the end and prints the tree and the Jaeger URL", async function () {
    this.timeout(60_000);
    const { stdout } = await run(process.execPath, [BIN, "demo"], { env: process.env });
    expect(stdout).to.match(/pull_request\.opened/).and.match(/pull_request\.merged/);
    const url = /Jaeger trace: +(\S+)/.exec(stdout)?.[1];
    expect(url).to.match(/^http:\/\/127\.0\.0\.1:16686\/trace\/[0-9a-f]{32}$/);
    const traceId = url!.split("/").at(-1)!;
    expect((await jaeger.getTrace(traceId))?.spans.length).to.be.at.least(5);
  });
});

const PRODUCER = 4;
const CONSUMER = 5;

/** api_v3 writes span kinds as numbers or as enum names, depending on the version. */
function kindOf(s: OtlpSpan): number {
  const k = s.kind;
  if (typeof k === "number") return k;
  return { SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5 }[String(k)] ?? 0;
}

function descendantsOf(id: string, events: QuantmEvent[]): string[] {
  const kids = events.filter((e) => e.context.parent_id === id);
  return kids.flatMap((k) => [k.id, ...descendantsOf(k.id, events)]);
}
