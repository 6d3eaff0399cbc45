// Events that this library built (createEvent) or parsed (parseEvent) are valid when they leave
// it. They are frozen there, so they stay valid, and remembered, so the event bridge records them
// without validating them a second time: the work is done once, where the event is made, not again
// on record()'s hot path. Any other object (a literal, a mutated copy) is validated as usual.
import type { QuantmEvent } from "./model.js";

const validated = new WeakSet<object>();

/** Freezes the event, its context and its subject (what validity rests on) and remembers it. */
export function sealValidated<T extends QuantmEvent>(event: T): T {
  Object.freeze(event.context);
  Object.freeze(event.subject);
  Object.freeze(event);
  validated.add(event);
  return event;
}

/** True for an event that createEvent or parseEvent returned: valid, and frozen since. */
export function isValidatedEvent(value: unknown): value is QuantmEvent {
  return typeof value === "object" && value !== null && validated.has(value);
}
