// End-to-end harness: the real local stack (collector + Jaeger + VictoriaLogs) for specs.
//
//   before(async function () { this.timeout(STACK_START_TIMEOUT_MS); endpoints = await ensureStack(); });
//
// ensureStack() starts the stack once per run (building it with Go on a cold machine, which takes
// minutes: hence the long hook timeout), and starts it again if a spec stopped it. A stack that was
// already running and healthy before the run is reused and left running; a stack the harness
// started is stopped once, after the whole run (spec/support/global-fixtures.ts).
import { JaegerClient, type JaegerTrace, type OtlpTracesData } from "../../lib/query/jaeger.js";
import { LogStoreClient } from "../../lib/query/logs.js";
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
// Queries: the library's own clients (lib/query), so specs read Jaeger and the log store the way
// `quantm-events lineage` and `logs` do.

const jaeger = new JaegerClient();
const logStore = new LogStoreClient();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls /api/traces/{id} until the trace holds at least `minSpans` spans. */
export async function waitForTrace(traceId: string, opts: { minSpans?: number; timeoutMs?: number } = {}): Promise<JaegerTrace> {
  const minSpans = opts.minSpans ?? 1;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await jaeger.getTrace(traceId);
    if (last !== undefined && last.spans.length >= minSpans) return last;
    if (Date.now() >= deadline) {
      throw new Error(
        `Jaeger has ${last === undefined ? "no trace" : `${last.spans.length} span(s)`} for ${traceId} after ${timeoutMs} ms (wanted ${minSpans}+ spans)`,
      );
    }
    await sleep(150);
  }
}

/** GET /api/v3/traces/{id}: the exact OTLP picture (parents, links with attributes, events). */
export function fetchTraceOtlp(traceId: string): Promise<OtlpTracesData | undefined> {
  return jaeger.getTraceOtlp(traceId);
}

/** GET /api/traces?service=..&tags=..: Jaeger's search (the last week unless `lookbackMs`). */
export function searchTraces(service: string, opts: { tags?: Record<string, string>; limit?: number; lookbackMs?: number } = {}): Promise<JaegerTrace[]> {
  return jaeger.findTraces({
    service,
    ...(opts.tags ? { tags: opts.tags } : {}),
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
    ...(opts.lookbackMs !== undefined ? { start: (Date.now() - opts.lookbackMs) * 1000 } : {}),
  });
}

/** One stored record: VictoriaLogs returns every field as a string (`_msg`, `_time`, ...). */
export type LogRecordFields = Record<string, string>;

/** Runs a LogsQL query (/select/logsql/query). */
export function queryLogs(query: string): Promise<LogRecordFields[]> {
  return logStore.query(query);
}

/** Polls a LogsQL query until it returns at least `minRecords` records. */
export async function waitForLogs(query: string, opts: { minRecords?: number; timeoutMs?: number } = {}): Promise<LogRecordFields[]> {
  const minRecords = opts.minRecords ?? 1;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await logStore.query(query);
    if (records.length >= minRecords) return records;
    if (Date.now() >= deadline) {
      throw new Error(`VictoriaLogs returned ${records.length} record(s) for ${JSON.stringify(query)} after ${timeoutMs} ms (wanted ${minRecords}+)`);
    }
    await sleep(250);
  }
}
