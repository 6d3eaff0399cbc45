// Lineage across traces: 0.1 producers send no root_id, so an event whose parent was recorded by
// another process starts its own trace and links to the parent (R5). `lineage` still walks the
// whole chain, through Jaeger's tag search.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createEvent, type QuantmEvent } from "../../lib/event/index.js";
import { JaegerClient, otlpAttribute, otlpSpans } from "../../lib/query/jaeger.js";
import { findLineage } from "../../lib/query/lineage.js";
import { spanIdFromEventId, traceIdFromEventId } from "../../lib/trace/index.js";
import { ensureStack, STACK_START_TIMEOUT_MS, waitForTrace, type StackEndpoints } from "../support/stack.js";

const BIN = new URL("../../bin/quantm-events.js", import.meta.url).pathname;

/** A 0.1 event: what an older producer sends (no root_id). */
function v01(event: QuantmEvent): QuantmEvent {
  const { root_id: _dropped, ...context } = event.context;
  return { ...event, version: "0.1.0", context: context as QuantmEvent["context"] };
}

function emit(event: QuantmEvent, collector: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [BIN, "emit", "-", "--service", "legacy-producer"], { env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: collector } }, (err) =>
      err ? reject(err) : resolve(),
    );
    child.stdin!.end(JSON.stringify(event));
  });
}

describe("e2e: lineage across traces (0.1 events without root_id, each from its own process)", function () {
  let endpoints: StackEndpoints;
  let a: QuantmEvent, b: QuantmEvent, c: QuantmEvent, d: QuantmEvent;

  before(async function () {
    this.timeout(STACK_START_TIMEOUT_MS);
    endpoints = await ensureStack();
    const subject = { id: "1296269", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" };
    a = v01(createEvent({ context: { hook: 1, scope: "push", action: "received", source: "https://github.com/acme/app" }, subject, payload: {} }));
    b = v01(createEvent({ parent: a, context: { ...a.context, scope: "build", action: "started" }, subject, payload: {} }));
    c = v01(createEvent({ parent: b, context: { ...a.context, scope: "build", action: "passed" }, subject, payload: {} }));
    d = v01(createEvent({ parent: b, context: { ...a.context, scope: "deploy", action: "queued" }, subject, payload: {} }));
    for (const e of [a, b, c, d]) await emit(e, endpoints.collector.otlpHttp);
    for (const e of [a, b, c, d]) await waitForTrace(traceIdFromEventId(e.id), { minSpans: 1 });
  });

  it("puts each event in a trace of its own, linked to its parent's span (R5)", async function () {
    const jaeger = new JaegerClient(endpoints.jaeger.ui);
    for (const [child, parent] of [[b, a], [c, b], [d, b]] as const) {
      const [span] = otlpSpans(await jaeger.getTraceOtlp(traceIdFromEventId(child.id)));
      expect(span!.parentSpanId ?? "").to.equal("");
      const links = (span!.links ?? []).filter((l) => otlpAttribute(l.attributes, "quantm.link.relation") === "parent");
      expect(links.map((l) => [l.traceId, l.spanId])).to.deep.equal([[traceIdFromEventId(parent.id), spanIdFromEventId(parent.id)]]);
    }
  });

  it("`lineage` of a middle event walks ancestors and descendants across the four traces", async function () {
    this.timeout(30_000);
    const lineage = await findLineage(new JaegerClient(endpoints.jaeger.ui), b.id);
    expect(lineage.ancestors).to.deep.equal([a.id]);
    expect([...lineage.descendants].sort()).to.deep.equal([c.id, d.id].sort());
    expect(lineage.root.eventId).to.equal(a.id);
    expect(lineage.root.children.map((n) => n.eventId)).to.deep.equal([b.id]);
    expect(lineage.traceIds.sort()).to.deep.equal([a, b, c, d].map((e) => traceIdFromEventId(e.id)).sort());
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, "lineage", b.id], { env: { ...process.env, JAEGER_URL: endpoints.jaeger.ui } });
    for (const e of [a, b, c, d]) expect(stdout).to.contain(e.id);
    expect(stdout).to.contain("1 ancestor(s), 2 descendant(s)");
  });
});
