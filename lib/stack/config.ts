// The local stack's fixed facts: which programs, built from which pinned Go modules, listening on
// which loopback ports, with which config files; and where binaries and runtime state live.
// docker-compose.yml publishes the same ports (spec/stack/compose.spec.ts checks it against this).
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The stack listens on loopback only: it is a developer tool, not a server. */
export const STACK_HOST = "127.0.0.1";

export const PORTS = {
  collectorOtlpGrpc: 4317,
  collectorOtlpHttp: 4318,
  collectorHealth: 13133,
  jaegerQueryHttp: 16686,
  jaegerQueryGrpc: 16685,
  jaegerOtlpGrpc: 14317,
  jaegerOtlpHttp: 14318,
  jaegerHealth: 13134,
  victoriaLogsHttp: 9428,
} as const;

export type PortName = keyof typeof PORTS;

export type ProgramName = "victoria-logs" | "jaeger" | "otel-collector";

/** A Go program built from a wrapper module under collector/build/ (which pins its version). */
export interface GoBuild {
  /** The binary's file name in the cache. */
  binary: string;
  /** Folder of the wrapper module, relative to the package root. */
  moduleDir: string;
  /** The Go package to build (declared with `tool` in the wrapper module). */
  goPackage: string;
  /** Human version, for progress lines and `stack status`. */
  version: string;
  /** Extra -ldflags besides `-s -w` (stamps the version into the binary). */
  ldflags: string[];
}

export interface ProgramSpec {
  name: ProgramName;
  build: GoBuild;
  /** Command-line arguments; paths are absolute, computed from the package root and state dir. */
  args(paths: StackPaths): string[];
  /** Ports this program binds; all must be free before it starts. */
  ports: PortName[];
  /** GET this URL: 200 means ready. */
  healthUrl: string;
}

const JAEGER_BUILD: GoBuild = {
  binary: "jaeger",
  moduleDir: "collector/build/jaeger",
  goPackage: "github.com/jaegertracing/jaeger/cmd/jaeger",
  version: "v2.12.0 (module v1.75.0)",
  ldflags: ["-X github.com/jaegertracing/jaeger/internal/version.latestVersion=v2.12.0"],
};

const VICTORIA_LOGS_BUILD: GoBuild = {
  binary: "victoria-logs",
  moduleDir: "collector/build/victorialogs",
  goPackage: "github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs",
  version: "v1.52.2",
  ldflags: ["-X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=victoria-logs-v1.52.2"],
};

const url = (port: number, path = ""): string => `http://${STACK_HOST}:${port}${path}`;

/**
 * Start order matters only for tidiness (the collector retries its exporters): the stores first,
 * then the collector that feeds them.
 */
export const PROGRAMS: readonly ProgramSpec[] = [
  {
    name: "victoria-logs",
    build: VICTORIA_LOGS_BUILD,
    args: (p) => [
      `-httpListenAddr=${STACK_HOST}:${PORTS.victoriaLogsHttp}`,
      `-storageDataPath=${p.victoriaLogsData}`,
      // A local store for development: a week of logs, and never more than 1 GiB on disk.
      "-retentionPeriod=7d",
      "-retention.maxDiskSpaceUsageBytes=1GiB",
    ],
    ports: ["victoriaLogsHttp"],
    healthUrl: url(PORTS.victoriaLogsHttp, "/health"),
  },
  {
    name: "jaeger",
    build: JAEGER_BUILD,
    args: (p) => ["--config", p.jaegerConfig],
    ports: ["jaegerQueryHttp", "jaegerQueryGrpc", "jaegerOtlpGrpc", "jaegerOtlpHttp", "jaegerHealth"],
    healthUrl: url(PORTS.jaegerHealth, "/"),
  },
  {
    // The collector role is played by the same Jaeger binary: it is an OpenTelemetry Collector
    // distribution with every component the collector config needs (see docs/stack.md).
    name: "otel-collector",
    build: JAEGER_BUILD,
    args: (p) => ["--config", p.collectorConfig, "--config", p.collectorHealthConfig],
    ports: ["collectorOtlpGrpc", "collectorOtlpHttp", "collectorHealth"],
    healthUrl: url(PORTS.collectorHealth, "/"),
  },
];

export interface StackEndpoints {
  collector: { otlpGrpc: string; otlpHttp: string; health: string };
  jaeger: { ui: string; api: string; queryGrpc: string; otlpGrpc: string; otlpHttp: string; health: string };
  logs: { url: string; ui: string; query: string; otlpLogs: string; health: string };
}

export const ENDPOINTS: StackEndpoints = {
  collector: {
    otlpGrpc: url(PORTS.collectorOtlpGrpc),
    otlpHttp: url(PORTS.collectorOtlpHttp),
    health: url(PORTS.collectorHealth, "/"),
  },
  jaeger: {
    ui: url(PORTS.jaegerQueryHttp),
    api: url(PORTS.jaegerQueryHttp, "/api"),
    queryGrpc: url(PORTS.jaegerQueryGrpc),
    otlpGrpc: url(PORTS.jaegerOtlpGrpc),
    otlpHttp: url(PORTS.jaegerOtlpHttp),
    health: url(PORTS.jaegerHealth, "/"),
  },
  logs: {
    url: url(PORTS.victoriaLogsHttp),
    ui: url(PORTS.victoriaLogsHttp, "/select/vmui/"),
    query: url(PORTS.victoriaLogsHttp, "/select/logsql/query"),
    otlpLogs: url(PORTS.victoriaLogsHttp, "/insert/opentelemetry/v1/logs"),
    health: url(PORTS.victoriaLogsHttp, "/health"),
  },
};

export interface StackPaths {
  /** The package root (holds collector/). */
  root: string;
  collectorConfig: string;
  collectorHealthConfig: string;
  jaegerConfig: string;
  jaegerUiConfig: string;
  /** Built binaries, keyed by the wrapper module's hash: reused across clones and CI runs. */
  binDir: string;
  /** Runtime state: the state file, log files, VictoriaLogs' data. */
  stateDir: string;
  stateFile: string;
  /** Held while `up` or `down` runs (see lock.ts). */
  lockFile: string;
  logDir: string;
  victoriaLogsData: string;
}

let cachedRoot: string | undefined;

/** The package root: the nearest folder above this module whose package.json is quantm-events. */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown };
      if (parsed.name === "quantm-events") return (cachedRoot = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the quantm-events package root (package.json)");
    dir = parent;
  }
}

/**
 * Cache folder: $QUANTM_STACK_CACHE, else $XDG_CACHE_HOME/quantm-events, else
 * ~/.cache/quantm-events. Outside the checkout on purpose: CI clones afresh for every run, and a
 * binary cache in the clone would be rebuilt each time.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QUANTM_STACK_CACHE) return resolve(env.QUANTM_STACK_CACHE);
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return resolve(base, "quantm-events");
}

/** Runtime state folder: $QUANTM_STACK_STATE, else <cache>/run. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.QUANTM_STACK_STATE ? resolve(env.QUANTM_STACK_STATE) : join(cacheDir(env), "run");
}

export function stackPaths(env: NodeJS.ProcessEnv = process.env): StackPaths {
  const root = packageRoot();
  const state = stateDir(env);
  return {
    root,
    collectorConfig: join(root, "collector", "otel-collector.yaml"),
    collectorHealthConfig: join(root, "collector", "otel-collector.health-v2.yaml"),
    jaegerConfig: join(root, "collector", "jaeger.yaml"),
    jaegerUiConfig: join(root, "collector", "jaeger-ui.json"),
    binDir: join(cacheDir(env), "bin"),
    stateDir: state,
    stateFile: join(state, "stack.json"),
    lockFile: join(state, "lock"),
    logDir: join(state, "logs"),
    victoriaLogsData: join(state, "victoria-logs-data"),
  };
}

/** Environment for the stack's programs: the config files read these (see collector/*.yaml). */
export function programEnv(paths: StackPaths, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    // The Go programs read OTEL_* too (their own telemetry); an application's exporter settings
    // in the caller's shell must not point the stack at itself.
    if (!key.startsWith("OTEL_")) env[key] = value;
  }
  env.QUANTM_LISTEN_HOST = STACK_HOST;
  env.QUANTM_JAEGER_OTLP_ENDPOINT = `${STACK_HOST}:${PORTS.jaegerOtlpGrpc}`;
  env.QUANTM_LOGS_OTLP_ENDPOINT = ENDPOINTS.logs.otlpLogs;
  env.QUANTM_JAEGER_UI_CONFIG = paths.jaegerUiConfig;
  return env;
}
