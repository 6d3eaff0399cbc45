// Bounds on what one log record may export. A log store refuses records past its limits, and
// refuses them silently (VictoriaLogs: a field name over 128 bytes, over 2,000 fields, or over
// 2 MiB drops the whole record, with only a throttled line in its own log). So the logger cuts a
// record down to size before export, by the rule below, and says on the record how much it cut:
// nothing is ever dropped without a count.
//
// The rule (OTLP export only; console lines and span events have their own):
// - the message (body) keeps its first `maxMessageLength` characters, then "…";
// - a field holding an object or array is flattened to dotted keys ("user.id"), `maxDepth` deep;
// - a string value keeps its first `maxValueLength` characters, then "…";
// - at most `maxFields` fields (under the Logs SDK's own default limit of 128 attributes, which
//   would drop the rest with no more than a count in the OTLP record), each key at most
//   `maxKeyLength` UTF-8 bytes;
// - `quantm.log.truncated` on the record counts the values cut, flattened past the depth, or
//   dropped. Worst case: 128 KiB of message + 120 × 4 KiB of fields, under the store's 2 MiB.
// Records within the limits (the usual: a message and a few scalar fields) are exported as they
// are, with no copy.
import type { Attributes } from "@opentelemetry/api";
import { flattenInto, truncate, type FlattenBudget, type FlattenLimits } from "./flatten.js";
import type { LogInfo } from "./symbols.js";

export interface ExportLimits extends FlattenLimits {
  readonly maxMessageLength: number;
  readonly maxKeyLength: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = Object.freeze({
  maxMessageLength: 128 * 1024,
  maxValueLength: 4 * 1024,
  maxFields: 120,
  maxDepth: 8,
  maxKeyLength: 128,
});

/** Set on an exported record that was cut down: how many values were cut or dropped. */
export const ATTR_LOG_TRUNCATED = "quantm.log.truncated";

const hasOwn = Object.prototype.hasOwnProperty;

/** `info` itself when it is within the limits, else a bounded copy (winston's symbols kept). */
export function boundForExport(info: LogInfo, limits: ExportLimits = DEFAULT_EXPORT_LIMITS): LogInfo {
  return withinLimits(info, limits) ? info : boundedCopy(info, limits);
}

function withinLimits(info: LogInfo, limits: ExportLimits): boolean {
  if (typeof info.message === "string" && info.message.length > limits.maxMessageLength) return false;
  let fields = 0;
  for (const key in info) {
    if (!hasOwn.call(info, key) || key === "message" || key === "level") continue;
    if (++fields > limits.maxFields || key.length > limits.maxKeyLength) return false;
    const value = info[key];
    if (typeof value === "string") {
      if (value.length > limits.maxValueLength) return false;
    } else if (typeof value === "object" && value !== null && !(value instanceof Error)) {
      return false; // nested: flattened, so that its dotted keys are checked too
    }
  }
  return true;
}

function boundedCopy(info: LogInfo, limits: ExportLimits): LogInfo {
  // The count goes first, so that no attribute limit further down can drop it.
  const out: LogInfo = { level: info.level, message: info.message, [ATTR_LOG_TRUNCATED]: 0 };
  let cut = 0;
  if (typeof info.message === "string" && info.message.length > limits.maxMessageLength) {
    out.message = truncate(info.message, limits.maxMessageLength);
    cut++;
  }
  const attributes: Attributes = {};
  const budget: FlattenBudget = { left: limits.maxFields, dropped: 0 };
  for (const key in info) {
    if (!hasOwn.call(info, key) || key === "message" || key === "level") continue;
    const value = info[key];
    if (value instanceof Error) {
      // Kept whole: the OTLP mapping turns it into exception.* (type, message, stacktrace).
      if (budget.left-- > 0) out[key] = value;
      else budget.dropped++;
      continue;
    }
    flattenInto(attributes, key, value, 1, budget, limits, undefined);
  }
  Object.assign(out, attributes);
  cut += budget.dropped + (budget.truncated ?? 0);
  if (cut > 0) out[ATTR_LOG_TRUNCATED] = cut;
  else delete out[ATTR_LOG_TRUNCATED];
  for (const sym of Object.getOwnPropertySymbols(info)) out[sym] = info[sym];
  return out;
}
