// Runs the demo chain: each step in its own Node process, the events of one step piped as JSON
// lines into the next. Returns every event recorded, in order, and the root.
import { spawn } from "node:child_process";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEventLines, type QuantmEvent } from "../event/index.js";
import { DEMO_STEPS, type DemoStep } from "./scenario.js";

export interface DemoChainResult {
  root: QuantmEvent;
  events: QuantmEvent[];
  /** Which step (process) recorded each event id. */
  recordedBy: Map<string, DemoStep>;
}

export interface DemoChainOptions {
  /** Environment of the step processes (OTEL_EXPORTER_OTLP_ENDPOINT, ...). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Receives each step's console log lines (its stderr). */
  onLog?: (step: DemoStep, line: string) => void;
}

// The worker sits beside this module: worker.js in dist/, worker.ts when run from source with tsx.
const WORKER = fileURLToPath(new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

export async function runDemoChain(options: DemoChainOptions = {}): Promise<DemoChainResult> {
  const outputs = new Map<DemoStep, QuantmEvent[]>();
  const recordedBy = new Map<string, DemoStep>();
  for (const step of Object.keys(DEMO_STEPS) as DemoStep[]) {
    const from = DEMO_STEPS[step].input;
    const input = from === undefined ? "" : (outputs.get(from) ?? []).map((e) => JSON.stringify(e)).join("\n");
    const stdout = await runStep(step, input, options);
    const events: QuantmEvent[] = [];
    for (const line of parseEventLines(stdout)) {
      if (!line.ok) throw new Error(`demo step ${step} printed an invalid event on line ${line.line}: ${line.error.message}`);
      events.push(line.event);
      recordedBy.set(line.event.id, step);
    }
    outputs.set(step, events);
  }
  const events = [...outputs.values()].flat();
  const root = events[0];
  if (!root) throw new Error("demo chain recorded no events");
  return { root, events, recordedBy };
}

function runStep(step: DemoStep, input: string, options: DemoChainOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, WORKER, step], {
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderrTail = "";
    let pending = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) options.onLog?.(step, line);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`demo step ${step} (${DEMO_STEPS[step].service}) exited with ${code}:\n${stderrTail}`));
    });
    child.stdin.end(input);
  });
}
