// lib/event: the QuantmEvents model, builder, validation and parsing. Imports no other lib/ folder.
export * from "./model.js";
export { createEvent, type CreateEventInput, type CreateContextInput, type CreateSubjectInput, type ParentEvent } from "./create.js";
export { normalizeEvent } from "./normalize.js";
export { validateEvent, type ValidateOptions } from "./validate.js";
export {
  parseEvent,
  parseEventLines,
  readEvent,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DEPTH,
  FORBIDDEN_KEYS,
  type ParseOptions,
  type ReadResult,
  type EventLine,
} from "./parse.js";
export { QuantmEventError, formatIssue } from "./errors.js";
export { isValidatedEvent } from "./validated.js";
export { isCompatibleVersion, parseVersion, LIBRARY_MAJOR, type SemVer } from "./version.js";
export { eventJsonSchema } from "./schema.js";
