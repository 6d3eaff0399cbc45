// The IdGenerator that makes DESIGN §4 deterministic ids possible. OpenTelemetry has no per-span
// id API; its Tracer asks the provider's IdGenerator once per startSpan, synchronously
// (generateSpanId always, generateTraceId only for a span without a valid parent). The bridge
// sets the ids it wants just before startSpan and clears them right after, so every other span in
// the process gets random ids as usual.
import type { IdGenerator } from "@opentelemetry/sdk-trace-base";
import { RandomIdGenerator } from "@opentelemetry/sdk-trace-base";

export class EventIdGenerator implements IdGenerator {
  private nextTraceId: string | undefined;
  private nextSpanId: string | undefined;
  private readonly random = new RandomIdGenerator();

  /**
   * Sets the ids the next `startSpan` gets. For the bridge (and for benchmarks that reproduce it);
   * call `clear()` in a `finally` right after `startSpan`.
   */
  setNext(traceId: string | undefined, spanId: string): void {
    this.nextTraceId = traceId;
    this.nextSpanId = spanId;
  }

  clear(): void {
    this.nextTraceId = undefined;
    this.nextSpanId = undefined;
  }

  // Each pre-set id is handed out once: a span started synchronously from inside the first
  // startSpan (a span processor's onStart, say) must not receive the same id.
  generateTraceId(): string {
    const id = this.nextTraceId;
    if (id === undefined) return this.random.generateTraceId();
    this.nextTraceId = undefined;
    return id;
  }

  generateSpanId(): string {
    const id = this.nextSpanId;
    if (id === undefined) return this.random.generateSpanId();
    this.nextSpanId = undefined;
    return id;
  }
}

/**
 * The generator every bridge uses unless told otherwise. Give it to your tracer provider:
 * `new NodeTracerProvider({ idGenerator: eventIdGenerator, ... })` or
 * `new NodeSDK({ idGenerator: eventIdGenerator, ... })` (`instrument()` does this for you).
 * One shared instance is safe: ids are set and consumed within one synchronous startSpan call.
 */
export const eventIdGenerator = new EventIdGenerator();
