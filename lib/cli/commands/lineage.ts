// quantm-events lineage EVENT_ID [--json] [--jaeger URL]
import type { CliIO } from "../io.js";
import { EXIT_OK, parseCommandArgs, usageError } from "../io.js";
import { JaegerClient, DEFAULT_JAEGER_URL } from "../../query/jaeger.js";
import { findLineage, formatLineage } from "../../query/lineage.js";
import { DEFAULT_LOGS_URL, LogStoreClient, storeLogCounts } from "../../query/logs.js";

export const usage = `usage: quantm-events lineage EVENT_ID [--json] [--jaeger URL] [--logs-url URL]

Reads Jaeger's query API and prints the event's ancestors and descendants as a tree
(time, hook, scope.action, subject, log count), across traces. Log counts come from the log
store; when it cannot be reached, from the span events Jaeger holds (said on stderr).
  --json           machine-readable output
  --jaeger URL     Jaeger query endpoint (default: $JAEGER_URL or ${DEFAULT_JAEGER_URL})
  --logs-url URL   the log store (default: $LOGS_URL or ${DEFAULT_LOGS_URL})`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs(io, "lineage", usage, {
    args: argv,
    allowPositionals: true,
    options: { json: { type: "boolean" }, jaeger: { type: "string" }, "logs-url": { type: "string" } },
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const eventId = positionals[0];
  if (eventId === undefined || positionals.length > 1) {
    return usageError(io, "lineage", `expected one EVENT_ID, got ${positionals.length === 0 ? "none" : positionals.map((p) => `'${p}'`).join(" ")}`, usage);
  }
  if (!UUID.test(eventId)) return usageError(io, "lineage", `expected an event id (a UUID), got '${eventId}'`, usage);
  const client = new JaegerClient(values.jaeger ?? io.env.JAEGER_URL ?? DEFAULT_JAEGER_URL);
  const store = new LogStoreClient(values["logs-url"] ?? io.env.LOGS_URL ?? DEFAULT_LOGS_URL);
  const lineage = await findLineage(client, eventId.toLowerCase(), {
    countLogs: storeLogCounts(store, (why) => io.err(`note: log counts are span events in Jaeger (${why})`)),
  });
  if (values.json) io.out(JSON.stringify(lineage, null, 2));
  else {
    io.out(formatLineage(lineage));
    io.out(`\n${lineage.ancestors.length} ancestor(s), ${lineage.descendants.length} descendant(s); Jaeger: ${lineage.traceIds.map((t) => `${client.baseUrl}/trace/${t}`).join(" ")}`);
  }
  return EXIT_OK;
}
