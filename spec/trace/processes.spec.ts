// DESIGN §4 across real processes: each step runs in its own Node child process, and the steps
// pass each other nothing but event JSON (stdin → stdout). No trace context travels.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { QuantmEvent } from "../../lib/event/index.js";
import { hex, r1, SpanKind } from "./support.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/event-process.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../../", import.meta.url));

interface SpanView {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  parentTraceId?: string;
  links: { traceId: string; spanId: string; relation: unknown }[];
  attributes: Record<string, unknown>;
}

interface Output {
  event?: QuantmEvent;
  pid: number;
  spans: SpanView[];
  stats: { recorded: number; deduplicated: number; handled: number };
}

function runProcess(args: string[], stdin: string): Promise<Output> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, ...args], { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`event-process ${args.join(" ")} exited ${String(code)}: ${err}`));
      try {
        resolve(JSON.parse(out) as Output);
      } catch (e) {
        reject(new Error(`event-process ${args.join(" ")} printed no JSON: ${out} ${err} (${String(e)})`));
      }
    });
    child.stdin.end(stdin);
  });
}

describe("lineage across processes (only event JSON passed between them)", function () {
  this.timeout(120_000);

  const steps: Output[] = [];
  let handled: Output;
  let retried: Output;

  before(async () => {
    let previous = "";
    for (const action of ["opened", "checked", "rebased", "merged"]) {
      const out = await runProcess(["record", action], previous);
      steps.push(out);
      previous = JSON.stringify(out.event);
    }
    [handled, retried] = await Promise.all([runProcess(["handle"], JSON.stringify(steps[2]!.event)), runProcess(["retry"], JSON.stringify(steps[1]!.event))]);
  });

  it("ran each step in a separate process", () => {
    const pids = new Set([...steps.map((s) => s.pid), handled.pid, retried.pid]);
    expect(pids.size).to.equal(6);
    expect(pids.has(process.pid)).to.equal(false);
  });

  it("every event span is in the root's trace, with span id R1(event id)", () => {
    const root = steps[0]!.event!;
    for (const step of steps) {
      expect(step.spans).to.have.length(1);
      const span = step.spans[0]!;
      expect(span.kind).to.equal(SpanKind.PRODUCER);
      expect(span.name).to.equal(`pull_request.${step.event!.context.action}`);
      expect(span.traceId).to.equal(hex(root.id));
      expect(span.spanId).to.equal(r1(step.event!.id));
    }
  });

  it("each span's parent is R1(parent_id), with a parent link to it; the root has neither", () => {
    const root = steps[0]!.spans[0]!;
    expect(root.parentSpanId).to.equal(undefined);
    expect(root.links).to.deep.equal([]);
    for (let i = 1; i < steps.length; i++) {
      const event = steps[i]!.event!;
      const span = steps[i]!.spans[0]!;
      expect(event.context.parent_id).to.equal(steps[i - 1]!.event!.id);
      expect(span.parentSpanId).to.equal(r1(event.context.parent_id));
      expect(span.parentTraceId).to.equal(span.traceId);
      expect(span.links).to.deep.equal([{ traceId: span.traceId, spanId: r1(event.context.parent_id), relation: "parent" }]);
    }
  });

  it("every parent reference and link resolves to a span some process recorded", () => {
    const all = [...steps, handled].flatMap((s) => s.spans);
    const known = new Set(all.map((s) => `${s.traceId}/${s.spanId}`));
    for (const span of all) {
      if (span.parentSpanId !== undefined) expect(known.has(`${span.parentTraceId}/${span.parentSpanId}`), span.name).to.equal(true);
      for (const link of span.links) expect(known.has(`${link.traceId}/${link.spanId}`), `${span.name} link`).to.equal(true);
    }
  });

  it("handle in another process nests under the event span and never records it again", () => {
    const event = steps[2]!.event!;
    const names = handled.spans.map((s) => s.name).sort();
    expect(names).to.deep.equal(["handle pull_request.rebased", "rebase branch"]);
    const consumer = handled.spans.find((s) => s.name === "handle pull_request.rebased")!;
    expect(consumer.kind).to.equal(SpanKind.CONSUMER);
    expect(consumer.traceId).to.equal(hex(steps[0]!.event!.id));
    expect(consumer.parentSpanId).to.equal(r1(event.id));
    expect(consumer.spanId).to.not.equal(r1(event.id));
    expect(consumer.attributes["quantm.event.id"]).to.equal(event.id);
    const inner = handled.spans.find((s) => s.name === "rebase branch")!;
    expect(inner.parentSpanId).to.equal(consumer.spanId);
    expect(handled.stats).to.include({ recorded: 0, handled: 1 });
  });

  it("a retried record of the same event in one process is one span", () => {
    expect(retried.spans).to.have.length(1);
    expect(retried.spans[0]!.spanId).to.equal(r1(steps[1]!.event!.id));
    expect(retried.stats).to.include({ recorded: 1, deduplicated: 1 });
  });
});
