// End-to-end harness: the real local stack (collector + Jaeger + VictoriaLogs) for specs.
//
//   before(async function () { this.timeout(STACK_START_TIMEOUT_MS); endpoints = await ensureStack(); });
//
// ensureStack() starts the stack once per run (building it with Go on a cold machine, which takes
// minutes: hence the long hook timeout), and starts it again if a spec stopped it. A stack that was
// already running and healthy before the run is reused and left running; a stack the harness
// started is stopped once, after the whole run (spec/support/global-fixtures.ts).
import { stackDown, stackStatus, stackUp, type StackEndpoints } from "../../lib/stack/index.js";

export type { StackEndpoints };

/** For `this.timeout(...)` in before hooks that call ensureStack(): a cold build fits in it. */
export const STACK_START_TIMEOUT_MS = 45 * 60 * 1000;

let ensuring: Promise<StackEndpoints> | undefined;
let startedByHarness = false;
let runningBeforeRun: boolean | undefined;

function progress(line: string): void {
  process.stderr.write(`      [stack] ${line}\n`);
}

async function ensure(): Promise<StackEndpoints> {
  const status = await stackStatus();
  runningBeforeRun ??= status.running;
  if (status.running) return status.endpoints;
  const up = await stackUp({ onProgress: progress });
  if (!up.reused) {
    startedByHarness = !runningBeforeRun;
    progress(`stack healthy ${up.startMs} ms after start`);
  }
  return up.endpoints;
}

/** The running stack's endpoints, starting (and if needed building) it first. */
export async function ensureStack(): Promise<StackEndpoints> {
  // Concurrent callers share one attempt; a failed attempt is not cached, so the next caller retries.
  ensuring ??= ensure().finally(() => {
    ensuring = undefined;
  });
  return ensuring;
}

/** Called once after the run: stops the stack only if this harness started it. */
export async function stopStackIfStarted(): Promise<void> {
  if (!startedByHarness) return;
  startedByHarness = false;
  await stackDown();
}

// ---------------------------------------------------------------------------------------------
// Jaeger

const JAEGER = "http://127.0.0.1:16686";

export interface JaegerV1Span {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: { key: string; type: string; value: unknown }[];
  logs: { timestamp: number; fields: { key: string; type: string; value: unknown }[] }[];
  processID: string;
}

export interface JaegerV1Trace {
  traceID: string;
  spans: JaegerV1Span[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text for the error message */
  }
  return { status: res.status, body };
}

/** GET /api/traces/{id}: the trace, or undefined while Jaeger does not have it (404). */
export async function fetchTrace(traceId: string): Promise<JaegerV1Trace | undefined> {
  const { status, body } = await getJson(`${JAEGER}/api/traces/${traceId}`);
  if (status === 404) return undefined;
  if (status !== 200) throw new Error(`GET /api/traces/${traceId}: HTTP ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  return (body as { data: JaegerV1Trace[] }).data[0];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls /api/traces/{id} until the trace holds at least `minSpans` spans. */
export async function waitForTrace(
  traceId: string,
  opts: { minSpans?: number; timeoutMs?: number } = {},
): Promise<JaegerV1Trace> {
  const minSpans = opts.minSpans ?? 1;
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let last: JaegerV1Trace | undefined;
  for (;;) {
    last = await fetchTrace(traceId);
    if (last !== undefined && last.spans.length >= minSpans) return last;
    if (Date.now() >= deadline) {
      throw new Error(
        `Jaeger has ${last === undefined ? "no trace" : `${last.spans.length} span(s)`} for ${traceId} ` +
          `after ${opts.timeoutMs ?? 10_000} ms (wanted ${minSpans}+ spans)`,
      );
    }
    await sleep(150);
  }
}

/** OTLP JSON as returned by api_v3 (ids are hex strings there, not base64). */
export interface OtlpJsonTraces {
  resourceSpans: {
    resource?: { attributes?: { key: string; value: Record<string, unknown> }[] };
    scopeSpans: {
      scope?: { name?: string };
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number | string;
        attributes?: { key: string; value: Record<string, unknown> }[];
        links?: { traceId: string; spanId: string; attributes?: { key: string; value: Record<string, unknown> }[] }[];
        events?: { name: string; attributes?: { key: string; value: Record<string, unknown> }[] }[];
      }[];
    }[];
  }[];
}

/** GET /api/v3/traces/{id}: the exact OTLP picture (parents, links with attributes, events). */
export async function fetchTraceOtlp(traceId: string): Promise<OtlpJsonTraces | undefined> {
  const { status, body } = await getJson(`${JAEGER}/api/v3/traces/${traceId}`);
  if (status === 404) return undefined;
  if (status !== 200) throw new Error(`GET /api/v3/traces/${traceId}: HTTP ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  return (body as { result: OtlpJsonTraces }).result;
}

/** GET /api/traces?service=..&tags=..: Jaeger's search (last hour unless `lookbackMs`). */
export async function searchTraces(
  service: string,
  opts: { tags?: Record<string, string>; limit?: number; lookbackMs?: number } = {},
): Promise<JaegerV1Trace[]> {
  const q = new URLSearchParams({ service, limit: String(opts.limit ?? 100) });
  if (opts.tags !== undefined) q.set("tags", JSON.stringify(opts.tags));
  if (opts.lookbackMs !== undefined) q.set("start", String((Date.now() - opts.lookbackMs) * 1000));
  const { status, body } = await getJson(`${JAEGER}/api/traces?${q.toString()}`);
  if (status !== 200) throw new Error(`GET /api/traces?${q.toString()}: HTTP ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  return (body as { data: JaegerV1Trace[] | null }).data ?? [];
}

// ---------------------------------------------------------------------------------------------
// VictoriaLogs

const LOGS = "http://127.0.0.1:9428";

/** One stored record: VictoriaLogs returns every field as a string (`_msg`, `_time`, ...). */
export type LogRecordFields = Record<string, string>;

/** Runs a LogsQL query (/select/logsql/query) over the last `lookback` (default 1h). */
export async function queryLogs(query: string, opts: { limit?: number; lookback?: string } = {}): Promise<LogRecordFields[]> {
  const form = new URLSearchParams({ query, limit: String(opts.limit ?? 1000), start: opts.lookback ?? "1h" });
  const res = await fetch(`${LOGS}/select/logsql/query`, { method: "POST", body: form, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`VictoriaLogs query ${JSON.stringify(query)}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  // JSON lines, one record each.
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as LogRecordFields);
}

/** Polls a LogsQL query until it returns at least `minRecords` records. */
export async function waitForLogs(
  query: string,
  opts: { minRecords?: number; timeoutMs?: number } = {},
): Promise<LogRecordFields[]> {
  const minRecords = opts.minRecords ?? 1;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await queryLogs(query);
    if (records.length >= minRecords) return records;
    if (Date.now() >= deadline) {
      throw new Error(`VictoriaLogs returned ${records.length} record(s) for ${JSON.stringify(query)} after ${timeoutMs} ms (wanted ${minRecords}+)`);
    }
    await sleep(250);
  }
}
