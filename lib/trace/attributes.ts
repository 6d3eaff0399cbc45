// DESIGN §3: an event's span attributes. One builder per bridge: the payload option is resolved
// once here, not per event.
import type { AttributeValue, Attributes } from "@opentelemetry/api";
import { NIL_UUID, type JsonValue, type QuantmEvent } from "../event/model.js";
import {
  ATTR_CLOUDEVENTS_EVENT_ID,
  ATTR_CLOUDEVENTS_EVENT_SOURCE,
  ATTR_CLOUDEVENTS_EVENT_SUBJECT,
  ATTR_CLOUDEVENTS_EVENT_TYPE,
  ATTR_QUANTM_CONTEXT_ACTION,
  ATTR_QUANTM_CONTEXT_HOOK,
  ATTR_QUANTM_CONTEXT_PARENT_ID,
  ATTR_QUANTM_CONTEXT_ROOT_ID,
  ATTR_QUANTM_CONTEXT_SCOPE,
  ATTR_QUANTM_CONTEXT_SOURCE,
  ATTR_QUANTM_EVENT_ID,
  ATTR_QUANTM_EVENT_VERSION,
  ATTR_QUANTM_SUBJECT_ID,
  ATTR_QUANTM_SUBJECT_NAME,
  ATTR_QUANTM_SUBJECT_ORG_ID,
  ATTR_QUANTM_SUBJECT_TEAM_ID,
  ATTR_QUANTM_SUBJECT_USER_ID,
  QUANTM_PAYLOAD_PREFIX,
} from "./semconv.js";

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
  // One object literal, always the same shape: the hot path stays monomorphic.
  const attrs: Attributes = {
    [ATTR_QUANTM_EVENT_ID]: event.id,
    [ATTR_QUANTM_EVENT_VERSION]: event.version,
    [ATTR_QUANTM_CONTEXT_HOOK]: ctx.hook,
    [ATTR_QUANTM_CONTEXT_SCOPE]: ctx.scope,
    [ATTR_QUANTM_CONTEXT_ACTION]: ctx.action,
    [ATTR_QUANTM_CONTEXT_SOURCE]: ctx.source,
    [ATTR_QUANTM_CONTEXT_PARENT_ID]: ctx.parent_id,
    [ATTR_QUANTM_CONTEXT_ROOT_ID]: rootIdOf(event),
    [ATTR_QUANTM_SUBJECT_ID]: subject.id,
    [ATTR_QUANTM_SUBJECT_NAME]: subject.name,
    [ATTR_QUANTM_SUBJECT_TEAM_ID]: subject.team_id,
    [ATTR_QUANTM_SUBJECT_USER_ID]: subject.user_id,
    // Undefined values are dropped by the SDK: "when present".
    [ATTR_QUANTM_SUBJECT_ORG_ID]: subject.org_id,
    [ATTR_CLOUDEVENTS_EVENT_ID]: event.id,
    [ATTR_CLOUDEVENTS_EVENT_SOURCE]: ctx.source,
    [ATTR_CLOUDEVENTS_EVENT_TYPE]: ctx.scope + "." + ctx.action,
    [ATTR_CLOUDEVENTS_EVENT_SUBJECT]: subject.name + "/" + subject.id,
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
