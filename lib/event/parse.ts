// parseEvent: QuantmEvents from untrusted JSON text. Bounded in size and depth, immune to
// prototype pollution, and the only failure is one QuantmEventError listing every problem.
import type { QuantmEvent, ValidationIssue } from "./model.js";
import { MESSAGES as M } from "./messages.js";
import { describeValue } from "./formats.js";
import { QuantmEventError } from "./errors.js";
import { normalizeEvent } from "./normalize.js";
import { validateEvent } from "./validate.js";
import { sealValidated } from "./validated.js";

/** 1 MiB of UTF-8. */
export const DEFAULT_MAX_BYTES = 1_048_576;
/** Levels of nested objects/arrays, the event object itself being level 1. */
export const DEFAULT_MAX_DEPTH = 64;
/** Forbidden-key reports per event, so that a hostile input cannot produce a huge error. */
const MAX_KEY_ISSUES = 10;

/**
 * Keys refused anywhere in an event: JSON.parse keeps them as plain properties, but code that
 * later merges the event into another object (Object.assign, lodash.merge, ...) would turn them
 * into a prototype change.
 */
export const FORBIDDEN_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

export interface ParseOptions {
  /** Largest accepted text, in UTF-8 bytes (default 1 MiB). */
  maxBytes?: number;
  /** Deepest accepted nesting of objects and arrays (default 64; the event itself is level 1). */
  maxDepth?: number;
  /** Validate the input as it is instead of after normalization (the result is normalized anyway). */
  strict?: boolean;
}

export type ReadResult = { ok: true; event: QuantmEvent } | { ok: false; issues: ValidationIssue[] };

const BOM = 0xfeff;

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** JSON path of a chain of keys: `$.a`, `$["a b"]`, `$.items[3]`. */
function jsonPath(keys: ReadonlyArray<string | number>): string {
  let path = "$";
  for (const key of keys) {
    if (typeof key === "number") path += `[${key}]`;
    else path += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  }
  return path;
}

/**
 * Walks the parsed value once: depth beyond `maxDepth` (reported once) and forbidden keys. The
 * recursion is bounded by maxDepth, so the walk itself cannot overflow the stack; the path is kept
 * as a stack of keys and turned into text only for a problem.
 */
function checkStructure(value: unknown, maxDepth: number, issues: ValidationIssue[]): void {
  let keyIssues = 0;
  let tooDeep = false;
  const keys: Array<string | number> = [];
  const walk = (node: unknown, depth: number): void => {
    if (typeof node !== "object" || node === null) return;
    if (depth > maxDepth) {
      if (!tooDeep) {
        tooDeep = true;
        issues.push({ path: jsonPath(keys), message: M.tooDeep, detail: `expected at most ${maxDepth} levels of objects and arrays` });
      }
      return;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        keys.push(i);
        walk(node[i], depth + 1);
        keys.pop();
      }
      return;
    }
    for (const key of Object.keys(node)) {
      keys.push(key);
      if (FORBIDDEN_KEYS.includes(key)) {
        if (keyIssues++ < MAX_KEY_ISSUES) {
          issues.push({ path: jsonPath(keys), message: M.forbiddenKey, detail: `${FORBIDDEN_KEYS.join(", ")} are refused as keys` });
        }
      } else {
        walk((node as Record<string, unknown>)[key], depth + 1);
      }
      keys.pop();
    }
  };
  walk(value, 1);
}

/**
 * Parses, checks and normalizes one event without throwing: the building block of parseEvent and
 * parseEventLines.
 */
export function readEvent(text: unknown, options: ParseOptions = {}): ReadResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (typeof text !== "string") {
    return { ok: false, issues: [{ path: "$", message: M.notText, detail: `expected a string, got ${describeValue(text)}` }] };
  }
  // A string's UTF-8 size is at least its length and at most three times it: count bytes only
  // when the answer is not already known.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && byteLength(text) > maxBytes)) {
    return { ok: false, issues: [{ path: "$", message: M.tooLarge, detail: `expected at most ${maxBytes} bytes, got ${byteLength(text)}` }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === BOM ? text.slice(1) : text);
  } catch (err) {
    return { ok: false, issues: [{ path: "$", message: M.invalidJson, detail: err instanceof Error ? err.message : String(err) }] };
  }
  const structural: ValidationIssue[] = [];
  checkStructure(value, maxDepth, structural);
  const result = validateEvent(value, { strict: options.strict === true });
  if (!result.valid || structural.length > 0) return { ok: false, issues: [...result.errors, ...structural] };
  return { ok: true, event: sealValidated(normalizeEvent(value) as QuantmEvent) };
}

/**
 * Parses one QuantmEvent from untrusted JSON text: at most `maxBytes` (1 MiB) and `maxDepth` (64)
 * levels, no `__proto__`/`constructor`/`prototype` keys, a JSON object that is a valid event after
 * normalization (or as it is, with `strict`). Returns the normalized event; unknown attributes are
 * kept. Throws one QuantmEventError listing every problem, and nothing else, whatever the text.
 */
export function parseEvent(text: string, options?: ParseOptions): QuantmEvent {
  const result = readEvent(text, options);
  if (result.ok) return result.event;
  throw new QuantmEventError(result.issues);
}

export type EventLine =
  | { line: number; ok: true; event: QuantmEvent }
  | { line: number; ok: false; error: QuantmEventError };

/** True when the first non-blank line is, on its own, a whole JSON object (or any JSON value). */
function looksLikeJsonLines(first: string, maxBytes: number): boolean {
  if (first.startsWith("{") && first.endsWith("}")) return true;
  if (first.length > maxBytes) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a text that holds either ONE JSON event (possibly pretty-printed over many lines) or JSON
 * Lines (one event per line; blank lines ignored). JSON Lines is recognised when the first
 * non-blank line is a complete JSON value on its own (or at least `{...}`, so that a broken first
 * line is still reported per line). Each event gets its own result, numbered by the line it starts
 * on (1-based); limits apply per event. An empty text gives an empty array.
 */
export function parseEventLines(text: string, options?: ParseOptions): EventLine[] {
  if (typeof text !== "string") {
    const error = new QuantmEventError([{ path: "$", message: M.notText, detail: `expected a string, got ${describeValue(text)}` }]);
    return [{ line: 1, ok: false, error }];
  }
  const body = text.charCodeAt(0) === BOM ? text.slice(1) : text;
  const lines = body.split("\n");
  const nonBlank: number[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i]!.trim() !== "") nonBlank.push(i);
  if (nonBlank.length === 0) return [];
  const one = (line: number, source: string): EventLine => {
    const result = readEvent(source, options);
    return result.ok ? { line, ok: true, event: result.event } : { line, ok: false, error: new QuantmEventError(result.issues) };
  };
  const first = nonBlank[0]!;
  if (nonBlank.length === 1 || !looksLikeJsonLines(lines[first]!.trim(), options?.maxBytes ?? DEFAULT_MAX_BYTES)) return [one(first + 1, body)];
  return nonBlank.map((i) => one(i + 1, lines[i]!));
}
