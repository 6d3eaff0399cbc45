// Shared by the stack specs: run the CLI in-process and capture what it prints.
import { main } from "../../lib/cli/main.js";

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readInput: () => Promise.reject(new Error("no input in this spec")),
    env,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}
