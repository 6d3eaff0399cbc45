// A small client for the log store (VictoriaLogs, LogsQL over HTTP), for correlated log search:
// every record of a trace, of an event, or of any LogsQL query, in time order.

export const DEFAULT_LOGS_URL = "http://127.0.0.1:9428";

export interface LogRecord {
  time: string;
  level: string;
  service: string;
  /** `{scope}.{action}` of the event the record was written in, when it was in one. */
  event: string;
  eventId: string;
  traceId: string;
  spanId: string;
  message: string;
  /** Every stored field, as the store returns it. */
  fields: Record<string, string>;
}

export class LogQueryError extends Error {
  override name = "LogQueryError";
}

const HEX32 = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A LogsQL string literal (quotes and backslashes escaped). */
function quote(s: string): string {
  return JSON.stringify(s);
}

/** A trace id as Jaeger and OTLP write it; a root event's id (with dashes) is accepted too (R3). */
export function normalizeTraceId(id: string): string {
  const hex = id.toLowerCase().replace(/-/g, "");
  if (!HEX32.test(hex)) throw new LogQueryError(`expected a trace id (32 hex digits, or a root event id), got '${id}'`);
  return hex;
}

export function traceQuery(traceId: string): string {
  return `trace_id:${quote(normalizeTraceId(traceId))}`;
}

export function eventQuery(eventId: string): string {
  const id = eventId.toLowerCase();
  if (!UUID.test(id)) throw new LogQueryError(`expected an event id (a UUID), got '${eventId}'`);
  return `"quantm.event.id":${quote(id)}`;
}

export class LogStoreClient {
  readonly baseUrl: string;

  constructor(baseUrl: string = DEFAULT_LOGS_URL) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  /** Records matching a LogsQL filter, oldest first. */
  async search(filter: string, limit = 1000): Promise<LogRecord[]> {
    const rows = await this.query(`${filter} | sort by (_time) | limit ${Math.max(1, Math.floor(limit))}`);
    return rows.map(toRecord);
  }

  /** How many records each event has (events without records are absent). */
  async countByEvent(eventIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (eventIds.length === 0) return counts;
    const rows = await this.query(`"quantm.event.id":in(${eventIds.map(quote).join(",")}) | stats by ("quantm.event.id") count() n`);
    for (const row of rows) {
      const id = row["quantm.event.id"];
      if (id !== undefined) counts.set(id, Number(row.n ?? 0));
    }
    return counts;
  }

  /** Raw LogsQL: every row as the store returns it (all values are strings). */
  async query(logsql: string): Promise<Record<string, string>[]> {
    const url = `${this.baseUrl}/select/logsql/query`;
    let res: Response;
    try {
      res = await fetch(url, { method: "POST", body: new URLSearchParams({ query: logsql }), signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new LogQueryError(`cannot reach the log store at ${this.baseUrl} (${cause}); start the local stack with 'quantm-events stack up' or set LOGS_URL`);
    }
    const text = await res.text();
    if (!res.ok) throw new LogQueryError(`the log store answered ${res.status} to ${JSON.stringify(logsql)}: ${text.trim().slice(0, 300)}`);
    return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, string>);
  }
}

function toRecord(row: Record<string, string>): LogRecord {
  const scope = row["quantm.context.scope"];
  const action = row["quantm.context.action"];
  return {
    time: row._time ?? "",
    level: row.severity_text ?? "",
    service: row["service.name"] ?? "",
    event: scope !== undefined && action !== undefined ? `${scope}.${action}` : "",
    eventId: row["quantm.event.id"] ?? "",
    traceId: row.trace_id ?? "",
    spanId: row.span_id ?? "",
    message: row._msg ?? "",
    fields: row,
  };
}

/** One line per record: time, level, service, scope.action, message. */
export function formatLogRecords(records: readonly LogRecord[]): string {
  return records
    .map((r) => [r.time, r.level.padEnd(5), r.service, r.event || "-", r.message].join("  "))
    .join("\n");
}

/**
 * A `countLogs` option for findLineage: counts from the store, or undefined (keep the span-event
 * counts) when the store cannot be reached, after telling `onUnavailable` why.
 */
export function storeLogCounts(store: LogStoreClient, onUnavailable: (reason: string) => void) {
  return async (eventIds: string[]): Promise<Map<string, number> | undefined> => {
    try {
      return await store.countByEvent(eventIds);
    } catch (err) {
      if (!(err instanceof LogQueryError)) throw err;
      onUnavailable(err.message);
      return undefined;
    }
  };
}
