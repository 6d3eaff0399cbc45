// Contextual winston logging correlated with event spans and exported as OTLP logs (DESIGN §5).
export { createLogger, setDefaultExportSink, type CreateLoggerOptions } from "./logger.js";
export { createLineWriter, recordFromLine, LineRecordExporter, SpanContextCache, NO_SPAN, type LogLineSink, type LineExtras, type LineExportOptions, type SerializedError } from "./line-export.js";
export { correlationFormat, correlate, CORRELATION_KEYS, EVENT_FIELD_KEYS, TRACE_ID_KEY, SPAN_ID_KEY, TRACE_FLAGS_KEY } from "./correlation.js";
export { spanEventFormat, ATTR_DROPPED_FIELDS, type SpanEventOptions } from "./span-events.js";
export { jsonFormat, correlatedJsonFormat } from "./json.js";
export { prettyFormat, type PrettyFormatOptions } from "./pretty.js";
export { OtlpTransport, otlpFormat, LOG_SCOPE_NAME, type OtlpTransportOptions } from "./otlp-transport.js";
export { DEFAULT_FLATTEN_LIMITS, type FlattenLimits } from "./flatten.js";
export { DEFAULT_EXPORT_LIMITS, ATTR_LOG_TRUNCATED, boundForExport, type ExportLimits } from "./export-bounds.js";
export { captureContextAtCall } from "./capture.js";
