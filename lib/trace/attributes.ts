// DESIGN §3: an event's span attributes. One builder per bridge: the payload option is resolved
// once here, not per event.
import type { AttributeValue, Attributes } from "@opentelemetry/api";
import { NIL_UUID, type JsonValue, type QuantmEvent } from "../event/model.js";
import { QUANTM_PAYLOAD_PREFIX } from "./semconv.js";

/**
 * Which parts of the payload become span attributes (`quantm.payload.*`). The payload is not
 * exported by default: it may hold personal data.
 * - `{ allow: ["number", "head.ref"] }`: these keys (a dot walks into nested objects). Strings,
 *   numbers, booleans and arrays of one of those go as they are; other values as JSON text;
 *   missing and null values are left out.
 * - `{ redact: (payload, event) => ({ number: 1 }) }`: the function's result, each key prefixed.
 *   If it throws, the span goes without payload attributes (and the bridge counts the error).
 */
export type PayloadExport =
  | { readonly allow: readonly string[] }
  | { readonly redact: (payload: JsonValue, event: QuantmEvent) => Record<string, AttributeValue | undefined> | undefined };

/** Builds the attribute set of an event's span. */
export type AttributeBuilder = (event: QuantmEvent) => Attributes;

/** The event type of DESIGN §3 and the span name: `{scope}.{action}`. */
export function eventType(event: QuantmEvent): string {
  return event.context.scope + "." + event.context.action;
}

/**
 * `quantm.context.root_id` is the chain's root: the event's `root_id`, or its own id when it is a
 * root (nil parent), so a tag search on one root id finds every span of the chain, the root's
 * included. A 0.1 event that has a parent but no `root_id` carries none (its root is unknown).
 */
export function rootIdOf(event: QuantmEvent): string | undefined {
  const ctx = event.context;
  if (ctx.root_id !== undefined) return ctx.root_id;
  return ctx.parent_id === NIL_UUID ? event.id : undefined;
}

/**
 * The attributes of DESIGN §3 without the payload. `cloudevents.event_subject` is
 * `{subject.name}/{subject.id}` (e.g. `repos/954e…`): the id alone is ambiguous across tables.
 */
export function baseAttributes(event: QuantmEvent): Attributes {
  const ctx = event.context;
  const subject = event.subject;
  // One object literal with literal keys, always the same shape: V8 builds it from a boilerplate
  // (computed keys such as [ATTR_QUANTM_EVENT_ID] took twice as long here). The keys are the
  // constants of ./semconv.ts; spec/trace/attributes.spec.ts checks every one.
  const attrs: Attributes = {
    "quantm.event.id": event.id,
    "quantm.event.version": event.version,
    "quantm.context.hook": ctx.hook,
    "quantm.context.scope": ctx.scope,
    "quantm.context.action": ctx.action,
    "quantm.context.source": ctx.source,
    "quantm.context.parent_id": ctx.parent_id,
    "quantm.context.root_id": rootIdOf(event),
    "quantm.subject.id": subject.id,
    "quantm.subject.name": subject.name,
    "quantm.subject.team_id": subject.team_id,
    "quantm.subject.user_id": subject.user_id,
    // Undefined values are dropped by the SDK: "when present".
    "quantm.subject.org_id": subject.org_id,
    "cloudevents.event_id": event.id,
    "cloudevents.event_source": ctx.source,
    "cloudevents.event_type": ctx.scope + "." + ctx.action,
    "cloudevents.event_subject": subject.name + "/" + subject.id,
  };
  return attrs;
}

/**
 * A builder for one payload option. `onPayloadError` hears about a redaction function that threw
 * (the span then goes without payload attributes).
 */
export function createAttributeBuilder(payload: PayloadExport | undefined, onPayloadError: (error: unknown) => void = () => {}): AttributeBuilder {
  if (payload === undefined) return baseAttributes;
  if ("allow" in payload) {
    const picks = payload.allow.map((path) => ({ key: QUANTM_PAYLOAD_PREFIX + path, segments: path.split(".") }));
    return (event) => {
      const attrs = baseAttributes(event);
      for (const pick of picks) {
        const value = toAttributeValue(dig(event.payload, pick.segments));
        if (value !== undefined) attrs[pick.key] = value;
      }
      return attrs;
    };
  }
  const redact = payload.redact;
  if (typeof redact !== "function") {
    throw new TypeError(`payload: expected { allow: string[] } or { redact: function }, got ${JSON.stringify(payload)}`);
  }
  return (event) => {
    const attrs = baseAttributes(event);
    let chosen: Record<string, AttributeValue | undefined> | undefined;
    try {
      chosen = redact(event.payload, event);
    } catch (error) {
      onPayloadError(error);
      return attrs;
    }
    if (chosen !== undefined && chosen !== null) {
      for (const key of Object.keys(chosen)) {
        const value = chosen[key];
        if (value !== undefined && value !== null) attrs[QUANTM_PAYLOAD_PREFIX + key] = value;
      }
    }
    return attrs;
  };
}

function dig(value: JsonValue, segments: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const segment of segments) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

function toAttributeValue(value: JsonValue | undefined): AttributeValue | undefined {
  if (value === undefined || value === null) return undefined;
  const t = typeof value;
  if (t === "string" || t === "number" || t === "boolean") return value as string | number | boolean;
  if (Array.isArray(value) && value.length > 0) {
    const first = typeof value[0];
    if ((first === "string" || first === "number" || first === "boolean") && value.every((v) => typeof v === first)) {
      return value as string[] | number[] | boolean[];
    }
  }
  return JSON.stringify(value);
}
