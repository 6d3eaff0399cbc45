// Level filtering for the steps of the format chain. winston filters by level only in its
// transports, after the logger's format ran: a `logger.debug()` at level "info" still goes
// through every format. The span event and the OTLP record are format steps here, so they must
// filter themselves (by the logger's level, read per record: `logger.level` may change at run
// time), and records nobody will write are better dropped before the correlation and JSON work.
import winston from "winston";
import { LEVEL, type LogInfo } from "./symbols.js";

function rank(logger: winston.Logger, level: unknown): number | undefined {
  return typeof level === "string" ? logger.levels[level] : undefined;
}

/** True when the logger's level lets `info` through. */
export function atLoggerLevel(logger: winston.Logger, info: LogInfo): boolean {
  const r = rank(logger, info[LEVEL] ?? info.level);
  const top = rank(logger, logger.level);
  return r !== undefined && top !== undefined && r <= top;
}

/**
 * True when the logger's level, or the own level of one of its transports, lets `info` through.
 * Unknown levels pass, so that winston reports them as it always does.
 */
export function wantedByAnyone(logger: winston.Logger, info: LogInfo): boolean {
  const r = rank(logger, info[LEVEL] ?? info.level);
  if (r === undefined) return true;
  const top = rank(logger, logger.level);
  if (top === undefined || r <= top) return true;
  for (const transport of logger.transports) {
    const own = rank(logger, transport.level);
    if (own !== undefined && r <= own) return true;
  }
  return false;
}

/** A format that drops, up front, records neither the logger nor any transport will write. */
export function levelGateFormat(logger: () => winston.Logger): winston.Logform.Format {
  return winston.format((info) => (wantedByAnyone(logger(), info as LogInfo) ? info : false))();
}

/** One format step that runs each of `writers`, in order, for records at or above the logger's level. */
export function atLoggerLevelWriters(writers: readonly ((info: LogInfo) => void)[], logger: () => winston.Logger): winston.Logform.Format {
  return winston.format((info) => {
    if (atLoggerLevel(logger(), info as LogInfo)) for (const write of writers) write(info as LogInfo);
    return info;
  })();
}
