// Output: JSON lines by default, the user's own formats and transports kept, a pretty format for
// development; errors, BigInts and cycles print instead of crashing.
import { Writable } from "node:stream";
import { expect } from "chai";
import winston from "winston";
import { correlationFormat, createLogger, jsonFormat, prettyFormat } from "../../lib/log/index.js";
import { captureDiag, EVENT_FIELDS, ensureContextManager, inEventSpan, lineCollector, makeLogSink, makeTracing, type Tracing } from "./support.js";

const MESSAGE = Symbol.for("message");

describe("log output", () => {
  let tracing: Tracing;
  before(() => {
    ensureContextManager();
    tracing = makeTracing();
  });

  function jsonLogger(options: Parameters<typeof createLogger>[0] = {}) {
    const out = lineCollector();
    return { out, log: createLogger({ otlp: false, transports: [out.transport], ...options }) };
  }

  describe("the default JSON lines", () => {
    it("writes each record as one JSON object, fields in the order winston built them", () => {
      const { out, log } = jsonLogger({ defaultMeta: { service: "pr-bot" } });
      log.info("hello", { a: 1, nested: { b: [1, 2] } });
      expect(out.lines).to.deep.equal(['{"service":"pr-bot","a":1,"nested":{"b":[1,2]},"level":"info","message":"hello"}']);
    });

    it("prints the message and stack of logger.error(err), which winston's json() drops", () => {
      const { out, log } = jsonLogger();
      const boom = new TypeError("boom");
      log.error(boom);
      const [line] = out.json();
      expect(line).to.include({ level: "error", message: "boom", name: "TypeError", stack: boom.stack });
      const plain = lineCollector();
      winston.createLogger({ format: winston.format.json(), transports: [plain.transport] }).error(new TypeError("boom"));
      expect(plain.json()[0]).to.not.have.property("message");
    });

    it("prints an Error in err or error with its name, message and stack", () => {
      const { out, log } = jsonLogger();
      const err = Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
      log.error("connect failed", { err, attempt: 2 });
      expect(out.json()[0]).to.deep.include({ attempt: 2, message: "connect failed" });
      expect(out.json()[0]!.err).to.include({ name: "Error", message: "refused", code: "ECONNREFUSED", stack: err.stack });
    });

    it("prints logger.error(\"failed\", err) as the joined message with the stack", () => {
      const { out, log } = jsonLogger();
      const err = new Error("refused");
      log.error("connect failed:", err);
      expect(out.json()[0]).to.include({ message: "connect failed: refused", stack: err.stack });
    });

    it("prints circular fields and BigInts instead of throwing", () => {
      const { out, log } = jsonLogger();
      const node: Record<string, unknown> = { id: 1 };
      node.self = node;
      log.info("odd values", { node, big: 2n ** 70n });
      expect(out.json()[0]).to.deep.include({ node: { id: 1, self: "[Circular]" }, big: "1180591620717411303424" });
    });

    it("still writes a line when a field cannot be serialized at all", () => {
      const { out, log } = jsonLogger();
      log.info("unserializable", {
        bad: {
          toJSON() {
            throw new Error("no JSON for you");
          },
        },
      });
      expect(out.json()[0]).to.deep.equal({ level: "info", message: "unserializable", "quantm.log.serialization_error": "Error: no JSON for you" });
    });

    it("writes inside an event span exactly what correlationFormat() + jsonFormat() would", () => {
      const { out, log } = jsonLogger();
      const reference = lineCollector();
      const referenceLog = winston.createLogger({ format: winston.format.combine(correlationFormat(), jsonFormat()), transports: [reference.transport] });
      inEventSpan(tracing, () => {
        for (const l of [log, referenceLog]) {
          l.info("with fields", { a: 1, s: "x" });
          l.info("no fields");
          l.error(new RangeError("bad"));
        }
      });
      expect(out.lines).to.have.length(3);
      expect(out.lines).to.deep.equal(reference.lines);
      expect(out.json()[1]).to.include(EVENT_FIELDS);
    });

    it("lets the span's ids win over a trace_id passed by the call, without writing the key twice", () => {
      const { out, log } = jsonLogger();
      const { span } = inEventSpan(tracing, () => log.info("relayed", { trace_id: "upstream" }));
      expect(out.lines[0]!.match(/"trace_id"/g)).to.have.length(1);
      expect(out.json()[0]).to.include({ trace_id: span.spanContext().traceId, ...EVENT_FIELDS });
    });

    it("jsonFormat() serializes like JSON.stringify for ordinary records", () => {
      const info = { level: "info", message: "m", n: 1, s: "x", [MESSAGE]: undefined as unknown };
      jsonFormat().transform(info, {});
      expect(info[MESSAGE]).to.equal(JSON.stringify({ level: "info", message: "m", n: 1, s: "x" }));
    });
  });

  describe("the user's formats and transports", () => {
    it("applies the user's format after the correlation, so it sees the ids and the event's fields", () => {
      const seen: Record<string, unknown>[] = [];
      const spy = winston.format((info) => {
        seen.push({ ...info });
        return info;
      });
      const out = lineCollector();
      const log = createLogger({ otlp: false, transports: [out.transport], format: winston.format.combine(spy(), winston.format.simple()) });
      inEventSpan(tracing, () => log.info("hello"));
      expect(seen[0]).to.include(EVENT_FIELDS).and.to.have.property("trace_id");
      expect(out.lines[0]).to.match(/^info: hello \{.*"quantm.event.id":"/);
    });

    it("writes to the user's transports, each with its own format, and exports OTLP beside them", () => {
      const records: unknown[] = [];
      class Memory extends winston.transports.Stream {
        constructor(options: { format: winston.Logform.Format }) {
          super({ ...options, stream: new Writable({ write: (_chunk, _encoding, callback) => callback() }) });
        }
        override log(info: unknown, next: () => void): void {
          records.push(info);
          next();
        }
      }
      const out = lineCollector();
      const sink = makeLogSink();
      const log = createLogger({ loggerProvider: sink.provider, transports: [out.transport, new Memory({ format: winston.format.simple() })] });
      log.info("to both");
      expect(out.lines).to.have.length(1);
      expect((records[0] as Record<symbol, unknown>)[MESSAGE]).to.equal("info: to both");
      expect(log.transports.map((t) => t.constructor.name)).to.deep.equal(["Stream", "Memory"]);
      expect(sink.exporter.getFinishedLogRecords().map((r) => r.body)).to.deep.equal(["to both"]);
    });

    it("defaults to one Console transport", () => {
      const log = createLogger({ silent: true });
      expect(log.transports.map((t) => t.constructor.name)).to.deep.equal(["Console"]);
    });

    it("a transport that fails is reported through diag, and the service carries on", async () => {
      class Broken extends winston.transports.Stream {
        constructor() {
          super({ stream: new Writable({ write: (_chunk, _encoding, callback) => callback() }) });
        }
        override log(_info: unknown, next: () => void): void {
          this.emit("error", new Error("disk full"));
          next();
        }
      }
      const log = createLogger({ otlp: false, transports: [new Broken()] });
      const { messages } = await captureDiag(() => log.info("into a broken transport"));
      expect(messages.some((m) => m.startsWith("error: quantm-events logger: a transport failed Error: disk full"))).to.equal(true);
    });

    it("rejects an unknown level, naming the levels", () => {
      expect(() => createLogger({ level: "loud" })).to.throw(TypeError, /createLogger: level: expected one of error, warn, info, http, verbose, debug, silly, got "loud"/);
    });
  });

  describe("prettyFormat() for development", () => {
    it("prints time, level, message, fields and a short event and trace tag", () => {
      const out = lineCollector();
      const log = createLogger({ otlp: false, transports: [out.transport], format: prettyFormat({ colors: false }) });
      const { span } = inEventSpan(tracing, () => log.info("checking mergeability", { attempt: 3, user: "u1" }));
      expect(out.lines[0]).to.match(
        new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} info  checking mergeability attempt=3 user="u1"  \\[pull_request\\.opened 0190a1b2 trace=${span.spanContext().traceId.slice(0, 8)}\\]$`),
      );
    });

    it("colors the level when asked, and prints an error's stack under the line", () => {
      const out = lineCollector();
      const log = createLogger({ otlp: false, transports: [out.transport], format: prettyFormat({ colors: true }) });
      const err = new Error("nope");
      log.error("failed", { err });
      expect(out.lines[0]).to.include("\x1b[31merror\x1b[0m failed err=\"Error: nope\"");
      expect(out.lines[0]).to.include(`\n${err.stack}`);
    });
  });
});
