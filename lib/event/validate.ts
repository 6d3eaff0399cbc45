// validateEvent: every problem of an event at once, each with its JSON path and the primer's
// message. Hand-written checks (no schema engine at run time): this sits on the record() hot path,
// so a valid event costs a handful of typeof tests and regex matches and allocates only the result.
import { NIL_UUID, SCHEMA_VERSION, type ValidationIssue, type ValidationResult } from "./model.js";
import { MESSAGES as M, incompatibleVersionMessage } from "./messages.js";
import { describeValue, isRfc3339, isSemver, isUuid, isUuidV4OrV7, isUuidV7 } from "./formats.js";
import { LIBRARY_MAJOR, majorOf } from "./version.js";

export interface ValidateOptions {
  /**
   * false (default): check what record() accepts, i.e. the event after normalizeEvent() (a missing
   * `context.timestamp` taken from `timestamp`, `parent_id`/`user_id` defaulting to the nil UUID).
   * true: check the input exactly as it is.
   */
  strict?: boolean;
}

type Obj = Record<string, unknown>;

function isObject(x: unknown): x is Obj {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Appends one issue, creating the list on the first problem (a valid event allocates none). */
function push(errors: ValidationIssue[] | undefined, path: string, message: string, detail?: string): ValidationIssue[] {
  const issue: ValidationIssue = detail === undefined ? { path, message } : { path, message, detail };
  if (errors === undefined) return [issue];
  errors.push(issue);
  return errors;
}

/** The issue for a value that failed its check: "missing" when absent or null, else "invalid". */
function bad(
  errors: ValidationIssue[] | undefined,
  value: unknown,
  path: string,
  messages: { missing?: string; invalid: string },
  expected: string,
): ValidationIssue[] {
  if ((value === undefined || value === null) && messages.missing !== undefined) return push(errors, path, messages.missing);
  return push(errors, path, messages.invalid, `expected ${expected}, got ${describeValue(value)}`);
}

function isNonEmptyString(x: unknown): boolean {
  return typeof x === "string" && x.length > 0;
}

const EXPECT_STRING = "a non-empty string";
const EXPECT_V7 = "a UUID v7";
const EXPECT_V4_V7 = "a UUID v4 or v7";
const EXPECT_UUID = `a UUID (the nil UUID ${NIL_UUID} when there is none)`;
const EXPECT_TIME = "an RFC 3339 date-time such as 2024-01-01T00:00:00Z";
const EXPECT_HOOK = "a non-empty string or an integer";
const EXPECT_VERSION = `a semantic version MAJOR.MINOR.PATCH such as ${SCHEMA_VERSION}`;

// The last value found valid for attributes that repeat from event to event (one team, one user,
// one parent for a burst of children). Strings are immutable, so a string equal to one found valid
// is valid: an equality test replaces a 36-character scan. Seeded with valid values so that the
// first comparison can never skip a check wrongly.
let validTeamId = "00000000-0000-4000-8000-000000000000";
let validUserId: string = NIL_UUID;
let validParentId: string = NIL_UUID;

/**
 * Validates a QuantmEvent. Returns `{ valid, errors }` with every problem found, in document order,
 * each as `{ path: "$.context.scope", message: "Missing scope field" }` (plus `detail` when a value
 * was present but wrong). Never throws for plain data, whatever it is (objects with throwing
 * getters are the caller's problem). Unknown attributes are ignored, so events of a newer MINOR
 * version validate.
 */
export function validateEvent(x: unknown, options?: ValidateOptions): ValidationResult {
  const strict = options !== undefined && options.strict === true;
  if (!isObject(x)) {
    return { valid: false, errors: [{ path: "$", message: M.event, detail: `expected a JSON object, got ${describeValue(x)}` }] };
  }
  let errors: ValidationIssue[] | undefined;

  const version = x.version;
  if (typeof version !== "string" || !isSemver(version)) {
    errors = bad(errors, version, "$.version", M.version, EXPECT_VERSION);
  } else if (majorOf(version) !== LIBRARY_MAJOR) {
    errors = push(errors, "$.version", incompatibleVersionMessage(version, SCHEMA_VERSION));
  }

  const id = x.id;
  if (typeof id !== "string" || !isUuidV7(id)) errors = bad(errors, id, "$.id", M.id, EXPECT_V7);
  const timestamp = x.timestamp;
  const timestampValid = typeof timestamp === "string" && isRfc3339(timestamp);
  if (!timestampValid) errors = bad(errors, timestamp, "$.timestamp", M.timestamp, EXPECT_TIME);

  const context = x.context;
  if (isObject(context)) {
    const parentId = context.parent_id;
    // normalizeEvent fills an absent (or null) parent_id with the nil UUID, which is valid.
    if (parentId !== validParentId && parentId !== undefined && (strict || parentId !== null)) {
      if (typeof parentId === "string" && isUuid(parentId)) validParentId = parentId;
      else errors = bad(errors, parentId, "$.context.parent_id", M.parentId, EXPECT_UUID);
    }
    // root_id is the id of the chain's first event, so a UUID v7 like every event id (never nil).
    const rootId = context.root_id;
    if (rootId !== undefined && !(typeof rootId === "string" && isUuidV7(rootId))) {
      errors = bad(errors, rootId, "$.context.root_id", M.rootId, EXPECT_V7);
    }

    const hook = context.hook;
    if (!(isNonEmptyString(hook) || Number.isInteger(hook))) errors = bad(errors, hook, "$.context.hook", M.hook, EXPECT_HOOK);
    const scope = context.scope;
    if (!isNonEmptyString(scope)) errors = bad(errors, scope, "$.context.scope", M.scope, EXPECT_STRING);
    const action = context.action;
    if (!isNonEmptyString(action)) errors = bad(errors, action, "$.context.action", M.action, EXPECT_STRING);
    const source = context.source;
    if (!isNonEmptyString(source)) errors = bad(errors, source, "$.context.source", M.source, EXPECT_STRING);

    let contextTimestamp = context.timestamp;
    // normalizeEvent copies the top-level timestamp (when it is a string) into a missing one.
    if (!strict && (contextTimestamp === undefined || contextTimestamp === null) && typeof timestamp === "string") {
      contextTimestamp = timestamp;
    }
    // Usually the very same text as the top-level timestamp, already checked.
    if (!(timestampValid && contextTimestamp === timestamp) && !(typeof contextTimestamp === "string" && isRfc3339(contextTimestamp))) {
      errors = bad(errors, contextTimestamp, "$.context.timestamp", M.contextTimestamp, EXPECT_TIME);
    }
  } else {
    errors = bad(errors, context, "$.context", M.context, "an object");
  }

  const subject = x.subject;
  if (isObject(subject)) {
    const subjectId = subject.id;
    if (!isNonEmptyString(subjectId)) errors = bad(errors, subjectId, "$.subject.id", M.subjectId, EXPECT_STRING);
    const name = subject.name;
    if (!isNonEmptyString(name)) errors = bad(errors, name, "$.subject.name", M.subjectName, EXPECT_STRING);
    const teamId = subject.team_id;
    if (teamId !== validTeamId) {
      if (typeof teamId === "string" && isUuidV4OrV7(teamId)) validTeamId = teamId;
      else errors = bad(errors, teamId, "$.subject.team_id", M.teamId, EXPECT_V4_V7);
    }
    const userId = subject.user_id;
    if (userId !== validUserId && userId !== undefined && (strict || userId !== null)) {
      if (typeof userId === "string" && isUuid(userId)) validUserId = userId;
      else errors = bad(errors, userId, "$.subject.user_id", M.userId, EXPECT_UUID);
    }
    const orgId = subject.org_id;
    if (orgId !== undefined && !isNonEmptyString(orgId)) errors = bad(errors, orgId, "$.subject.org_id", M.orgId, EXPECT_STRING);
  } else {
    errors = bad(errors, subject, "$.subject", M.subject, "an object");
  }

  // Any JSON value is a payload; null counts as missing, like every other required attribute.
  const payload = x.payload;
  if (payload === undefined || payload === null) errors = push(errors, "$.payload", M.payload.missing);

  return errors === undefined ? { valid: true, errors: [] } : { valid: false, errors };
}
