// The default OTLP/HTTP exporters, shared by instrument() and its log export thread. They read
// OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout, compression) themselves.
import { OTLPLogExporter as OTLPLogExporterJson } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as OTLPLogExporterProto } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPTraceExporter as OTLPTraceExporterJson } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OTLPTraceExporterProto } from "@opentelemetry/exporter-trace-otlp-proto";
import type { LogRecordExporter } from "@opentelemetry/sdk-logs";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { OtlpProtocol } from "./config.js";

export function defaultTraceExporter(protocol: OtlpProtocol, url: string | undefined): SpanExporter {
  const config = url !== undefined ? { url } : {};
  return protocol === "http/json" ? new OTLPTraceExporterJson(config) : new OTLPTraceExporterProto(config);
}

export function defaultLogExporter(protocol: OtlpProtocol, url: string | undefined): LogRecordExporter {
  const config = url !== undefined ? { url } : {};
  return protocol === "http/json" ? new OTLPLogExporterJson(config) : new OTLPLogExporterProto(config);
}

/** The signal's URL under an OTLP/HTTP base URL, or undefined to let the exporter decide. */
export function signalUrl(endpoint: string | undefined, signal: "traces" | "logs"): string | undefined {
  return endpoint === undefined ? undefined : `${endpoint.replace(/\/+$/, "")}/v1/${signal}`;
}
