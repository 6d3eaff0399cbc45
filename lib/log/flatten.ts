// Turns the fields of a log record into span-event attributes: nested objects become dotted keys
// ("user.id"), and everything is bounded so that one careless log call cannot blow up a span
// (Jaeger keeps every attribute of every span event in memory and on the wire).
import type { AttributeValue, Attributes } from "@opentelemetry/api";

export interface FlattenLimits {
  /**
   * Attributes written per record, and elements kept of an array (an array of strings, numbers
   * or booleans is one attribute). What does not fit is counted as dropped.
   */
  readonly maxFields: number;
  /** Characters kept of a string value (longer ones end in "…"). */
  readonly maxValueLength: number;
  /** Object nesting followed; a deeper object becomes "[Object]" (an array, "[Array]"). */
  readonly maxDepth: number;
  /**
   * Longest dotted key written, in UTF-8 bytes; a field whose key would be longer is dropped (and counted).
   * Default: no limit. Log stores have one (VictoriaLogs drops a whole record whose field name
   * is over 128 bytes).
   */
  readonly maxKeyLength?: number;
}

export const DEFAULT_FLATTEN_LIMITS: FlattenLimits = Object.freeze({ maxFields: 32, maxValueLength: 1024, maxDepth: 4 });

/** Budget shared by all the fields of one record. */
export interface FlattenBudget {
  left: number;
  dropped: number;
  /** Values cut short: long strings, and objects past the depth limit. */
  truncated?: number;
}

const CIRCULAR = "[Circular]";
const hasOwn = Object.prototype.hasOwnProperty;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Writes `value` into `out` under `key`, flattening objects below it. `depth` is the nesting of
 * `value` (a record's own field is at depth 1). `ancestors` holds the objects being walked, to
 * cut cycles; it is allocated only when a field is an object.
 * Values that attributes cannot hold and JSON would drop (undefined, functions, symbols) and
 * nulls are skipped.
 */
export function flattenInto(
  out: Attributes,
  key: string,
  value: unknown,
  depth: number,
  budget: FlattenBudget,
  limits: FlattenLimits,
  ancestors: object[] | undefined,
): void {
  switch (typeof value) {
    case "string":
      if (value.length > limits.maxValueLength) budget.truncated = (budget.truncated ?? 0) + 1;
      return put(out, key, truncate(value, limits.maxValueLength), budget, limits);
    case "number":
    case "boolean":
      return put(out, key, value, budget, limits);
    case "bigint":
      return put(out, key, value.toString(), budget, limits);
    case "object":
      if (value === null) return;
      return flattenObject(out, key, value, depth, budget, limits, ancestors ?? []);
    default:
      return;
  }
}

/** In UTF-8 bytes, as stores count; measured only when the key could be too long. */
function keyTooLong(key: string, max: number): boolean {
  return key.length > max || (key.length * 3 > max && Buffer.byteLength(key) > max);
}

function put(out: Attributes, key: string, value: AttributeValue, budget: FlattenBudget, limits?: FlattenLimits): void {
  if (budget.left <= 0 || (limits?.maxKeyLength !== undefined && keyTooLong(key, limits.maxKeyLength))) {
    budget.dropped++;
    return;
  }
  budget.left--;
  out[key] = value;
}

function flattenObject(
  out: Attributes,
  key: string,
  value: object,
  depth: number,
  budget: FlattenBudget,
  limits: FlattenLimits,
  ancestors: object[],
  viaToJSON = false,
): void {
  if (ancestors.includes(value)) return put(out, key, CIRCULAR, budget, limits);
  const leaf = leafValue(value, limits);
  if (leaf !== undefined) return put(out, key, leaf, budget, limits);

  if (!viaToJSON && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    // As JSON.stringify does: a value that knows how to serialize itself (Decimal, ObjectId...)
    // is logged as what it says; its result is not asked again.
    const json: unknown = (value as { toJSON: (k: string) => unknown }).toJSON(key);
    if (json === null || typeof json !== "object") return flattenInto(out, key, json, depth, budget, limits, ancestors);
    return flattenObject(out, key, json, depth, budget, limits, ancestors, true);
  }

  if (Array.isArray(value)) {
    const uniform = uniformArray(value, limits);
    if (uniform !== undefined) return put(out, key, uniform, budget, limits);
  }
  if (depth >= limits.maxDepth) {
    budget.truncated = (budget.truncated ?? 0) + 1;
    return put(out, key, Array.isArray(value) ? "[Array]" : "[Object]", budget, limits);
  }

  ancestors.push(value);
  if (Array.isArray(value) || value instanceof Set) {
    let i = 0;
    for (const item of value as Iterable<unknown>) {
      if (budget.left <= 0 || i >= limits.maxFields) {
        budget.dropped += (value instanceof Set ? value.size : (value as unknown[]).length) - i;
        break;
      }
      flattenInto(out, `${key}.${i}`, item, depth + 1, budget, limits, ancestors);
      i++;
    }
  } else if (value instanceof Map) {
    for (const [k, v] of value) {
      if (budget.left <= 0) {
        budget.dropped++;
        continue;
      }
      flattenInto(out, `${key}.${String(k)}`, v, depth + 1, budget, limits, ancestors);
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const k in record) {
      if (!hasOwn.call(record, k)) continue;
      if (budget.left <= 0) {
        // Past the budget, count what is left at this level without walking into it.
        budget.dropped++;
        continue;
      }
      flattenInto(out, `${key}.${k}`, record[k], depth + 1, budget, limits, ancestors);
    }
  }
  ancestors.pop();
}

/** Objects that are one value, not a bag of fields. */
function leafValue(value: object, limits: FlattenLimits): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value instanceof Error) return truncate(`${value.name}: ${value.message}`, limits.maxValueLength);
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[ArrayBuffer ${value.byteLength} bytes]`;
  return undefined;
}

/** An array of strings only, numbers only or booleans only is one attribute (OTel allows those). */
function uniformArray(value: readonly unknown[], limits: FlattenLimits): AttributeValue | undefined {
  if (value.length === 0) return undefined;
  const kind = typeof value[0];
  if (kind !== "string" && kind !== "number" && kind !== "boolean") return undefined;
  const n = Math.min(value.length, limits.maxFields);
  for (let i = 1; i < n; i++) if (typeof value[i] !== kind) return undefined;
  if (kind === "string") {
    const out: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = truncate(value[i] as string, limits.maxValueLength);
    return out;
  }
  return (n === value.length ? value.slice() : value.slice(0, n)) as number[] | boolean[];
}
