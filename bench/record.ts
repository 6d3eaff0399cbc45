// bench/record: the cost of record() against hand-written OpenTelemetry code that produces the
// identical span (same name, kind, start time, 17 attributes, remote parent, parent link, span and
// trace ids), on the same provider: BasicTracerProvider + BatchSpanProcessor + an exporter that
// does nothing. Interleaved rounds, medians (bench/harness.ts). ratio = record's time per span ÷
// the hand-written code's (baseline ops/s ÷ record ops/s); target <= 1.15.
//
// Also "memory": RSS growth over 1,000,000 records with a lineage index capped at 10,000, sampled
// after a GC at 250k, 500k, 750k and 1M (run with --expose-gc for exact figures).
//
//   node --expose-gc --import tsx bench/record.ts
import { context, SpanKind, trace, TraceFlags, type SpanContext } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { createEvent, type QuantmEvent } from "../lib/event/index.js";
import { createEventBridge, eventIdGenerator } from "../lib/trace/index.js";
import { compare, formatResults, isMain, type BenchResult } from "./harness.js";

class NoopExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const POOL = 50_000; // > the index cap: a recycled event has long left the index, so it records again.
const INDEX_CAP = 10_000;

function eventPool(n: number): QuantmEvent[] {
  // Children of a root recorded elsewhere: the common case of a chain crossing processes
  // (parent from ids alone, parent link).
  const root = createEvent({
    context: { hook: "github", scope: "pull_request", action: "opened", source: "https://github.com/acme/app" },
    subject: { id: "954e472d-a22f-4696-b447-2c8144d37f47", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639" },
    payload: { number: 1 },
  });
  const events: QuantmEvent[] = [];
  for (let i = 0; i < n; i++) {
    events.push(
      createEvent({
        parent: root,
        context: { hook: "github", scope: "pull_request", action: "checked", source: "https://github.com/acme/app" },
        subject: { id: "954e472d-a22f-4696-b447-2c8144d37f47", name: "repos", team_id: "0879053d-41a2-4151-a4b3-5e34252eb639", org_id: "6d1a8193-e542-4e54-817a-a7918b56236c" },
        payload: { number: i },
      }),
    );
  }
  return events;
}

function hex32(id: string): string {
  return (id.slice(0, 8) + id.slice(9, 13) + id.slice(14, 18) + id.slice(19, 23) + id.slice(24)).toLowerCase();
}

/** What a careful user would write by hand for the same span. */
function handWritten(provider: BasicTracerProvider): (event: QuantmEvent) => SpanContext {
  const tracer = provider.getTracer("quantm-events");
  const parentLink = { "quantm.link.relation": "parent" };
  return (event) => {
    const c = event.context;
    const s = event.subject;
    const parent: SpanContext = { traceId: hex32(c.root_id!), spanId: hex32(c.parent_id).slice(16), traceFlags: TraceFlags.SAMPLED, isRemote: true };
    eventIdGenerator.setNext(undefined, hex32(event.id).slice(16));
    try {
      const span = tracer.startSpan(
        c.scope + "." + c.action,
        {
          kind: SpanKind.PRODUCER,
          startTime: Date.parse(event.timestamp),
          attributes: {
            "quantm.event.id": event.id,
            "quantm.event.version": event.version,
            "quantm.context.hook": c.hook,
            "quantm.context.scope": c.scope,
            "quantm.context.action": c.action,
            "quantm.context.source": c.source,
            "quantm.context.parent_id": c.parent_id,
            "quantm.context.root_id": c.root_id,
            "quantm.subject.id": s.id,
            "quantm.subject.name": s.name,
            "quantm.subject.team_id": s.team_id,
            "quantm.subject.user_id": s.user_id,
            "quantm.subject.org_id": s.org_id,
            "cloudevents.event_id": event.id,
            "cloudevents.event_source": c.source,
            "cloudevents.event_type": c.scope + "." + c.action,
            "cloudevents.event_subject": s.name + "/" + s.id,
          },
          links: [{ context: parent, attributes: parentLink }],
        },
        trace.setSpanContext(context.active(), parent),
      );
      span.end();
      return span.spanContext();
    } finally {
      eventIdGenerator.clear();
    }
  };
}

function rssMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) {
    gc();
    gc();
  }
  return process.memoryUsage().rss / 1_048_576;
}

async function memory(events: QuantmEvent[]): Promise<BenchResult> {
  const provider = new BasicTracerProvider({ idGenerator: eventIdGenerator, spanProcessors: [new BatchSpanProcessor(new NoopExporter())] });
  const bridge = createEventBridge({ tracerProvider: provider, lineageIndexSize: INDEX_CAP });
  const total = 1_000_000;
  const samples: number[] = [];
  // Warm up past the cap first, so the baseline includes a full index.
  for (let i = 0; i < INDEX_CAP * 2; i++) bridge.record(events[i % events.length]!);
  const before = rssMB();
  for (let i = 0; i < total; i++) {
    bridge.record(events[(INDEX_CAP * 2 + i) % events.length]!);
    // Yield now and then so the BatchSpanProcessor exports, as it would in a service.
    if (i % 10_000 === 9_999) await new Promise((resolve) => setImmediate(resolve));
    if ((i + 1) % 250_000 === 0) samples.push(rssMB());
  }
  await provider.shutdown();
  const after = samples[samples.length - 1]!;
  const stats = bridge.stats();
  return {
    name: "memory",
    value: after - before,
    unit: "MB",
    baseline: before,
    ratio: after / before,
    target: "flat (growth ≈ 0)",
    notes: {
      rssMB: samples.map((mb) => mb.toFixed(1)).join("/"),
      indexSize: stats.indexSize,
      recorded: stats.recorded,
      gc: (globalThis as { gc?: unknown }).gc === undefined ? "unavailable" : "forced",
    },
  };
}

export async function measure(): Promise<BenchResult[]> {
  const events = eventPool(POOL);
  const provider = new BasicTracerProvider({ idGenerator: eventIdGenerator, spanProcessors: [new BatchSpanProcessor(new NoopExporter())] });
  const bridge = createEventBridge({ tracerProvider: provider, lineageIndexSize: INDEX_CAP });
  const hand = handWritten(provider);

  // Both produce the same span: check one pair before timing anything.
  const a = bridge.record(events[0]!);
  const b = hand(events[0]!);
  if (a === undefined || a.spanId !== b.spanId || a.traceId !== b.traceId) {
    throw new Error(`bench/record: record() and the hand-written code disagree: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }

  // The same events as plain objects (a JSON round trip): not made by createEvent/parseEvent, so
  // record() validates them first (lib/event/validated.ts).
  const plain: QuantmEvent[] = events.map((e) => JSON.parse(JSON.stringify(e)) as QuantmEvent);
  const plainBridge = createEventBridge({ tracerProvider: provider, lineageIndexSize: INDEX_CAP });

  let j = 0;
  let k = 0;
  let m = 0;
  const ops = compare(
    {
      record: () => {
        bridge.record(events[j++ % POOL]!);
      },
      handWritten: () => {
        hand(events[k++ % POOL]!);
      },
      recordPlainObjects: () => {
        plainBridge.record(plain[m++ % POOL]!);
      },
    },
    15,
    300,
  );
  await provider.shutdown();
  const stats = bridge.stats();
  const results: BenchResult[] = [
    {
      name: "record",
      value: ops.record!,
      unit: "ops/s",
      baseline: ops.handWritten!,
      ratio: ops.handWritten! / ops.record!,
      target: "<= 1.15",
      notes: {
        processor: "BatchSpanProcessor",
        deduplicated: stats.deduplicated,
        errors: stats.errors,
        "plain objects (validated in record) ops/s": ops.recordPlainObjects!,
        "plain objects ratio": ops.handWritten! / ops.recordPlainObjects!,
      },
    },
  ];
  results.push(await memory(events));
  return results;
}

if (isMain(import.meta.url)) {
  console.log(formatResults(await measure()));
}
