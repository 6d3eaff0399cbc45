// The QuantmEvents data model (primer tables + DESIGN §2). Knows nothing of OpenTelemetry.

/** The nil UUID: the default `parent_id` ("first in its chain") and `user_id`. */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * The schema version this library writes. 0.2.0 = 0.1.0 plus the optional `context.root_id`
 * (DESIGN §4 R2, a MINOR addition). Events of any 0.x version are accepted (same MAJOR).
 */
export const SCHEMA_VERSION = "0.2.0";

/** The integration hook: a name ("github") or an integer code (the primer's example uses 1). */
export type Hook = string | number;

/** JSON values, for payloads and unknown (forward-compatible) attributes. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface EventContext {
  hook: Hook;
  scope: string;
  action: string;
  source: string;
  /** RFC 3339. Normalization fills it from the event's top-level `timestamp`. */
  timestamp: string;
  /** The preceding event's id, or NIL_UUID for the first event of a chain. */
  parent_id: string;
  /** The chain's first event id (0.2 addition; absent from 0.1 events). */
  root_id?: string;
  /** Unknown attributes from newer MINOR versions are preserved. */
  [unknown: string]: JsonValue | undefined;
}

export interface EventSubject {
  /** Non-empty string; a UUID or e.g. a numeric repository id as text. */
  id: string;
  name: string;
  /** UUID v4 or v7. */
  team_id: string;
  /** Defaults to NIL_UUID. */
  user_id: string;
  org_id?: string;
  [unknown: string]: JsonValue | undefined;
}

/** A normalized, valid QuantmEvent. */
export interface QuantmEvent<P extends JsonValue = JsonValue> {
  version: string;
  /** UUID v7. */
  id: string;
  /** RFC 3339. */
  timestamp: string;
  context: EventContext;
  subject: EventSubject;
  payload: P;
  [unknown: string]: JsonValue | undefined | EventContext | EventSubject;
}

/**
 * One validation problem: a JSON path (`$.context.scope`), the primer's message for that attribute
 * ("Missing scope field"; "Invalid scope field" style where the primer has none), and, when a value
 * was present but wrong, what was expected and what arrived.
 */
export interface ValidationIssue {
  path: string;
  message: string;
  /** e.g. `expected a UUID v7, got a UUID v4 ("0b2a799d-...")`. Absent for plain "missing". */
  detail?: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationIssue[];
}
