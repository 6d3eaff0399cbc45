// Runs the CLI in-process through main() with a fake CliIO, for the specs in spec/cli.
import { readFile } from "node:fs/promises";
import { main } from "../../lib/cli/main.js";
import type { CliIO } from "../../lib/cli/io.js";

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

/** `stdin` is what '-' (or no FILE) reads; files are read from disk; `env` is the command's environment. */
export async function cli(argv: string[], stdin = "", env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (line) => out.push(...line.split("\n")),
    err: (line) => err.push(...line.split("\n")),
    readInput: (file) => (file === undefined || file === "-" ? Promise.resolve(stdin) : readFile(file, "utf8")),
    env,
  };
  const code = await main(argv, io);
  return { code, out, err };
}
