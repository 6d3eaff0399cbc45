// createEvent: builds a valid QuantmEvent from what the producer knows, filling ids, timestamps,
// defaults and lineage (DESIGN §4 R2).
import { NIL_UUID, SCHEMA_VERSION, type Hook, type JsonValue, type QuantmEvent } from "./model.js";
import { newEventId } from "./ids.js";
import { sealValidated } from "./validated.js";
import { QuantmEventError } from "./errors.js";
import { describeValue } from "./formats.js";
import { validateEvent } from "./validate.js";

export interface CreateContextInput {
  hook: Hook;
  scope: string;
  action: string;
  source: string;
  /** Used only without `parent`; defaults to the nil UUID. */
  parent_id?: string;
  /** Used only without `parent` (e.g. when only the parent's ids are at hand). */
  root_id?: string;
  /** Replaced by the event's timestamp (so spreading another event's context is safe). */
  timestamp?: string;
  [unknown: string]: JsonValue | undefined;
}

export interface CreateSubjectInput {
  id: string;
  name: string;
  team_id: string;
  /** Defaults to the nil UUID. */
  user_id?: string;
  org_id?: string;
  [unknown: string]: JsonValue | undefined;
}

/** The part of a parent event that lineage needs; any QuantmEvent fits. */
export interface ParentEvent {
  readonly id: string;
  readonly context?: { readonly root_id?: string | undefined } | undefined;
}

export interface CreateEventInput<P extends JsonValue = JsonValue> {
  context: CreateContextInput;
  subject: CreateSubjectInput;
  payload: P;
  /**
   * The preceding event: sets `context.parent_id = parent.id` and `context.root_id` = the chain's
   * first event id (`parent.context.root_id`, or `parent.id` when the parent is a root).
   * Overrides any `parent_id`/`root_id` in `context`.
   */
  parent?: ParentEvent;
  /** Default: a new UUID v7. */
  id?: string;
  /** RFC 3339 string or Date. Default: the time encoded in the new id (i.e. now). */
  timestamp?: string | Date;
  /** Default: SCHEMA_VERSION. */
  version?: string;
}

/** The millisecond timestamp in the first 48 bits of a UUID v7, as RFC 3339 (UTC, ms precision). */
function uuidV7Time(id: string): string {
  const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  return new Date(ms).toISOString();
}

function timestampText(value: string | Date | undefined, id: string, generatedId: boolean): unknown {
  if (value === undefined) return generatedId ? uuidV7Time(id) : new Date().toISOString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : value.toISOString();
  return value;
}

/** A copy without the keys whose value is undefined (they would vanish in JSON anyway). */
function definedCopy(source: object): Record<string, unknown> {
  // Spread, not assignment: a key named "__proto__" stays a plain property.
  const copy: Record<string, unknown> = { ...source };
  for (const key of Object.keys(copy)) if (copy[key] === undefined) delete copy[key];
  return copy;
}

/**
 * Builds a QuantmEvent: `id` (UUID v7), `timestamp` and `context.timestamp` (both the event time;
 * for a generated id, exactly the time encoded in the id), `version` (SCHEMA_VERSION, 0.2.0),
 * `parent_id`/`user_id` defaults and, with `parent`, the lineage of DESIGN §4 R2.
 * A root event (no parent, no `root_id` given) has no `root_id`: its own id is the chain's root.
 * The input is not mutated; `payload` is referenced, not copied. Throws QuantmEventError listing
 * every problem when the result would not be valid.
 */
export function createEvent<P extends JsonValue = JsonValue>(input: CreateEventInput<P>): QuantmEvent<P> {
  if (typeof input !== "object" || input === null) {
    throw new QuantmEventError(
      [{ path: "$", message: "Invalid createEvent input", detail: `expected an object with context, subject and payload, got ${describeValue(input)}` }],
      "Cannot create QuantmEvent",
    );
  }
  const generatedId = input.id === undefined;
  const id = generatedId ? newEventId() : input.id!;
  const timestamp = timestampText(input.timestamp, id, generatedId);

  const givenContext: Partial<CreateContextInput> = typeof input.context === "object" && input.context !== null ? input.context : {};
  const context = definedCopy(givenContext);
  context.timestamp = timestamp;
  const parent = input.parent;
  if (parent !== undefined && parent !== null) {
    context.parent_id = parent.id;
    const parentRoot = parent.context?.root_id;
    context.root_id = typeof parentRoot === "string" && parentRoot !== NIL_UUID ? parentRoot : parent.id;
  } else {
    if (context.parent_id === undefined || context.parent_id === null) context.parent_id = NIL_UUID;
  }

  const givenSubject: Partial<CreateSubjectInput> = typeof input.subject === "object" && input.subject !== null ? input.subject : {};
  const subject = definedCopy(givenSubject);
  if (subject.user_id === undefined || subject.user_id === null) subject.user_id = NIL_UUID;

  const event = {
    version: input.version ?? SCHEMA_VERSION,
    id,
    timestamp,
    context,
    subject,
    payload: input.payload,
  };
  const result = validateEvent(event, { strict: true });
  if (!result.valid) throw new QuantmEventError(result.errors, "Cannot create QuantmEvent");
  return sealValidated(event as unknown as QuantmEvent<P>);
}
