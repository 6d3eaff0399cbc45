// `quantm-events validate [FILE|-] [--strict] [--json]` (DESIGN §7): checks one JSON event or JSON
// Lines, reporting each problem as PATH: MESSAGE (per line number for JSON Lines).
import type { CliIO } from "../io.js";
import { EXIT_FAILURE, EXIT_OK, usageError } from "../io.js";
import { formatIssue, parseEventLines, type EventLine, type ValidationIssue } from "../../event/index.js";

export const usage = `usage: quantm-events validate [FILE|-] [--strict] [--json]

Checks QuantmEvents read from FILE, or from standard input when FILE is '-' or absent: one JSON
event (it may span several lines) or JSON Lines (one event per line, reported by line number).

By default it checks what record() accepts: the event after normalization (a missing
context.timestamp taken from timestamp; parent_id and user_id defaulting to the nil UUID).

options:
  --strict   check the input exactly as it is, without filling defaults
  --json     print one JSON object: {"valid", "events", "invalid", "results": [{"line", "valid", "errors"}]}

Each problem is printed as PATH: MESSAGE (with the primer's wording), e.g.
  line 3: $.id: Missing or invalid event ID (expected a UUID v7, got the string "abc")

exit status: 0 every event is valid; 1 an event is invalid, or the input is unreadable or empty;
2 usage error (an unknown option, more than one FILE).`;

interface Options {
  file: string | undefined;
  strict: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Options | string {
  const options: Options = { file: undefined, strict: false, json: false };
  let positional = 0;
  for (const arg of argv) {
    if (arg === "--strict") options.strict = true;
    else if (arg === "--json") options.json = true;
    else if (arg.startsWith("-") && arg !== "-") return `unknown option '${arg}'`;
    else if (positional++ === 0) options.file = arg;
    else return `expected at most one FILE, got '${options.file}' and '${arg}'`;
  }
  return options;
}

function readFailure(file: string | undefined, err: unknown): string {
  const where = file === undefined || file === "-" ? "standard input" : `'${file}'`;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : err instanceof Error ? err.message : String(err);
  return `cannot read ${where}: ${reason}`;
}

interface JsonResult {
  line: number;
  valid: boolean;
  errors: ValidationIssue[];
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const options = parseArgs(argv);
  if (typeof options === "string") return usageError(io, "validate", options, usage);
  const fail = (message: string): number => {
    if (options.json) io.out(JSON.stringify({ valid: false, error: message }));
    else io.err(`quantm-events validate: ${message}`);
    return EXIT_FAILURE;
  };

  let text: string;
  try {
    text = await io.readInput(options.file);
  } catch (err) {
    return fail(readFailure(options.file, err));
  }
  const results: EventLine[] = parseEventLines(text, { strict: options.strict });
  if (results.length === 0) return fail("no event in the input (it is empty)");

  const invalid = results.filter((r) => !r.ok).length;
  if (options.json) {
    const report: JsonResult[] = results.map((r) => ({ line: r.line, valid: r.ok, errors: r.ok ? [] : r.error.issues }));
    io.out(JSON.stringify({ valid: invalid === 0, events: results.length, invalid, results: report }));
    return invalid === 0 ? EXIT_OK : EXIT_FAILURE;
  }

  // Line numbers only mean something when there are several events (JSON Lines).
  const prefix = (r: EventLine): string => (results.length > 1 ? `line ${r.line}: ` : "");
  let problems = 0;
  for (const r of results) {
    if (r.ok) continue;
    for (const issue of r.error.issues) {
      io.out(prefix(r) + formatIssue(issue));
      problems++;
    }
  }
  const events = (n: number): string => (n === 1 ? "1 event" : `${n} events`);
  if (invalid === 0) {
    io.out(`valid: ${events(results.length)}${options.strict ? " (strict)" : ""}`);
    return EXIT_OK;
  }
  io.out(`invalid: ${invalid} of ${events(results.length)}, ${problems === 1 ? "1 problem" : `${problems} problems`}`);
  return EXIT_FAILURE;
}
