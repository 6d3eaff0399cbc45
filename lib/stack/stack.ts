// stackUp / stackDown / stackStatus: the local collector + Jaeger + VictoriaLogs, without Docker.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureBinary, isBuilt, type ProgressFn } from "./build.js";
import {
  ENDPOINTS,
  PORTS,
  PROGRAMS,
  STACK_HOST,
  cacheDir,
  programEnv,
  stackPaths,
  type PortName,
  type ProgramName,
  type ProgramSpec,
  type StackEndpoints,
} from "./config.js";
import { StackError } from "./errors.js";
import { describeOwner, findPortOwner, isPortFree } from "./ports.js";
import { isHealthy, isOurProcess, logTail, sleep, startDetached, terminate, type Started } from "./process.js";
import { withLock } from "./lock.js";
import { clearState, readState, writeState, type ProcessRecord, type StackState } from "./state.js";

export interface StackOptions {
  env?: NodeJS.ProcessEnv;
  /** Progress lines (builds, starts). Default: none. */
  onProgress?: ProgressFn;
}

export interface ProgramStatus {
  name: ProgramName;
  version: string;
  healthy: boolean;
  healthUrl: string;
  /** Set when this stack's state file records a live process for the program. */
  pid?: number;
  logFile?: string;
  /** Whether its binary is in the cache (if not, `up` builds it). */
  built: boolean;
}

export interface StackStatus {
  /** Every program answers its health check (whoever started it). */
  running: boolean;
  /** The running processes were started by `quantm-events stack up` (not, say, docker compose). */
  managed: boolean;
  endpoints: StackEndpoints;
  programs: ProgramStatus[];
  cacheDir: string;
  stateDir: string;
}

export interface StackUpResult extends StackStatus {
  /** A healthy stack was already running and was left as it was. */
  reused: boolean;
  /** Milliseconds from the first start to every health check passing (0 when reused). */
  startMs: number;
}

export interface StackDownResult {
  stopped: { name: string; pid: number; how: "exited" | "killed" | "absent" }[];
}

const PORT_LABELS: Record<PortName, string> = {
  collectorOtlpGrpc: "collector OTLP/gRPC",
  collectorOtlpHttp: "collector OTLP/HTTP",
  collectorHealth: "collector health check",
  jaegerQueryHttp: "Jaeger query API/UI",
  jaegerQueryGrpc: "Jaeger query gRPC",
  jaegerOtlpGrpc: "Jaeger OTLP/gRPC",
  jaegerOtlpHttp: "Jaeger OTLP/HTTP",
  jaegerHealth: "Jaeger health check",
  victoriaLogsHttp: "VictoriaLogs HTTP",
};

/** Every port the stack binds, with what it is for. */
export function stackPorts(): { name: PortName; port: number; label: string }[] {
  return PROGRAMS.flatMap((p) => p.ports.map((name) => ({ name, port: PORTS[name], label: PORT_LABELS[name] })));
}

function liveRecords(state: StackState | undefined): ProcessRecord[] {
  return (state?.processes ?? []).filter((r) => isOurProcess(r.pid, r.binary));
}

export async function stackStatus(opts: StackOptions = {}): Promise<StackStatus> {
  const env = opts.env ?? process.env;
  const paths = stackPaths(env);
  const live = liveRecords(readState(paths.stateFile));
  const health = await Promise.all(PROGRAMS.map((p) => isHealthy(p.healthUrl)));
  const programs = PROGRAMS.map((p, i): ProgramStatus => {
    const record = live.find((r) => r.name === p.name);
    const status: ProgramStatus = {
      name: p.name,
      version: p.build.version,
      healthy: health[i] === true,
      healthUrl: p.healthUrl,
      built: isBuilt(p.build, env),
    };
    if (record !== undefined) {
      status.pid = record.pid;
      status.logFile = record.logFile;
    }
    return status;
  });
  return {
    running: programs.every((p) => p.healthy),
    managed: live.length > 0,
    endpoints: ENDPOINTS,
    programs,
    cacheDir: cacheDir(env),
    stateDir: paths.stateDir,
  };
}

async function busyPortsError(busy: { name: PortName; port: number }[]): Promise<StackError> {
  const lines: string[] = [];
  for (const b of busy) {
    const owner = await findPortOwner(b.port);
    lines.push(`  ${STACK_HOST}:${b.port} (${PORT_LABELS[b.name]}) is in use by ${describeOwner(owner)}`);
  }
  return new StackError(
    "port-busy",
    `cannot start the stack: ${busy.length === 1 ? "a port it needs is" : "ports it needs are"} already taken:\n` +
      lines.join("\n") +
      `\nStop ${busy.length === 1 ? "that program" : "those programs"} (if it is another copy of this stack, ` +
      `'quantm-events stack down', or 'docker compose down' for the Docker one) and try again.`,
  );
}

async function stopRecords(records: ProcessRecord[]): Promise<StackDownResult["stopped"]> {
  // Collector first, so nothing is left sending to stores that are already gone.
  const ordered = [...records].reverse();
  const stopped: StackDownResult["stopped"] = [];
  for (const r of ordered) stopped.push({ name: r.name, pid: r.pid, how: await terminate(r.pid) });
  return stopped;
}

async function waitForPortsFree(timeoutMs: number): Promise<{ name: PortName; port: number }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy: { name: PortName; port: number }[] = [];
    for (const p of stackPorts()) if (!(await isPortFree(p.port, STACK_HOST))) busy.push(p);
    if (busy.length === 0 || Date.now() >= deadline) return busy;
    await sleep(100);
  }
}

/**
 * Starts the stack, building the programs first when they are not cached. A healthy stack that is
 * already running (ours, or docker compose's on the same ports) is reused as it is.
 */
export async function stackUp(opts: StackOptions & { healthTimeoutMs?: number } = {}): Promise<StackUpResult> {
  const paths = stackPaths(opts.env ?? process.env);
  return withLock(paths.lockFile, () => up(opts), (pid) => opts.onProgress?.(`waiting for another 'stack up' or 'down' (pid ${pid}) to finish ...`));
}

async function up(opts: StackOptions & { healthTimeoutMs?: number }): Promise<StackUpResult> {
  const env = opts.env ?? process.env;
  const progress = opts.onProgress ?? (() => {});
  const healthTimeoutMs = opts.healthTimeoutMs ?? 60_000;
  const paths = stackPaths(env);

  const before = await stackStatus({ env });
  if (before.running) return { ...before, reused: true, startMs: 0 };

  const state = readState(paths.stateFile);
  const leftovers = liveRecords(state);
  if (leftovers.length > 0) {
    progress(`a previous stack is partly running (${leftovers.map((r) => r.name).join(", ")}): restarting it`);
    await stopRecords(leftovers);
  }
  clearState(paths.stateFile);

  // Ports before binaries: a taken port fails in a second rather than after a long first build.
  const busy: { name: PortName; port: number }[] = [];
  for (const p of stackPorts()) if (!(await isPortFree(p.port, STACK_HOST))) busy.push(p);
  if (busy.length > 0) throw await busyPortsError(busy);

  const binaries = new Map<ProgramName, string>();
  for (const program of PROGRAMS) {
    binaries.set(program.name, await ensureBinary(program.build, { env, onProgress: progress }));
  }

  mkdirSync(paths.logDir, { recursive: true });
  mkdirSync(paths.victoriaLogsData, { recursive: true });
  const childEnv = programEnv(paths, env);
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  const running: { program: ProgramSpec; started: Started; record: ProcessRecord }[] = [];
  for (const program of PROGRAMS) {
    const binary = binaries.get(program.name) as string;
    const args = program.args(paths);
    const logFile = join(paths.logDir, `${program.name}.log`);
    writeFileSync(logFile, ""); // one run per log file: a failure's tail is this run's
    const started = startDetached(binary, args, { logFile, cwd: paths.root, env: childEnv });
    const record: ProcessRecord = { name: program.name, pid: started.pid, binary, args, logFile, startedAt };
    running.push({ program, started, record });
    progress(`started ${program.name} (pid ${started.pid}), log: ${logFile}`);
  }
  // Recorded before waiting: if this process dies while waiting, `down` still finds them.
  writeState(paths.stateFile, { version: 1, startedAt, processes: running.map((r) => r.record) });

  const fail = async (error: StackError): Promise<never> => {
    await stopRecords(running.map((r) => r.record));
    clearState(paths.stateFile);
    throw error;
  };

  const deadline = t0 + healthTimeoutMs;
  const healthy = new Set<ProgramName>();
  while (healthy.size < running.length) {
    for (const r of running) {
      if (healthy.has(r.program.name)) continue;
      if (r.started.exit !== undefined) {
        const how = r.started.exit.signal ? `was killed by ${r.started.exit.signal}` : `exited with code ${r.started.exit.code}`;
        await fail(
          new StackError(
            "exited-at-start",
            `${r.program.name} ${how} right after starting. The end of its log (${r.record.logFile}):\n${logTail(r.record.logFile)}`,
          ),
        );
      }
      if (await isHealthy(r.program.healthUrl, 500)) {
        healthy.add(r.program.name);
        progress(`${r.program.name} is healthy (${Date.now() - t0} ms)`);
      }
    }
    if (healthy.size === running.length) break;
    if (Date.now() >= deadline) {
      const late = running.filter((r) => !healthy.has(r.program.name));
      await fail(
        new StackError(
          "health-timeout",
          `the stack did not become healthy within ${Math.round(healthTimeoutMs / 1000)}s:\n` +
            late.map((r) => `${r.program.name} never answered ${r.program.healthUrl}; the end of its log (${r.record.logFile}):\n${logTail(r.record.logFile)}`).join("\n"),
        ),
      );
    }
    await sleep(100);
  }
  const startMs = Date.now() - t0;
  const after = await stackStatus({ env });
  return { ...after, reused: false, startMs };
}

/**
 * Stops the processes `stack up` started and waits until every stack port is free. A port still
 * held afterwards by a program this package did not start (a docker compose stack, say) is an
 * error naming it.
 */
export async function stackDown(opts: StackOptions & { timeoutMs?: number } = {}): Promise<StackDownResult> {
  const paths = stackPaths(opts.env ?? process.env);
  return withLock(paths.lockFile, () => down(opts), (pid) => opts.onProgress?.(`waiting for another 'stack up' or 'down' (pid ${pid}) to finish ...`));
}

async function down(opts: StackOptions & { timeoutMs?: number }): Promise<StackDownResult> {
  const env = opts.env ?? process.env;
  const paths = stackPaths(env);
  const stopped = await stopRecords(liveRecords(readState(paths.stateFile)));
  clearState(paths.stateFile);

  let busy = await waitForPortsFree(opts.timeoutMs ?? 10_000);
  if (busy.length > 0) {
    // Programs from our binary cache whose state file was lost (deleted state folder, a crash
    // between start and write): still ours to stop.
    const binDir = join(cacheDir(env), "bin");
    for (const b of busy) {
      const owner = await findPortOwner(b.port);
      if (owner?.command?.startsWith(binDir)) stopped.push({ name: owner.name, pid: owner.pid, how: await terminate(owner.pid) });
    }
    busy = await waitForPortsFree(2_000);
  }
  if (busy.length > 0) {
    const lines: string[] = [];
    for (const b of busy) lines.push(`  ${STACK_HOST}:${b.port} (${PORT_LABELS[b.name]}) is held by ${describeOwner(await findPortOwner(b.port))}`);
    throw new StackError(
      stopped.length > 0 ? "stop-failed" : "not-managed",
      `${stopped.length > 0 ? "stopped the stack's processes, but" : "no stack started by 'quantm-events stack up' is running, and"} ` +
        `these ports are still taken by programs it did not start:\n${lines.join("\n")}\n` +
        `If that is the Docker stack, stop it with 'docker compose down'.`,
    );
  }
  return { stopped };
}
