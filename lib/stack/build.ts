// Builds the stack's Go programs from their pinned wrapper modules, once per machine.
//
// A binary is cached under <cache>/bin/<name>-<key>/, where the key hashes the wrapper module's
// go.mod and go.sum, the build flags and the platform: a fresh clone (CI) reuses the binary of an
// earlier clone, and bumping a pinned version builds a new one beside the old.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cacheDir, packageRoot, type GoBuild } from "./config.js";
import { StackError } from "./errors.js";

export type ProgressFn = (line: string) => void;

/** Flags shared by every build: static (no C toolchain needed), reproducible paths, no debug info. */
function buildArgs(build: GoBuild, output: string): string[] {
  return ["build", "-v", "-trimpath", `-ldflags=${["-s", "-w", ...build.ldflags].join(" ")}`, "-o", output, build.goPackage];
}
const BUILD_ENV = { CGO_ENABLED: "0" } as const;

export function cacheKey(build: GoBuild, root: string = packageRoot()): string {
  const moduleDir = join(root, build.moduleDir);
  const hash = createHash("sha256");
  hash.update(readFileSync(join(moduleDir, "go.mod")));
  hash.update(readFileSync(join(moduleDir, "go.sum")));
  hash.update(JSON.stringify({ args: buildArgs(build, "-"), env: BUILD_ENV, platform: process.platform, arch: process.arch }));
  return hash.digest("hex").slice(0, 16);
}

export function binaryPath(build: GoBuild, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), "bin", `${build.binary}-${cacheKey(build)}`, build.binary);
}

export function isBuilt(build: GoBuild, env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(binaryPath(build, env));
}

interface RunResult {
  code: number | null;
  output: string[];
}

function goMissing(build: GoBuild, binary: string): StackError {
  return new StackError(
    "no-go",
    `cannot build ${build.binary} ${build.version}: the 'go' command was not found, and there is no cached ` +
      `binary at ${binary}.\n` +
      `Install Go 1.26.5 or newer (https://go.dev/dl/) and run 'quantm-events stack up' again, ` +
      `or run the same stack with Docker instead: 'docker compose up -d' in ${packageRoot()}.`,
  );
}

/** Runs go, handing each output line to `onLine` and keeping the last ones for an error report. */
function runGo(args: string[], cwd: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("go", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    let partial = "";
    const take = (chunk: Buffer): void => {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        output.push(line);
        if (output.length > 2000) output.splice(0, 1000);
        onLine(line);
      }
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => {
      if (partial) output.push(partial);
      resolvePromise({ code, output });
    });
  });
}

/**
 * Returns the cached binary for `build`, building it first when absent. Progress goes to
 * `onProgress`: a line when the build starts, one every 15 s while it runs, one at the end.
 */
export async function ensureBinary(
  build: GoBuild,
  opts: { env?: NodeJS.ProcessEnv; onProgress?: ProgressFn } = {},
): Promise<string> {
  const env = opts.env ?? process.env;
  const progress = opts.onProgress ?? (() => {});
  const binary = binaryPath(build, env);
  if (existsSync(binary)) return binary;

  const root = packageRoot();
  const moduleDir = join(root, build.moduleDir);
  const outDir = join(binary, "..");
  mkdirSync(outDir, { recursive: true });
  // Build to a temporary name and rename: an interrupted build never leaves a half binary that a
  // later run would take for a cached one.
  const partialFile = `${binary}.partial-${process.pid}`;
  const started = Date.now();
  let packages = 0;
  let downloads = 0;
  progress(`building ${build.binary} ${build.version} with Go (first time on this machine; several minutes) ...`);
  const ticker = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    progress(`  ... ${build.binary}: ${secs}s, ${downloads} modules downloaded, ${packages} packages compiled`);
  }, 15_000);
  let result: RunResult;
  try {
    result = await runGo(buildArgs(build, partialFile), moduleDir, { ...env, ...BUILD_ENV }, (line) => {
      if (line.startsWith("go: downloading ")) downloads++;
      else if (line.trim() !== "" && !line.startsWith("#") && !line.includes(" ")) packages++;
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw goMissing(build, binary);
    throw err;
  } finally {
    clearInterval(ticker);
  }
  if (result.code !== 0 || !existsSync(partialFile)) {
    rmSync(partialFile, { force: true });
    const tail = result.output.filter((l) => l.trim() !== "" && (l.includes(" ") || l.startsWith("#"))).slice(-20);
    throw new StackError(
      "build-failed",
      `building ${build.binary} ${build.version} failed (go build exited with ${result.code}) in ${moduleDir}:\n` +
        tail.map((l) => `  ${l}`).join("\n"),
    );
  }
  renameSync(partialFile, binary);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  progress(`built ${build.binary} ${build.version} in ${secs}s${packages > 0 ? ` (${packages} packages compiled)` : ""} -> ${binary}`);
  return binary;
}
