// Detached processes with log files: start, check, wait for health, stop.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync } from "node:fs";
import { dirname } from "node:path";
import { StackError } from "./errors.js";

export interface Started {
  pid: number;
  child: ChildProcess;
  /** Set once the process has exited (we started it, so Node tells us). */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

/**
 * Starts `binary` in its own process group, detached from this one, with stdout and stderr
 * appended to `logFile`: the CLI can exit and the program keeps running.
 */
export function startDetached(binary: string, args: string[], opts: { logFile: string; cwd: string; env: NodeJS.ProcessEnv }): Started {
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const fd = openSync(opts.logFile, "a");
  try {
    const child = spawn(binary, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ["ignore", fd, fd] });
    // A spawn failure also arrives as an 'error' event, which would crash this process unheard.
    child.on("error", () => {});
    if (child.pid === undefined) {
      throw new StackError("exited-at-start", `could not start ${binary}: it is missing or not executable (delete it and 'stack up' rebuilds it)`);
    }
    const started: Started = { pid: child.pid, child, exit: undefined };
    child.on("exit", (code, signal) => {
      started.exit = { code, signal };
    });
    // Without unref this process would wait for the program to end.
    child.unref();
    return started;
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Is `pid` still the program we started (and not a recycled pid)? Checked through /proc where it
 * exists; elsewhere, being alive has to do.
 */
export function isOurProcess(pid: number, binary: string): boolean {
  if (!isAlive(pid)) return false;
  if (!existsSync("/proc/self")) return true;
  try {
    // A zombie (exited, not yet reaped by its parent) has no exe link.
    const exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, "");
    return exe === binary;
  } catch {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] === binary;
    } catch {
      return false;
    }
  }
}

/** The last `lines` lines of a log file, for error messages. */
export function logTail(file: string, lines = 20): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return "  (no log file)";
  }
  const all = text.split("\n").filter((l) => l.trim() !== "");
  if (all.length === 0) return "  (the log is empty)";
  return all
    .slice(-lines)
    .map((l) => `  | ${l.length > 400 ? l.slice(0, 397) + "..." : l}`)
    .join("\n");
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** GET `url` once: true on HTTP 200. Short timeout, since the services are local. */
export async function isHealthy(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Sends SIGTERM, waits up to `graceMs` for the process to go, then SIGKILL. Resolves once it is
 * gone (or was not ours to begin with).
 */
export async function terminate(pid: number, graceMs = 10_000): Promise<"exited" | "killed" | "absent"> {
  if (!isAlive(pid)) return "absent";
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return "absent";
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid) || isZombie(pid)) return "exited";
    await sleep(50);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 100 && isAlive(pid) && !isZombie(pid); i++) await sleep(50);
  return "killed";
}

/** A process that has exited but is not reaped yet (its parent still runs) holds no ports. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 3, after the parenthesised command name (which may itself contain spaces).
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}
