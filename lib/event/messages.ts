// Validation messages. "Missing ..." strings are the primer's "Validation Error" column verbatim
// (seed/quantm-events-primer.md); the primer has no message for a value that is present but
// wrong, nor for the optional attributes, so those are written in the same style ("Invalid ...").
// The two event-id style rows already say "Missing or invalid", so they serve both cases.

export const MESSAGES = {
  event: "Invalid event: not a JSON object",

  version: { missing: "Missing version field", invalid: "Invalid version field" },
  id: { missing: "Missing or invalid event ID", invalid: "Missing or invalid event ID" },
  context: { missing: "Missing context field", invalid: "Invalid context field" },
  subject: { missing: "Missing subject field", invalid: "Invalid subject field" },
  payload: { missing: "Missing payload field" },
  timestamp: { missing: "Missing timestamp field", invalid: "Invalid timestamp field" },

  subjectId: { missing: "Missing or invalid subject ID", invalid: "Missing or invalid subject ID" },
  subjectName: { missing: "Missing subject name", invalid: "Invalid subject name" },
  teamId: { missing: "Missing team ID", invalid: "Invalid team ID" },
  userId: { invalid: "Invalid user ID" },
  orgId: { invalid: "Invalid org ID" },

  parentId: { invalid: "Invalid parent ID" },
  rootId: { invalid: "Invalid root ID" },
  hook: { missing: "Missing hooks field", invalid: "Invalid hooks field" },
  scope: { missing: "Missing scope field", invalid: "Invalid scope field" },
  action: { missing: "Missing action field", invalid: "Invalid action field" },
  source: { missing: "Missing source field", invalid: "Invalid source field" },
  contextTimestamp: { missing: "Missing timestamp field", invalid: "Invalid timestamp field" },

  // parseEvent (untrusted text)
  notText: "Invalid input: not JSON text",
  tooLarge: "Event too large",
  invalidJson: "Invalid JSON",
  tooDeep: "Event nested too deeply",
  forbiddenKey: "Forbidden key",
} as const;

/** The message for an event whose MAJOR version is not the library's: names both versions. */
export function incompatibleVersionMessage(eventVersion: string, libraryVersion: string): string {
  const major = libraryVersion.slice(0, libraryVersion.indexOf("."));
  const shown = eventVersion.length > 40 ? `${eventVersion.slice(0, 37)}...` : eventVersion;
  return `Incompatible version ${shown}: this library reads QuantmEvents ${major}.x (it writes ${libraryVersion})`;
}
