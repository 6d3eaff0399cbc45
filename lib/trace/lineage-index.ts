// DESIGN §4 R5 and de-duplication: which events this process recorded, and the span context each
// got. Bounded, so memory stays flat however many events a long-lived process records.
//
// An LRU in two generations (the "hashlru" scheme): entries go into `current`; when it holds
// `capacity` entries it becomes `previous` and the old `previous` is dropped whole. A hit in
// `previous` is copied into `current`. Every operation is O(1) without iterating; the textbook
// Map delete+set LRU had to find its oldest key through Map iteration, which skips the holes that
// deletions leave at the front of V8's table and cost 36% of record() in a profile.
import type { SpanContext } from "@opentelemetry/api";

export const DEFAULT_LINEAGE_INDEX_SIZE = 10_000;

/**
 * Event id → span context. Remembers at least the `capacity` most recently recorded or looked-up
 * ids, and holds at most `2 × capacity` entries.
 */
export class LineageIndex {
  readonly capacity: number;
  private current = new Map<string, SpanContext>();
  private previous = new Map<string, SpanContext>();

  constructor(capacity = DEFAULT_LINEAGE_INDEX_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`lineageIndexSize: expected a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
  }

  /** Entries held (between `capacity` and `2 × capacity` once full; an id copied from the older generation counts twice). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** The span context recorded for `eventId`, marking it recently used. */
  get(eventId: string): SpanContext | undefined {
    const sc = this.current.get(eventId);
    if (sc !== undefined) return sc;
    const old = this.previous.get(eventId);
    if (old !== undefined) this.add(eventId, old);
    return old;
  }

  /** Whether `eventId` is held (without marking it used). */
  has(eventId: string): boolean {
    return this.current.has(eventId) || this.previous.has(eventId);
  }

  set(eventId: string, sc: SpanContext): void {
    if (this.current.has(eventId)) this.current.set(eventId, sc);
    else this.add(eventId, sc);
  }

  private add(eventId: string, sc: SpanContext): void {
    this.current.set(eventId, sc);
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
  }
}
