// quantm-events emit [FILE|-]: records events (JSON or JSON Lines) to the configured collector.
import type { CliIO } from "../io.js";
import { EXIT_FAILURE, EXIT_OK, parseCommandArgs, usageError } from "../io.js";
import { parseEventLines } from "../../event/index.js";
import { instrument } from "../../instrument/index.js";

export const usage = `usage: quantm-events emit [FILE|-] [--service NAME] [--endpoint URL] [--json]

Records each event (one JSON object, or JSON Lines) as an event span and sends it to the
OpenTelemetry Collector. Invalid lines are reported by number; the valid ones are still sent.
  --service NAME   service.name of the spans (default: $OTEL_SERVICE_NAME or quantm-events-cli)
  --endpoint URL   OTLP/HTTP collector (default: $OTEL_EXPORTER_OTLP_ENDPOINT or http://localhost:4318)
  --json           print the summary as JSON
Exit status: 0 when every event was valid and delivered; 1 otherwise (an invalid or undelivered
event, unreadable or empty input); 2 usage error.`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs(io, "emit", usage, {
    args: argv,
    allowPositionals: true,
    options: { service: { type: "string" }, endpoint: { type: "string" }, json: { type: "boolean" } },
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) return usageError(io, "emit", `expected at most one FILE, got '${positionals[0]}' and '${positionals[1]}'`, usage);
  const file = positionals[0];
  let text: string;
  try {
    text = await io.readInput(file);
  } catch (err) {
    io.err(`quantm-events emit: cannot read ${file ?? "standard input"}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return EXIT_FAILURE;
  }

  const lines = parseEventLines(text);
  const invalid = lines.filter((l) => !l.ok);
  for (const l of invalid) {
    if (!l.ok) for (const issue of l.error.issues) io.err(`line ${l.line}: ${issue.path}: ${issue.message}`);
  }
  const valid = lines.flatMap((l) => (l.ok ? [l.event] : []));

  let delivered = 0;
  let failed = 0;
  if (valid.length > 0) {
    const q = instrument({
      serviceName: values.service ?? (io.env.OTEL_SERVICE_NAME || "quantm-events-cli"),
      ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
      flushOnExit: false,
      logger: { otlp: false, spanEvents: false, silent: true },
    }, io.env);
    for (const event of valid) q.record(event);
    await q.shutdown();
    const spans = q.stats().export.spans;
    delivered = spans.exported;
    failed = spans.failed + spans.unaccounted;
    if (failed > 0) io.err(`quantm-events emit: ${failed} event span(s) not delivered: ${spans.lastError ?? "dropped"}`);
  }

  const summary = { events: lines.length, valid: valid.length, invalid: invalid.length, delivered, failed };
  if (values.json) io.out(JSON.stringify(summary));
  else io.out(`emitted ${delivered} of ${lines.length} event(s)${invalid.length ? `; ${invalid.length} invalid` : ""}${failed ? `; ${failed} not delivered` : ""}`);
  return invalid.length === 0 && failed === 0 && lines.length > 0 ? EXIT_OK : EXIT_FAILURE;
}
