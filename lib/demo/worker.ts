// One step of the demo chain as its own process: event JSON lines in (stdin), the events it
// recorded out (stdout, one JSON per line). Run by chain.ts; nothing else passes between steps.
import { parseEventLines, type QuantmEvent } from "../event/index.js";
import { instrument } from "../instrument/index.js";
import { DEMO_STEPS, demoLoggerTransports, runDemoStep, type DemoStep } from "./scenario.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function main(): Promise<void> {
  const step = process.argv[2] as DemoStep;
  if (!(step in DEMO_STEPS)) throw new Error(`unknown demo step '${String(step)}' (expected ${Object.keys(DEMO_STEPS).join(", ")})`);
  const input: QuantmEvent[] = [];
  if (DEMO_STEPS[step].input !== undefined) {
    for (const line of parseEventLines(await readStdin())) {
      if (!line.ok) throw new Error(`line ${line.line}: ${line.error.message}`);
      input.push(line.event);
    }
  }
  const q = instrument({ serviceName: DEMO_STEPS[step].service, logger: { level: "debug", transports: demoLoggerTransports() } });
  const recorded = await runDemoStep(step, q, input);
  await q.shutdown();
  const { spans, logs } = q.stats().export;
  if (spans.failed + spans.unaccounted + logs.failed + logs.unaccounted > 0) {
    throw new Error(`telemetry not delivered: spans ${JSON.stringify(spans)}, logs ${JSON.stringify(logs)}`);
  }
  for (const e of recorded) process.stdout.write(JSON.stringify(e) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`demo worker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
