// The whole public API of quantm-events (DESIGN §8).

// Events: model, builder, validation, parsing, schema (lib/event knows nothing of OpenTelemetry).
export {
  NIL_UUID,
  SCHEMA_VERSION,
  createEvent,
  normalizeEvent,
  validateEvent,
  parseEvent,
  parseEventLines,
  QuantmEventError,
  formatIssue,
  isValidatedEvent,
  isCompatibleVersion,
  eventJsonSchema,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DEPTH,
} from "./event/index.js";
export type {
  QuantmEvent,
  EventContext,
  EventSubject,
  Hook,
  JsonValue,
  JsonObject,
  ValidationIssue,
  ValidationResult,
  ValidateOptions,
  CreateEventInput,
  CreateContextInput,
  CreateSubjectInput,
  ParentEvent,
  ParseOptions,
  EventLine,
} from "./event/index.js";

// One call: SDK + bridge + logger.
export { instrument } from "./instrument/index.js";
export type { InstrumentOptions, Instrumentation, InstrumentationStats, SignalStats } from "./instrument/index.js";
export type { BatchOptions } from "./instrument/config.js";

// Spans: for users with their own OpenTelemetry SDK set-up.
export {
  createEventBridge,
  eventIdGenerator,
  EventIdGenerator,
  spanIdFromEventId,
  traceIdFromEventId,
  getActiveEvent,
  TRACER_NAME,
  ATTR_QUANTM_LINK_RELATION,
  LINK_RELATION_PARENT,
  LINK_RELATION_AMBIENT,
} from "./trace/index.js";
export type { EventBridge, EventBridgeOptions, EventBridgeStats, RecordOptions, PayloadExport, ActiveEvent, WarningSink } from "./trace/index.js";

// Queries of the log store.
export { LogStoreClient, LogQueryError } from "./query/logs.js";
export type { LogRecord } from "./query/logs.js";

// Logs: for users who build their own winston logger.
export {
  createLogger,
  correlationFormat,
  spanEventFormat,
  prettyFormat,
  jsonFormat,
  correlatedJsonFormat,
  otlpFormat,
  OtlpTransport,
  DEFAULT_EXPORT_LIMITS,
  ATTR_LOG_TRUNCATED,
} from "./log/index.js";
export type { CreateLoggerOptions, SpanEventOptions, FlattenLimits, ExportLimits, PrettyFormatOptions, OtlpTransportOptions, LogLineSink, LineExtras, SerializedError } from "./log/index.js";

// Queries: Jaeger and the lineage walk.
export { JaegerClient, JaegerQueryError } from "./query/jaeger.js";
export { findLineage, formatLineage, EventNotFoundError } from "./query/lineage.js";
export type { Lineage, LineageNode, LineageOptions } from "./query/lineage.js";
