// Shared event fixtures for the lib/event specs.
import type { QuantmEvent } from "../../lib/event/index.js";

/** The primer's example exactly as printed (with its trailing comma: not even JSON). */
export const PRIMER_EXAMPLE_TEXT = `{
  "version": "0.1.0",
  "id": "0b2a799d-40d0-4e4c-9144-11f61f233a69",
  "timestamp": "2022-01-01T00:00:00Z",
  "context": {
    "parent_id": "00112233-4455-6677-8899-aabbccddeeff",
    "hook": 1,
    "scope": "pull_request",
    "action": "opened",
    "source": "https://github.com/quantmhq/quantm"
  },
  "subject": {
    "id": "954e472d-a22f-4696-b447-2c8144d37f47",
    "name": "repos",
    "org_id": "6d1a8193-e542-4e54-817a-a7918b56236c",
    "team_id": "0879053d-41a2-4151-a4b3-5e34252eb639",
    "user_id": "1b6362aa-b556-4e68-b440-949250d44055"
  },
  "payload": {
    "number": 1,
    "branch": "main",
    "title": "Add new feature",
  }
}`;

/** The primer's example with the trailing comma removed (DESIGN §2). */
export const PRIMER_EXAMPLE_JSON = PRIMER_EXAMPLE_TEXT.replace(`"Add new feature",`, `"Add new feature"`);

export const V7_ID = "0190f3c2-8a4b-7c3d-9e1f-2a3b4c5d6e7f";
export const V7_PARENT = "0190f3c2-8a4a-7000-8000-000000000001";
export const V4_TEAM = "0879053d-41a2-4151-a4b3-5e34252eb639";
export const NIL = "00000000-0000-0000-0000-000000000000";

/** A fully normalized, valid 0.2.0 event; a fresh copy each call. */
export function validEvent(): QuantmEvent {
  return {
    version: "0.2.0",
    id: V7_ID,
    timestamp: "2024-05-01T12:00:00.000Z",
    context: {
      hook: "github",
      scope: "pull_request",
      action: "opened",
      source: "https://github.com/acme/app",
      timestamp: "2024-05-01T12:00:00.000Z",
      parent_id: V7_PARENT,
      root_id: V7_PARENT,
    },
    subject: {
      id: "954e472d-a22f-4696-b447-2c8144d37f47",
      name: "repos",
      team_id: V4_TEAM,
      user_id: "1b6362aa-b556-4e68-b440-949250d44055",
      org_id: "6d1a8193-e542-4e54-817a-a7918b56236c",
    },
    payload: { number: 1, branch: "main", title: "Add new feature" },
  };
}

/** A minimal valid 0.1.0 event as a producer might send it: no defaults, no context.timestamp. */
export function minimalRawEvent(): Record<string, unknown> {
  return {
    version: "0.1.0",
    id: V7_ID,
    timestamp: "2024-05-01T12:00:00Z",
    context: { hook: 1, scope: "branch", action: "created", source: "https://gitlab.com/acme/app" },
    subject: { id: "42", name: "repos", team_id: V4_TEAM },
    payload: {},
  };
}

type Json = Record<string, unknown>;

/** A copy of `event` with the attribute at `path` (e.g. "context.scope") set, or deleted when `value` is DELETE. */
export const DELETE = Symbol("delete");
export function withAttribute(event: object, path: string, value: unknown): Json {
  const copy = JSON.parse(JSON.stringify(event)) as Json;
  const keys = path.split(".");
  let node: Json = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Json;
  const last = keys[keys.length - 1]!;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return copy;
}
