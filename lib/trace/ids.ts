// DESIGN §4 R1 and R3: OpenTelemetry ids computed from event ids alone, so that any process can
// name any event's span (and its chain's trace) without shared state.

const HEX32 = /^[0-9a-f]{32}$/;

/**
 * R1: the span id of an event's span — the last 16 hex digits of the event id, dashes removed,
 * lower case. `spanIdFromEventId("0190a0b2-…-8899-aabbccddeeff") === "8899aabbccddeeff"`.
 * Throws a RangeError when `eventId` is not a UUID (32 hex digits, with or without dashes).
 */
export function spanIdFromEventId(eventId: string): string {
  return hex32(eventId, "spanIdFromEventId").slice(16);
}

/**
 * R3: the trace id of the chain whose root event has id `rootId` — its 32 hex digits, dashes
 * removed, lower case. A root event's Jaeger trace URL is therefore its event id.
 * Throws a RangeError when `rootId` is not a UUID.
 */
export function traceIdFromEventId(rootId: string): string {
  return hex32(rootId, "traceIdFromEventId");
}

function hex32(id: string, fn: string): string {
  const hex = typeof id === "string" ? unsafeTraceId(id) : "";
  if (!HEX32.test(hex)) {
    throw new RangeError(`${fn}: expected a UUID (32 hex digits, dashes allowed), got ${JSON.stringify(id)}`);
  }
  return hex;
}

// The bridge's hot path works on ids that validation already accepted, so it skips the check.
// String slicing of the canonical 8-4-4-4-12 form (about 8M/s here) beats parse + hex (1.4M/s).

/** R1 for an id already known to be a UUID. */
export function unsafeSpanId(id: string): string {
  if (id.length === 36 && id.charCodeAt(23) === 45 /* - */) {
    return (id.slice(19, 23) + id.slice(24)).toLowerCase();
  }
  return id.replace(/-/g, "").slice(-16).toLowerCase();
}

/** R3 for an id already known to be a UUID. */
export function unsafeTraceId(id: string): string {
  if (id.length === 36 && id.charCodeAt(8) === 45 && id.charCodeAt(13) === 45 && id.charCodeAt(18) === 45 && id.charCodeAt(23) === 45) {
    return (id.slice(0, 8) + id.slice(9, 13) + id.slice(14, 18) + id.slice(19, 23) + id.slice(24)).toLowerCase();
  }
  return id.replace(/-/g, "").toLowerCase();
}
