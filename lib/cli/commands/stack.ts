// quantm-events stack up|down|status [--json]
import type { CliIO } from "../io.js";
import { EXIT_FAILURE, EXIT_OK, parseCommandArgs, usageError } from "../io.js";
import { StackError, stackDown, stackStatus, stackUp, type StackEndpoints, type StackStatus } from "../../stack/index.js";

export const usage = `usage: quantm-events stack up [--json] [--timeout SECONDS]
       quantm-events stack down
       quantm-events stack status [--json]

The local stack without Docker: an OpenTelemetry Collector (OTLP on 127.0.0.1:4317/4318),
Jaeger (UI and query API on http://127.0.0.1:16686) and VictoriaLogs (http://127.0.0.1:9428).
The first 'up' builds the programs with Go (several minutes) and caches them in
$QUANTM_STACK_CACHE or ~/.cache/quantm-events; later starts take seconds.

  up       build if needed, start, wait until healthy (a healthy running stack is reused)
  down     stop the stack and wait until every port is free
  status   health of each program and every endpoint (exit 0 running, 3 not running)
  --json       machine-readable output
  --timeout S  how long 'up' waits for the health checks (default 60)
Exit status: 0 success; 1 failure (a port taken, no health in time, ...); 2 usage error.`;

function endpointLines(e: StackEndpoints): string[] {
  const rows: [string, string][] = [
    ["collector OTLP/gRPC", e.collector.otlpGrpc],
    ["collector OTLP/HTTP", e.collector.otlpHttp],
    ["collector health", e.collector.health],
    ["Jaeger UI", e.jaeger.ui],
    ["Jaeger query API", e.jaeger.api],
    ["Jaeger query gRPC", e.jaeger.queryGrpc],
    ["Jaeger OTLP/gRPC", e.jaeger.otlpGrpc],
    ["Jaeger OTLP/HTTP", e.jaeger.otlpHttp],
    ["Jaeger health", e.jaeger.health],
    ["VictoriaLogs", e.logs.url],
    ["VictoriaLogs UI", e.logs.ui],
    ["VictoriaLogs query", e.logs.query],
    ["VictoriaLogs OTLP logs", e.logs.otlpLogs],
    ["VictoriaLogs health", e.logs.health],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
}

function programLines(s: StackStatus): string[] {
  const width = Math.max(...s.programs.map((p) => p.name.length));
  const vwidth = Math.max(...s.programs.map((p) => p.version.length));
  return s.programs.map((p) => {
    const state = p.healthy ? "healthy" : "not answering";
    const pid = p.pid !== undefined ? `  pid ${p.pid}` : "";
    const log = p.logFile !== undefined ? `  log ${p.logFile}` : "";
    const built = p.built ? "" : "  (not built yet)";
    return `  ${p.name.padEnd(width)}  ${p.version.padEnd(vwidth)}  ${state}${pid}${log}${built}`;
  });
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs(io, "stack", usage, {
    args: argv,
    allowPositionals: true,
    options: { json: { type: "boolean" }, timeout: { type: "string" } },
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const action = positionals[0];
  if (positionals.length !== 1 || (action !== "up" && action !== "down" && action !== "status")) {
    const got = positionals.length === 0 ? "none" : positionals.map((p) => `'${p}'`).join(" ");
    return usageError(io, "stack", `expected one of up, down and status, got ${got}`, usage);
  }
  let healthTimeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const secs = Number(values.timeout);
    if (!Number.isFinite(secs) || secs <= 0) {
      return usageError(io, "stack", `--timeout takes a number of seconds, got '${values.timeout}'`, usage);
    }
    healthTimeoutMs = secs * 1000;
  }
  const env = io.env;
  try {
    if (action === "up") {
      // Progress goes to stderr so that `up --json` keeps stdout parseable.
      const result = await stackUp({ env, onProgress: (line) => io.err(line), ...(healthTimeoutMs !== undefined ? { healthTimeoutMs } : {}) });
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else {
        io.out(
          result.reused
            ? `the stack was already running and healthy${result.managed ? "" : " (not started by 'quantm-events stack up': docker compose?)"}: reusing it`
            : `the stack is up (healthy ${(result.startMs / 1000).toFixed(1)}s after start)`,
        );
        io.out(programLines(result).join("\n"));
        io.out(endpointLines(result.endpoints).join("\n"));
      }
      return EXIT_OK;
    }
    if (action === "down") {
      const { stopped } = await stackDown({ env });
      if (stopped.length === 0) io.out("the stack was not running; every port is free");
      else io.out(`stopped ${stopped.map((s) => `${s.name} (pid ${s.pid}${s.how === "killed" ? ", killed" : ""})`).join(", ")}; every port is free`);
      return EXIT_OK;
    }
    const status = await stackStatus({ env });
    if (values.json) io.out(JSON.stringify(status, null, 2));
    else {
      const healthy = status.programs.filter((p) => p.healthy).length;
      io.out(
        status.running
          ? `the stack is running${status.managed ? "" : " (not started by 'quantm-events stack up': docker compose?)"}`
          : healthy === 0
            ? "the stack is not running ('quantm-events stack up' starts it)"
            : `the stack is partly running (${healthy} of ${status.programs.length} programs healthy): 'quantm-events stack up' restarts it`,
      );
      io.out(programLines(status).join("\n"));
      io.out(endpointLines(status.endpoints).join("\n"));
      io.out(`  binaries: ${status.cacheDir}/bin   state and logs: ${status.stateDir}`);
    }
    return status.running ? EXIT_OK : 3; // 3: not running (documented in usage and docs/stack.md)
  } catch (err) {
    if (err instanceof StackError) {
      io.err(`quantm-events stack ${action}: ${err.message}`);
      return EXIT_FAILURE;
    }
    throw err;
  }
}
