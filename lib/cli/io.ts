// Output and input seams for CLI commands, so specs can run commands in-process.
import { readFile } from "node:fs/promises";
import { parseArgs, type ParseArgsConfig } from "node:util";

// Exit statuses as grep, curl and POSIX utilities use them: 0 success, 1 the command ran and failed, 2 usage error.
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Reads a FILE argument, or standard input for '-' or no argument. */
  readInput(file: string | undefined): Promise<string>;
  env: NodeJS.ProcessEnv;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function processIO(): CliIO {
  return {
    out: (line) => process.stdout.write(line + "\n"),
    err: (line) => process.stderr.write(line + "\n"),
    readInput: (file) => (file === undefined || file === "-" ? readStdin() : readFile(file, "utf8")),
    env: process.env,
  };
}

/**
 * A usage error: `quantm-events <command>: <message>`, a blank line and the usage on stderr;
 * returns EXIT_USAGE. Without a command (the dispatcher), the line starts `quantm-events:`.
 */
export function usageError(io: CliIO, command: string | undefined, message: string, usage: string): number {
  io.err(`quantm-events${command === undefined ? "" : ` ${command}`}: ${message}\n\n${usage}`);
  return EXIT_USAGE;
}

/**
 * node:util parseArgs for a command: what it throws about the arguments (an unknown option, a
 * missing option value, an unexpected argument) becomes a usage error, returned as its exit status.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(io: CliIO, command: string, usage: string, config: T): ReturnType<typeof parseArgs<T>> | number {
  try {
    return parseArgs(config);
  } catch (err) {
    if (!String((err as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS_")) throw err;
    return usageError(io, command, (err as Error).message, usage);
  }
}
