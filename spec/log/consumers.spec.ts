// The built package from an ESM consumer and from a CommonJS consumer, each importing winston
// before and after the package: correlation, OTLP export and span events work in every case
// (no require hook involved). Each case runs in its own node process.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "chai";

const here = dirname(fileURLToPath(import.meta.url));
// QUANTM_EVENTS_DIST lets a build outside the checkout be tested; `npm test` builds dist/ first.
const distDir = resolve(process.env.QUANTM_EVENTS_DIST ?? join(here, "../../dist"));
const run = promisify(execFile);

interface Report {
  module: string;
  lines: Record<string, unknown>[];
  records: { body: unknown; severityNumber: number; spanId?: string; traceId?: string; attributes: Record<string, unknown> }[];
  spans: { name: string; spanId: string; traceId: string; events: { name: string; attributes: Record<string, unknown> }[] }[];
}

const EVENT_ID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

describe("the built logger from ESM and CommonJS consumers", function () {
  this.timeout(30_000);

  before(() => {
    if (!existsSync(join(distDir, "log/index.js"))) {
      throw new Error(`expected the built package at ${join(distDir, "log/index.js")}, found nothing: run \`npm run build\` first (npm test does)`);
    }
  });

  for (const fixture of ["consumer.cjs", "consumer.mjs"]) {
    for (const order of ["ours-first", "winston-first"]) {
      it(`${fixture} (${order === "ours-first" ? "quantm-events" : "winston"} loaded first) correlates, exports and adds span events`, async () => {
        const { stdout } = await run(process.execPath, [join(here, "fixtures", fixture), distDir, order], { cwd: here });
        const report = JSON.parse(stdout) as Report;
        expect(report.module).to.equal(fixture.endsWith(".cjs") ? "cjs" : "esm");

        const eventSpan = report.spans.find((s) => s.name === "pull_request.opened")!;
        const handleSpan = report.spans.find((s) => s.name === "handle pull_request.opened")!;
        // R3: the event span's trace id is its event id; R1: its span id the id's last 16 digits.
        expect(eventSpan).to.include({ traceId: EVENT_ID.replaceAll("-", ""), spanId: "8a9b0c1d2e3f4a5b" });

        const [inside, error, handled, outside] = report.lines;
        expect(inside).to.include({ message: "inside the event", component: "merger", attempt: 3, trace_id: eventSpan.traceId, span_id: eventSpan.spanId, trace_flags: "01", "quantm.event.id": EVENT_ID, "quantm.context.scope": "pull_request" });
        expect(error).to.include({ message: "boom", span_id: eventSpan.spanId });
        expect(handled).to.include({ message: "handled elsewhere", span_id: handleSpan.spanId, "quantm.event.id": EVENT_ID });
        expect(outside).to.deep.equal({ message: "outside", level: "info" });

        expect(report.records.map((r) => [r.body, r.severityNumber, r.spanId])).to.deep.equal([
          ["inside the event", 9, eventSpan.spanId],
          ["boom", 17, eventSpan.spanId],
          ["handled elsewhere", 13, handleSpan.spanId],
          ["outside", 9, undefined],
        ]);
        expect(report.records[0]!.attributes).to.include({ component: "merger", attempt: 3, "quantm.event.id": EVENT_ID });
        expect(report.records[1]!.attributes).to.include({ "exception.type": "TypeError", "exception.message": "boom" });

        expect(eventSpan.events.map((e) => e.name)).to.deep.equal(["inside the event", "boom"]);
        expect(eventSpan.events[0]!.attributes).to.deep.equal({ level: "info", message: "inside the event", component: "merger", attempt: 3 });
        expect(eventSpan.events[1]!.attributes).to.include({ "exception.type": "TypeError", "exception.message": "boom" });
        expect(handleSpan.events.map((e) => e.name)).to.deep.equal(["handled elsewhere"]);
      });
    }
  }
});
