// Plumbing shared by the end-to-end benchmarks (pipeline, burst, latency): the real local stack,
// a null OTLP receiver (the measurement ceiling), worker processes that run instrument(), and
// counting what Jaeger holds.
import { fork } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { JaegerClient } from "../../lib/query/jaeger.js";
import { stackStatus, stackUp, type StackEndpoints } from "../../lib/stack/index.js";
import type { WorkerConfig, WorkerMessage, WorkerResult } from "./worker.js";

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface StackTarget {
  /** OTLP/HTTP base URL of the collector. */
  collector: string;
  /** Jaeger's query URL. */
  jaeger: string;
  /** The stack's processes (pid per program) when it is the local stack; empty otherwise. */
  pids: Record<string, number>;
  /** Processes whose CPU time the pipeline reports (default: `pids`). */
  cpuPids?: Record<string, number>;
  /** Problems worth printing beside the figures (e.g. a stack started from an older config). */
  warnings: string[];
}

/**
 * The collector and Jaeger to measure: BENCH_COLLECTOR_URL and JAEGER_URL when both are set (a
 * stack elsewhere), else the local stack, started (built first if needed) when it is not running.
 * Never stops it: other runs may be using it.
 */
export async function ensureStack(): Promise<StackTarget> {
  const collector = process.env.BENCH_COLLECTOR_URL;
  const jaegerUrl = process.env.JAEGER_URL;
  if (collector && jaegerUrl) {
    // BENCH_STACK_PIDS="otel-collector=PID,jaeger=PID" lets the pipeline charge CPU to that stack.
    const pids: Record<string, number> = {};
    for (const pair of (process.env.BENCH_STACK_PIDS ?? "").split(",")) {
      const [name, pid] = pair.split("=");
      if (name && pid && Number.isInteger(Number(pid))) pids[name.trim()] = Number(pid);
    }
    return { collector, jaeger: jaegerUrl, pids: {}, cpuPids: pids, warnings: [] };
  }
  let status = await stackStatus();
  if (!status.running) {
    process.stderr.write("[bench] the local stack is not running: starting it (stack up)\n");
    await stackUp({ onProgress: (line) => process.stderr.write(`[bench] ${line}\n`) });
    status = await stackStatus();
  }
  const endpoints: StackEndpoints = status.endpoints;
  const pids: Record<string, number> = {};
  for (const p of status.programs) if (p.pid !== undefined) pids[p.name] = p.pid;
  return { collector: endpoints.collector.otlpHttp, jaeger: jaegerUrl ?? endpoints.jaeger.ui, pids, warnings: configWarnings(pids) };
}

/** True when every process of `before` still runs with the same pid (the stack was not restarted). */
export async function sameStack(before: StackTarget): Promise<boolean> {
  if (Object.keys(before.pids).length === 0) return true;
  const now = await stackStatus();
  if (!now.running) return false;
  return now.programs.every((p) => before.pids[p.name] === undefined || before.pids[p.name] === p.pid);
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined elsewhere. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks; USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/**
 * A stack started before collector/jaeger.yaml raised the OTLP gRPC message limit drops every
 * collector batch over 4 MiB (bench/README.md): say so rather than report losses as a mystery.
 */
function configWarnings(pids: Record<string, number>): string[] {
  const pid = pids["jaeger"];
  if (pid === undefined) return [];
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const config = args[args.indexOf("--config") + 1];
    if (config === undefined || !existsSync(config)) return [];
    if (!readFileSync(config, "utf8").includes("max_recv_msg_size_mib")) {
      return [`stale stack: ${config} keeps gRPC's 4 MiB limit, full collector batches are dropped (restart the stack)`];
    }
  } catch {
    // Not Linux, or not our process: nothing to say.
  }
  return [];
}

// --- the null OTLP receiver -----------------------------------------------------------------

export interface NullReceiver {
  /** Base URL for instrument({ endpoint }): `/v1/traces` is appended. */
  url: string;
  counts: { requests: number; spans: number; bytes: number };
  reset(): void;
  close(): Promise<void>;
}

/**
 * An OTLP/HTTP endpoint that counts the spans of each POST /v1/traces (protobuf by walking the
 * wire format, JSON by parsing it) and answers 200 with an empty ExportTraceServiceResponse.
 * It stores nothing: what a sender achieves against it is the ceiling of its exporter settings.
 */
export async function startNullReceiver(): Promise<NullReceiver> {
  const counts = { requests: 0, spans: 0, bytes: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      counts.bytes += body.length;
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      const json = isJson(req);
      if (req.method === "POST" && req.url === "/v1/traces") {
        counts.requests++;
        counts.spans += json ? countJsonSpans(body) : countProtobufSpans(body);
      }
      if (json) {
        res.writeHead(200, { "content-type": "application/json", "content-length": "2" });
        res.end("{}");
      } else {
        res.writeHead(200, { "content-type": "application/x-protobuf", "content-length": "0" });
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    reset: () => {
      counts.requests = 0;
      counts.spans = 0;
      counts.bytes = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function isJson(req: IncomingMessage): boolean {
  return (req.headers["content-type"] ?? "").includes("json");
}

function countJsonSpans(body: Buffer): number {
  const data = JSON.parse(body.toString("utf8")) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
  let n = 0;
  for (const rs of data.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0;
  return n;
}

/**
 * ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1 }, ResourceSpans
 * { repeated ScopeSpans scope_spans = 2 }, ScopeSpans { repeated Span spans = 2 }: counts the
 * spans by skipping over length-delimited fields, without decoding them.
 */
export function countProtobufSpans(buf: Uint8Array): number {
  let spans = 0;
  forEachField(buf, 0, buf.length, (field, start, end) => {
    if (field !== 1) return;
    forEachField(buf, start, end, (f2, s2, e2) => {
      if (f2 !== 2) return;
      forEachField(buf, s2, e2, (f3) => {
        if (f3 === 2) spans++;
      });
    });
  });
  return spans;
}

function forEachField(buf: Uint8Array, start: number, end: number, onBytes: (field: number, start: number, end: number) => void): void {
  let pos = start;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = buf[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  while (pos < end) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const len = varint();
      onBytes(field, pos, pos + len);
      pos += len;
    } else throw new Error(`null receiver: unexpected protobuf wire type ${wire}`);
  }
}

// --- workers ----------------------------------------------------------------------------------

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

export interface RunningWorker {
  result: Promise<WorkerResult>;
  onMessage(fn: (message: WorkerMessage) => void): void;
  send(message: unknown): void;
}

/**
 * Runs bench/e2e/worker.ts in its own process (instrument() registers global providers: one per
 * process) with `config`; `env` adds variables such as OTEL_EXPORTER_OTLP_PROTOCOL.
 */
export function startWorker(config: WorkerConfig, env: Record<string, string> = {}): RunningWorker {
  const child = fork(WORKER, [JSON.stringify(config)], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const listeners: ((message: WorkerMessage) => void)[] = [];
  const result = new Promise<WorkerResult>((resolve, reject) => {
    let done: WorkerResult | undefined;
    child.on("message", (message: WorkerMessage) => {
      if (message.type === "result") done = message.result;
      else for (const fn of listeners) fn(message);
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (done !== undefined) resolve(done);
      else reject(new Error(`bench worker (${config.mode}) exited with ${signal ?? code} before reporting`));
    });
  });
  return {
    result,
    onMessage: (fn) => listeners.push(fn),
    send: (message) => child.send(message as never),
  };
}

// --- Jaeger -------------------------------------------------------------------------------------

let jaeger = new JaegerClient(process.env.JAEGER_URL);

/** Points the helpers below at the target's Jaeger. */
export function useJaeger(url: string): void {
  jaeger = new JaegerClient(url);
}

export function jaegerClient(): JaegerClient {
  return jaeger;
}

/** Distinct spans Jaeger holds for the trace (0 when it has none). */
export async function spansInTrace(traceId: string): Promise<number> {
  const t = await jaeger.getTrace(traceId);
  if (t === undefined) return 0;
  return new Set(t.spans.map((s) => s.spanID)).size;
}

/**
 * Counts what Jaeger holds for each chain, polling until every chain is complete or nothing has
 * changed for `quietMs`. Returns the total and the chains that came up short.
 */
export async function countInJaeger(chains: readonly { traceId: string; spans: number }[], quietMs = 5_000, timeoutMs = 60_000): Promise<{ found: number; expected: number; short: number }> {
  const expected = chains.reduce((n, c) => n + c.spans, 0);
  const have = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  let lastTotal = -1;
  let lastChange = Date.now();
  for (;;) {
    for (const c of chains) {
      if ((have.get(c.traceId) ?? 0) >= c.spans) continue;
      have.set(c.traceId, await spansInTrace(c.traceId));
    }
    const found = chains.reduce((n, c) => n + Math.min(have.get(c.traceId) ?? 0, c.spans), 0);
    const short = chains.filter((c) => (have.get(c.traceId) ?? 0) < c.spans).length;
    if (found !== lastTotal) {
      lastTotal = found;
      lastChange = Date.now();
    }
    if (short === 0 || Date.now() - lastChange >= quietMs || Date.now() >= deadline) return { found, expected, short };
    await sleep(250);
  }
}

/** Polls one chain until Jaeger holds all of its spans; the time it first did (ms since epoch). */
export async function waitForChain(traceId: string, spans: number, timeoutMs = 60_000, intervalMs = 50): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await spansInTrace(traceId)) >= spans) return Date.now();
    if (Date.now() >= deadline) return undefined;
    await sleep(intervalMs);
  }
}
