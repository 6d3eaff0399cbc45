// Output and input seams for CLI commands, so specs can run commands in-process.
import { readFile } from "node:fs/promises";

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
