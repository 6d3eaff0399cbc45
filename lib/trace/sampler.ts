// Which flags a span context synthesized from event ids carries (DESIGN §4, "sampling keyed on
// the trace id decides a whole chain the same way").
//
// A child event's parent context is built from ids alone, so its trace flags are ours to choose.
// Always SAMPLED would break a ParentBasedSampler({ root: TraceIdRatioBasedSampler }): the root
// event is decided by the ratio, but every later event would follow a "sampled" remote parent.
// Instead the synthesized parent carries the decision the provider's sampler makes for a span
// without a parent in the chain's trace — the decision the root event's span got. For the plain
// ratio sampler (which looks only at the trace id) it changes nothing; for a parent-based one it
// hands every event of the chain the root's decision.
import { ROOT_CONTEXT, SamplingDecision, SpanKind, TraceFlags, type Attributes, type Link, type Tracer } from "@opentelemetry/api";
import type { Sampler } from "@opentelemetry/sdk-trace-base";

const NO_LINKS: Link[] = [];

/** The trace flags the chain's root span got (or would get) in trace `traceId`. */
export function rootFlags(sampler: Sampler | undefined, traceId: string, name: string, attributes: Attributes): TraceFlags {
  if (sampler === undefined) return TraceFlags.SAMPLED;
  const result = sampler.shouldSample(ROOT_CONTEXT, traceId, name, SpanKind.PRODUCER, attributes, NO_LINKS);
  return result.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE;
}

/**
 * True for the samplers that sample every span without a parent (AlwaysOn, and the SDK default
 * ParentBased{root=AlwaysOn}), told apart by their toString() (part of the Sampler interface), so
 * the bridge can skip asking them once per event.
 */
export function samplesEveryRoot(sampler: Sampler): boolean {
  const description = String(sampler);
  return description === "AlwaysOnSampler" || description.startsWith("ParentBased{root=AlwaysOnSampler,");
}

function isSampler(x: unknown): x is Sampler {
  return typeof x === "object" && x !== null && typeof (x as { shouldSample?: unknown }).shouldSample === "function";
}

/**
 * The sampler of an OpenTelemetry SDK tracer, when it can be seen: sdk-trace 2.x keeps it in the
 * Tracer's `_sampler` field, and the API's ProxyTracer (the global provider) hands out its
 * delegate through `_getTracer()`. Both are internals, hence the duck typing and the explicit
 * `sampler` option of the bridge, which wins over this. Undefined when nothing fits (a no-op
 * tracer, another SDK): synthesized parents are then SAMPLED.
 */
export function discoverSampler(tracer: Tracer): Sampler | undefined {
  let target: unknown = tracer;
  const getDelegate = (tracer as { _getTracer?: unknown })._getTracer;
  if (typeof getDelegate === "function") {
    try {
      target = (getDelegate as () => unknown).call(tracer);
    } catch {
      return undefined;
    }
  }
  const sampler = typeof target === "object" && target !== null ? (target as { _sampler?: unknown })._sampler : undefined;
  return isSampler(sampler) ? sampler : undefined;
}
