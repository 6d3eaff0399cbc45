// The `quantm-events` CLI: a dispatcher over one module per command in ./commands/.
// Each command module exports `run(argv, io): Promise<number>` (the exit code) and `usage`.
import type { CliIO } from "./io.js";
import { EXIT_FAILURE, EXIT_OK, processIO, usageError } from "./io.js";

interface CommandModule {
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  validate: () => import("./commands/validate.js"),
  emit: () => import("./commands/emit.js"),
  lineage: () => import("./commands/lineage.js"),
  logs: () => import("./commands/logs.js"),
  demo: () => import("./commands/demo.js"),
  stack: () => import("./commands/stack.js"),
};

const HELP = `usage: quantm-events <command> [options]

commands:
  validate [FILE|-] [--strict] [--json]   check events (JSON or JSON Lines)
  emit [FILE|-]                           record events to the configured collector
  lineage EVENT_ID [--json]               ancestors and descendants of an event, from Jaeger
  logs [--trace ID|--event ID|--query Q]  correlated log records from the log store
  demo                                    run a pull-request chain against the local stack
  stack up|down|status [--json]           the local collector + Jaeger stack

Run 'quantm-events <command> --help' for a command's options.
Exit status: 0 success; 1 failure (invalid input, unreadable file, unreachable service); 2 usage error.`;

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return usageError(io, undefined, "no command given", HELP);
  if (name === "--help" || name === "-h" || name === "help") {
    io.out(HELP);
    return EXIT_OK;
  }
  const load = COMMANDS[name];
  if (load === undefined) return usageError(io, undefined, `unknown command '${name}'`, HELP);
  let command: CommandModule;
  try {
    command = await load();
  } catch (err) {
    io.err(`quantm-events: command '${name}' is not available: ${(err as Error).message}`);
    return EXIT_FAILURE;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    // Last line of defence: a CLI user never sees a stack trace.
    io.err(`quantm-events ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT_FAILURE;
  }
}
