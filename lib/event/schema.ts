// The JSON Schema of a QuantmEvent. The JSON file beside this module is the one source: it ships
// in the package (dist/event/quantm-event.schema.json, exported as "quantm-events/schema.json")
// and is read here once, so TypeScript users get the very same object.
import { createRequire } from "node:module";
import type { JsonObject, JsonValue } from "./model.js";

function deepFreeze<T extends JsonValue>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const require = createRequire(import.meta.url);

/** JSON Schema (draft 2020-12) of a QuantmEvent: what validateEvent(x, { strict: true }) accepts. */
export const eventJsonSchema: Readonly<JsonObject> = deepFreeze(require("./quantm-event.schema.json") as JsonObject);
