// normalizeEvent: the defaults of the primer's tables, applied without touching the input.
import { NIL_UUID } from "./model.js";

type Obj = Record<string, unknown>;

function isObject(x: unknown): x is Obj {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Fills what the primer lets a producer leave out:
 * - `context.timestamp` from the top-level `timestamp` (when that is a string),
 * - `context.parent_id` = nil UUID ("first in its chain"),
 * - `subject.user_id` = nil UUID.
 * An attribute counts as absent when it is missing or null. Never mutates `x`: returns `x` itself
 * when there is nothing to fill, else a copy (top level, and `context`/`subject` when filled; the
 * payload and every unknown attribute are shared untouched). Anything that is not an event-shaped
 * object is returned as it is, for validateEvent to report.
 */
export function normalizeEvent(x: unknown): unknown {
  if (!isObject(x)) return x;
  let context: Obj | undefined;
  const c = x.context;
  if (isObject(c)) {
    const fillTimestamp = (c.timestamp === undefined || c.timestamp === null) && typeof x.timestamp === "string";
    const fillParent = c.parent_id === undefined || c.parent_id === null;
    if (fillTimestamp || fillParent) {
      context = { ...c };
      if (fillTimestamp) context.timestamp = x.timestamp;
      if (fillParent) context.parent_id = NIL_UUID;
    }
  }
  let subject: Obj | undefined;
  const s = x.subject;
  if (isObject(s) && (s.user_id === undefined || s.user_id === null)) {
    subject = { ...s, user_id: NIL_UUID };
  }
  if (context === undefined && subject === undefined) return x;
  const out: Obj = { ...x };
  if (context !== undefined) out.context = context;
  if (subject !== undefined) out.subject = subject;
  return out;
}
