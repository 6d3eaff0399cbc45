// DESIGN §4 R5 and de-duplication: which events this process recorded, and the span context each
// got. A bounded LRU (Map iteration order is insertion order; a hit is moved to the end), so
// memory stays flat past the cap however many events a long-lived process records.
import type { SpanContext } from "@opentelemetry/api";

export const DEFAULT_LINEAGE_INDEX_SIZE = 10_000;

export class LineageIndex {
  private readonly entries = new Map<string, SpanContext>();
  readonly capacity: number;

  constructor(capacity = DEFAULT_LINEAGE_INDEX_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`lineageIndexSize: expected a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The span context recorded for `eventId`, marking it recently used. */
  get(eventId: string): SpanContext | undefined {
    const sc = this.entries.get(eventId);
    if (sc !== undefined) {
      this.entries.delete(eventId);
      this.entries.set(eventId, sc);
    }
    return sc;
  }

  has(eventId: string): boolean {
    return this.entries.has(eventId);
  }

  set(eventId: string, sc: SpanContext): void {
    this.entries.delete(eventId);
    this.entries.set(eventId, sc);
    if (this.entries.size > this.capacity) {
      // The first key is the least recently used.
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
