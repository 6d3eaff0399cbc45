// A human-friendly console line for development:
//   12:00:01.234 info  checking mergeability attempt=3 user="u1"  [pull_request.opened 0190a1b2 trace=4bf92f35]
// It writes only the serialized line (info[MESSAGE]); it changes no field, so the OTLP record and
// the span event of the same call are the same as with JSON output.
import winston from "winston";
import { CORRELATION_KEYS, TRACE_ID_KEY } from "./correlation.js";
import { LEVEL, MESSAGE, type LogInfo } from "./symbols.js";

export interface PrettyFormatOptions {
  /** ANSI colors for the level. Default: when stdout is a terminal and NO_COLOR is not set. */
  colors?: boolean;
}

const COLORS: Readonly<Record<string, string>> = {
  emerg: "\x1b[35m",
  alert: "\x1b[35m",
  crit: "\x1b[31m",
  error: "\x1b[31m",
  warning: "\x1b[33m",
  warn: "\x1b[33m",
  notice: "\x1b[36m",
  info: "\x1b[32m",
  http: "\x1b[36m",
  verbose: "\x1b[36m",
  debug: "\x1b[34m",
  silly: "\x1b[35m",
};
const RESET = "\x1b[0m";
const DIM = "\x1b[2m";

function value(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v instanceof Error) return JSON.stringify(`${v.name}: ${v.message}`);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return "[unserializable]";
  }
}

export function prettyLine(info: LogInfo, colors: boolean): string {
  const level = ((info[LEVEL] as string | undefined) ?? info.level).padEnd(5);
  const time = new Date().toISOString().slice(11, 23);
  let line = `${colors ? DIM : ""}${time}${colors ? RESET : ""} ${colors ? `${COLORS[level.trim()] ?? ""}${level}${RESET}` : level} ${String(info.message)}`;
  for (const key in info) {
    if (key === "level" || key === "message" || key === "stack" || CORRELATION_KEYS.has(key)) continue;
    line += ` ${key}=${value(info[key])}`;
  }
  const scope = info["quantm.context.scope"];
  const traceId = info[TRACE_ID_KEY];
  if (scope !== undefined || traceId !== undefined) {
    const parts: string[] = [];
    if (scope !== undefined) parts.push(`${String(scope)}.${String(info["quantm.context.action"])} ${String(info["quantm.event.id"]).slice(0, 8)}`);
    if (typeof traceId === "string") parts.push(`trace=${traceId.slice(0, 8)}`);
    line += `  ${colors ? DIM : ""}[${parts.join(" ")}]${colors ? RESET : ""}`;
  }
  const error = info.err instanceof Error ? info.err : info.error instanceof Error ? info.error : undefined;
  const stack = typeof info.stack === "string" ? info.stack : error?.stack;
  if (stack !== undefined) line += `\n${stack}`;
  return line;
}

/** A one-line, colored console format for development (JSON stays the default for production). */
export function prettyFormat(options: PrettyFormatOptions = {}): winston.Logform.Format {
  const colors = options.colors ?? (process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
  return winston.format((info) => {
    info[MESSAGE] = prettyLine(info as LogInfo, colors);
    return info;
  })();
}
