// The state file: which processes `stack up` started, so `down` and `status` find them from any
// later process (the CLI exits right after `up`; the programs keep running).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ProgramName } from "./config.js";

export interface ProcessRecord {
  name: ProgramName;
  pid: number;
  binary: string;
  args: string[];
  logFile: string;
  startedAt: string;
}

export interface StackState {
  version: 1;
  startedAt: string;
  processes: ProcessRecord[];
}

export function readState(file: string): StackState | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<StackState>;
    if (parsed.version !== 1 || !Array.isArray(parsed.processes)) return undefined;
    return parsed as StackState;
  } catch {
    return undefined; // a torn or foreign file: treat as no state, `up` rewrites it
  }
}

export function writeState(file: string, state: StackState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n");
  renameSync(tmp, file);
}

export function clearState(file: string): void {
  rmSync(file, { force: true });
}
