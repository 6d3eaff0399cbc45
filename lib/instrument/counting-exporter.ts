// Wraps an exporter (spans or log records) to count what was sent and what failed, so export
// failures are numbers the host can read and one warning per kind of error, never an exception
// in the caller. One wrapper serves both signals: their exporter interfaces have the same shape.
import { diag } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";

export interface Exporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

export interface ExportCounts {
  /** Items the exporter reported as delivered. */
  exported: number;
  /** Items in batches that failed (unreachable collector, rejected request, exporter bug). */
  failed: number;
  /** The last failure's message, if any. */
  lastError?: string;
}

export class CountingExporter<T> implements Exporter<T> {
  readonly counts: ExportCounts = { exported: 0, failed: 0 };
  private readonly warned = new Set<string>();

  constructor(
    private readonly inner: Exporter<T>,
    private readonly signal: "spans" | "logs",
    private readonly onFailure: (message: string) => void = (m) => diag.warn(m),
    /** After each batch is counted (the export thread publishes its counts from here). */
    private readonly onCounted?: (counts: ExportCounts) => void,
  ) {}

  export(items: T[], resultCallback: (result: ExportResult) => void): void {
    const n = items.length;
    const done = (result: ExportResult): void => {
      if (result.code === ExportResultCode.SUCCESS) this.counts.exported += n;
      else this.fail(n, result.error);
      this.onCounted?.(this.counts);
      resultCallback(result);
    };
    try {
      this.inner.export(items, done);
    } catch (err) {
      done({ code: ExportResultCode.FAILED, error: err as Error });
    }
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  private fail(n: number, error: Error | undefined): void {
    this.counts.failed += n;
    const message = error?.message ?? "unknown export error";
    this.counts.lastError = message;
    if (!this.warned.has(message)) {
      this.warned.add(message);
      this.onFailure(`quantm-events: exporting ${this.signal} failed (${message}); failures are counted in stats().export`);
    }
  }
}
