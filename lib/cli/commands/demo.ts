// quantm-events demo: the local stack, a GitHub pull-request chain recorded by three processes,
// then the lineage tree as Jaeger holds it and where to look.
import type { CliIO } from "../io.js";
import { EXIT_OK, parseCommandArgs } from "../io.js";
import { runDemoChain } from "../../demo/chain.js";
import { DEMO_STEPS } from "../../demo/scenario.js";
import { JaegerClient } from "../../query/jaeger.js";
import { findLineage, formatLineage, type Lineage, type LineageNode } from "../../query/lineage.js";
import { LogStoreClient, storeLogCounts } from "../../query/logs.js";
import { stackUp } from "../../stack/index.js";
import { traceIdFromEventId } from "../../trace/index.js";

export const usage = `usage: quantm-events demo [--verbose] [--json]

Starts the local stack if it is not running (building it with Go the first time), records a
GitHub pull-request chain from three processes that pass each other only event JSON, waits until
Jaeger holds every event, and prints the lineage tree and the Jaeger URL.
  --verbose   also print each process's log lines
  --json      print the lineage as JSON`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs(io, "demo", usage, { args: argv, options: { verbose: { type: "boolean" }, json: { type: "boolean" } } });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const up = await stackUp({ onProgress: (line) => io.err(`[stack] ${line}`) });
  io.err(up.reused ? "[stack] reusing the running stack" : `[stack] started in ${up.startMs} ms`);

  const env = { ...io.env, OTEL_EXPORTER_OTLP_ENDPOINT: up.endpoints.collector.otlpHttp };
  const chain = await runDemoChain({
    env,
    ...(values.verbose ? { onLog: (step, line) => io.err(`[${DEMO_STEPS[step].service}] ${line}`) } : {}),
  });
  for (const e of chain.events) {
    io.err(`[${DEMO_STEPS[chain.recordedBy.get(e.id)!].service}] recorded ${e.context.scope}.${e.context.action} ${e.id}`);
  }

  const jaeger = new JaegerClient(up.endpoints.jaeger.ui);
  const store = new LogStoreClient(up.endpoints.logs.url);
  const lineage = await waitForLineage(jaeger, chain.root.id, chain.events.length);
  await useStoreCounts(lineage, store, (why) => io.err(`note: log counts are span events in Jaeger (${why})`));
  const traceUrl = `${up.endpoints.jaeger.ui}/trace/${traceIdFromEventId(chain.root.id)}`;
  if (values.json) {
    io.out(JSON.stringify({ root: chain.root.id, traceUrl, lineage }, null, 2));
    return EXIT_OK;
  }
  io.out(formatLineage(lineage));
  io.out("");
  io.out(`Jaeger trace:  ${traceUrl}`);
  io.out(`Lineage again: quantm-events lineage ${chain.events[1]?.id ?? chain.root.id}`);
  io.out(`Its logs:      quantm-events logs --trace ${traceIdFromEventId(chain.root.id)}   (UI: ${up.endpoints.logs.ui})`);
  io.out(`The stack keeps running for you to look; stop it with: quantm-events stack down`);
  return EXIT_OK;
}

/** Spans arrive through the collector's batch: poll until every recorded event is in the tree. */
async function waitForLineage(jaeger: JaegerClient, rootId: string, events: number, timeoutMs = 30_000): Promise<Lineage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const lineage = await findLineage(jaeger, rootId);
      if (1 + lineage.descendants.length >= events) return lineage;
      if (Date.now() > deadline) throw new Error(`Jaeger holds ${1 + lineage.descendants.length} of ${events} events after ${timeoutMs} ms`);
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Log records reach the store through the collector's batch, like spans reach Jaeger: wait (a
 * few seconds at most) until the store holds at least the records Jaeger shows as span events
 * (those are a subset: info and above), then show the store's counts.
 */
async function useStoreCounts(lineage: Lineage, store: LogStoreClient, onUnavailable: (why: string) => void, timeoutMs = 10_000): Promise<void> {
  const nodes: LineageNode[] = [];
  const collect = (n: LineageNode): void => {
    nodes.push(n);
    n.children.forEach(collect);
  };
  collect(lineage.root);
  const count = storeLogCounts(store, onUnavailable);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await count(nodes.map((n) => n.eventId));
    if (counts === undefined) return;
    const complete = nodes.every((n) => (counts.get(n.eventId) ?? 0) >= n.logCount);
    if (complete || Date.now() > deadline) {
      for (const n of nodes) n.logCount = counts.get(n.eventId) ?? 0;
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
