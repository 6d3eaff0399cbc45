// A small client for Jaeger's query APIs (v1 JSON for search, api_v3 for the exact OTLP picture).
// Errors say which URL failed and what to do, never a raw fetch stack.

export const DEFAULT_JAEGER_URL = "http://127.0.0.1:16686";

export interface JaegerTag {
  key: string;
  type: string;
  value: string | number | boolean;
}

export interface JaegerLog {
  timestamp: number;
  fields: JaegerTag[];
}

export interface JaegerReference {
  refType: "CHILD_OF" | "FOLLOWS_FROM";
  traceID: string;
  spanID: string;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: JaegerReference[];
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: JaegerTag[];
  logs: JaegerLog[];
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: JaegerTag[] }>;
}

export class JaegerQueryError extends Error {
  override name = "JaegerQueryError";
}

export interface TraceSearch {
  service: string;
  tags?: Record<string, string>;
  limit?: number;
  /** Microseconds since the epoch; Jaeger defaults to the last hour otherwise. */
  start?: number;
  end?: number;
}

export class JaegerClient {
  readonly baseUrl: string;

  constructor(baseUrl: string = DEFAULT_JAEGER_URL) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  /** The trace, or undefined when Jaeger does not hold it (404). */
  async getTrace(traceId: string): Promise<JaegerTrace | undefined> {
    const body = await this.get<{ data?: JaegerTrace[] }>(`/api/traces/${encodeURIComponent(traceId)}`, true);
    return body?.data?.[0];
  }

  /** The trace as OTLP JSON (api_v3): parentSpanId, links with attributes, events. */
  async getTraceOtlp(traceId: string): Promise<OtlpTracesData | undefined> {
    const body = await this.get<{ result?: OtlpTracesData }>(`/api/v3/traces/${encodeURIComponent(traceId)}`, true);
    return body?.result;
  }

  async services(): Promise<string[]> {
    const body = await this.get<{ data?: string[] | null }>("/api/services", false);
    return body?.data ?? [];
  }

  async findTraces(search: TraceSearch): Promise<JaegerTrace[]> {
    const params = new URLSearchParams({ service: search.service, limit: String(search.limit ?? 100) });
    if (search.tags) params.set("tags", JSON.stringify(search.tags));
    // A wide default window: lineage questions are about events, not about the last hour.
    const now = Date.now() * 1000;
    params.set("start", String(search.start ?? now - 7 * 24 * 3600 * 1e6));
    params.set("end", String(search.end ?? now + 60 * 1e6));
    const body = await this.get<{ data?: JaegerTrace[] | null }>(`/api/traces?${params}`, false);
    return body?.data ?? [];
  }

  /** Traces of any service whose spans carry all `tags`. */
  async findTracesByTags(tags: Record<string, string>, limit = 100): Promise<JaegerTrace[]> {
    const found = new Map<string, JaegerTrace>();
    for (const service of await this.services()) {
      for (const t of await this.findTraces({ service, tags, limit })) {
        const seen = found.get(t.traceID);
        // Per-service searches return the whole trace each time; keep the fullest copy.
        if (!seen || seen.spans.length < t.spans.length) found.set(t.traceID, t);
      }
    }
    return [...found.values()];
  }

  private async get<T>(path: string, notFoundIsEmpty: boolean): Promise<T | undefined> {
    const url = this.baseUrl + path;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new JaegerQueryError(
        `cannot reach Jaeger at ${this.baseUrl} (${cause}); start the local stack with 'quantm-events stack up' or set JAEGER_URL`,
      );
    }
    if (res.status === 404 && notFoundIsEmpty) return undefined;
    if (!res.ok) {
      const text = (await res.text()).slice(0, 300);
      throw new JaegerQueryError(`Jaeger answered ${res.status} for ${url}: ${text}`);
    }
    return (await res.json()) as T;
  }
}

// --- OTLP JSON as returned by api_v3 (only the parts we read) ---

export interface OtlpKeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number | string;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: OtlpKeyValue[];
  links?: { traceId: string; spanId: string; attributes?: OtlpKeyValue[] }[];
  events?: { name: string; timeUnixNano?: string; attributes?: OtlpKeyValue[] }[];
}

export interface OtlpTracesData {
  resourceSpans: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans: { scope?: { name?: string }; spans: OtlpSpan[] }[];
  }[];
}

/** Every span of an api_v3 answer, flattened. */
export function otlpSpans(data: OtlpTracesData | undefined): OtlpSpan[] {
  if (!data) return [];
  return data.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

export function otlpAttribute(attrs: OtlpKeyValue[] | undefined, key: string): string | number | boolean | undefined {
  const kv = attrs?.find((a) => a.key === key);
  if (!kv) return undefined;
  const v = kv.value;
  return v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.boolValue ?? v.doubleValue;
}

export function tagValue(tags: JaegerTag[], key: string): string | number | boolean | undefined {
  return tags.find((t) => t.key === key)?.value;
}
