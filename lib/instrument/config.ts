// Everything instrument() reads from options and the environment, resolved once, here.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Batch settings for spans and log records. */
export interface BatchOptions {
  /**
   * Items held while the exporter is busy. The SDK's default (2,048) drops a synchronous burst
   * silently; ours holds 65,536 (about 150 MB of spans at worst) and drops are counted.
   */
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
}

export type OtlpProtocol = "http/protobuf" | "http/json";

export const DEFAULT_BATCH: Required<BatchOptions> = {
  maxQueueSize: 65_536,
  maxExportBatchSize: 2_048,
  scheduledDelayMillis: 500,
  exportTimeoutMillis: 30_000,
};

const BATCH_ENV: Record<keyof BatchOptions, string> = {
  maxQueueSize: "MAX_QUEUE_SIZE",
  maxExportBatchSize: "MAX_EXPORT_BATCH_SIZE",
  scheduledDelayMillis: "SCHEDULE_DELAY",
  exportTimeoutMillis: "EXPORT_TIMEOUT",
};

/**
 * Options win, then the standard variables (OTEL_BSP_* for spans, OTEL_BLRP_* for logs), then
 * our defaults. A variable that is not a positive integer is an error naming it.
 */
export function resolveBatch(prefix: "OTEL_BSP_" | "OTEL_BLRP_", options: BatchOptions | undefined, env: NodeJS.ProcessEnv): Required<BatchOptions> {
  const out = { ...DEFAULT_BATCH };
  for (const key of Object.keys(BATCH_ENV) as (keyof BatchOptions)[]) {
    const name = prefix + BATCH_ENV[key];
    const raw = env[name];
    if (raw !== undefined && raw.trim() !== "") {
      const n = Number(raw);
      if (!Number.isInteger(n) || n <= 0) throw new TypeError(`instrument: ${name}: expected a positive integer, got ${JSON.stringify(raw)}`);
      out[key] = n;
    }
    const given = options?.[key];
    if (given !== undefined) {
      if (!Number.isInteger(given) || given <= 0) throw new TypeError(`instrument: batch.${key}: expected a positive integer, got ${String(given)}`);
      out[key] = given;
    }
  }
  if (out.maxExportBatchSize > out.maxQueueSize) out.maxExportBatchSize = out.maxQueueSize;
  return out;
}

/** OTEL_EXPORTER_OTLP_{SIGNAL}_PROTOCOL, then OTEL_EXPORTER_OTLP_PROTOCOL, then http/protobuf (the spec's default). */
export function resolveProtocol(signal: "TRACES" | "LOGS", env: NodeJS.ProcessEnv): OtlpProtocol {
  const name = env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] !== undefined ? `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL` : "OTEL_EXPORTER_OTLP_PROTOCOL";
  const raw = (env[name] ?? "").trim();
  if (raw === "" || raw === "http/protobuf") return "http/protobuf";
  if (raw === "http/json") return "http/json";
  throw new TypeError(`instrument: ${name}: expected "http/protobuf" or "http/json", got ${JSON.stringify(raw)} (gRPC is not bundled)`);
}

/** The service name: the option, else OTEL_SERVICE_NAME, else the SDK's default. */
export function resolveServiceName(option: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (option !== undefined) {
    if (option.trim() === "") throw new TypeError("instrument: serviceName: expected a non-empty string, got \"\"");
    return option;
  }
  return env.OTEL_SERVICE_NAME || undefined;
}

/** The service version: the option, else the version in the working directory's package.json. */
export function resolveServiceVersion(option: string | undefined, cwd: string): string | undefined {
  if (option !== undefined) return option;
  try {
    const pkg = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
