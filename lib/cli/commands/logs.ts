// quantm-events logs [--trace ID | --event EVENT_ID | --query QUERY] [--json]
import type { CliIO } from "../io.js";
import { EXIT_OK, parseCommandArgs, usageError } from "../io.js";
import { DEFAULT_LOGS_URL, LogQueryError, LogStoreClient, eventQuery, formatLogRecords, traceQuery } from "../../query/logs.js";

export const usage = `usage: quantm-events logs (--trace ID | --event EVENT_ID | --query LOGSQL) [--limit N] [--json] [--logs-url URL]

Correlated log search in the log store (VictoriaLogs): every record of a trace (a chain: its
trace id is the root event's id), of one event, or of any LogsQL filter, oldest first.
  --trace ID       trace id (32 hex digits) or the chain's root event id
  --event ID       event id (records written inside its event span or its handle spans)
  --query LOGSQL   a LogsQL filter, e.g. 'severity_text:error AND "quantm.context.scope":pull_request'
  --limit N        at most N records (default 1000)
  --json           one JSON object per record
  --logs-url URL   the log store (default: $LOGS_URL or ${DEFAULT_LOGS_URL})`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs(io, "logs", usage, {
    args: argv,
    allowPositionals: true,
    options: {
      trace: { type: "string" },
      event: { type: "string" },
      query: { type: "string" },
      limit: { type: "string" },
      json: { type: "boolean" },
      "logs-url": { type: "string" },
    },
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const chosen = [values.trace, values.event, values.query].filter((v) => v !== undefined);
  if (chosen.length !== 1) return usageError(io, "logs", `expected exactly one of --trace, --event and --query, got ${chosen.length}`, usage);
  if (positionals.length > 0) return usageError(io, "logs", `unexpected argument '${positionals[0]}'`, usage);
  const limit = values.limit === undefined ? 1000 : Number(values.limit);
  if (!Number.isInteger(limit) || limit <= 0) return usageError(io, "logs", `--limit: expected a positive integer, got '${values.limit}'`, usage);
  let filter: string;
  try {
    filter = values.trace !== undefined ? traceQuery(values.trace) : values.event !== undefined ? eventQuery(values.event) : values.query!;
  } catch (err) {
    // A malformed id is a usage error, like lineage's.
    if (err instanceof LogQueryError) return usageError(io, "logs", err.message, usage);
    throw err;
  }
  const client = new LogStoreClient(values["logs-url"] ?? io.env.LOGS_URL ?? DEFAULT_LOGS_URL);
  const records = await client.search(filter, limit);
  if (values.json) for (const r of records) io.out(JSON.stringify(r));
  else if (records.length > 0) io.out(formatLogRecords(records));
  else io.err(`no log records match ${filter}`);
  return EXIT_OK;
}
