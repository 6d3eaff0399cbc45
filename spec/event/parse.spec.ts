import { expect } from "chai";
import { parseEvent, parseEventLines, createEvent, QuantmEventError, NIL_UUID, DEFAULT_MAX_BYTES, type QuantmEvent } from "../../lib/event/index.js";
import { PRIMER_EXAMPLE_JSON, PRIMER_EXAMPLE_TEXT, V7_ID, minimalRawEvent, validEvent } from "./fixtures.js";

/** The QuantmEventError that `fn` throws (fails when it throws anything else, or nothing). */
function caught(fn: () => unknown): QuantmEventError {
  try {
    fn();
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(QuantmEventError);
    return err as QuantmEventError;
  }
  throw new Error("expected a QuantmEventError, nothing was thrown");
}

const paths = (e: QuantmEventError): string[] => e.issues.map((i) => `${i.path}: ${i.message}`);

describe("parseEvent", () => {
  it("returns the normalized event for valid JSON (defaults filled, unknown attributes kept)", () => {
    const text = JSON.stringify({ ...minimalRawEvent(), version: "0.3.0", extra: { x: 1 } });
    const event = parseEvent(text);
    expect(event.context.parent_id).to.equal(NIL_UUID);
    expect(event.subject.user_id).to.equal(NIL_UUID);
    expect(event.context.timestamp).to.equal(event.timestamp);
    expect(event.extra).to.deep.equal({ x: 1 });
    expect(event.version).to.equal("0.3.0");
  });

  it("strict: rejects what needs normalizing, returns the event (normalized) when valid as is", () => {
    expect(paths(caught(() => parseEvent(JSON.stringify(minimalRawEvent()), { strict: true })))).to.deep.equal(["$.context.timestamp: Missing timestamp field"]);
    const event = parseEvent(JSON.stringify({ ...minimalRawEvent(), context: { ...(minimalRawEvent().context as object), timestamp: "2024-05-01T12:00:00Z" } }), { strict: true });
    expect(event.context.parent_id).to.equal(NIL_UUID);
  });

  it("the primer's example as printed is not JSON (trailing comma): one 'Invalid JSON' problem at $", () => {
    const error = caught(() => parseEvent(PRIMER_EXAMPLE_TEXT));
    expect(error.issues).to.have.length(1);
    expect(error.issues[0]).to.include({ path: "$", message: "Invalid JSON" });
    expect(error.issues[0]!.detail).to.be.a("string").and.not.equal("");
  });

  it("the primer's example without the comma: one error naming the id, message 'PATH: MESSAGE'", () => {
    const error = caught(() => parseEvent(PRIMER_EXAMPLE_JSON));
    expect(error.name).to.equal("QuantmEventError");
    expect(paths(error)).to.deep.equal(["$.id: Missing or invalid event ID"]);
    expect(error.message).to.equal('Invalid QuantmEvent (1 problem): $.id: Missing or invalid event ID (expected a UUID v7, got a UUID v4 ("0b2a799d-40d0-4e4c-9144-11f61f233a69"))');
    expect(error.stack).to.match(/^QuantmEventError: Invalid QuantmEvent/);
  });

  it("lists every problem in one error", () => {
    const error = caught(() => parseEvent(JSON.stringify({ version: "0.1.0", id: V7_ID, context: {}, subject: {} })));
    expect(error.issues).to.have.length(10);
    expect(error.message).to.contain("(10 problems)").and.contain("$.subject.team_id: Missing team ID").and.contain("$.payload: Missing payload field");
  });

  it("a top level that is not an object: a clear error", () => {
    for (const text of ["[]", "42", '"event"', "null", "true", `[${JSON.stringify(validEvent())}]`]) {
      expect(paths(caught(() => parseEvent(text))), text.slice(0, 20)).to.deep.equal(["$: Invalid event: not a JSON object"]);
    }
  });

  it("empty text, whitespace, garbage and non-strings: a QuantmEventError", () => {
    for (const text of ["", "   ", "{", "{'a': 1}", "\u0000", "undefined"]) {
      expect(paths(caught(() => parseEvent(text)))).to.deep.equal(["$: Invalid JSON"]);
    }
    for (const value of [undefined, null, 42, {}, Buffer.from("{}")]) {
      expect(paths(caught(() => parseEvent(value as unknown as string)))).to.deep.equal(["$: Invalid input: not JSON text"]);
    }
  });

  it("accepts a UTF-8 byte order mark", () => {
    expect(parseEvent("\uFEFF" + JSON.stringify(validEvent())).id).to.equal(V7_ID);
  });

  describe("prototype pollution", () => {
    const attacks = [
      `{"__proto__": {"polluted": "yes"}}`,
      `{"payload": {"__proto__": {"polluted": "yes"}}}`,
      `{"payload": {"constructor": {"prototype": {"polluted": "yes"}}}}`,
      `{"context": {"prototype": {"polluted": "yes"}}}`,
      `{"payload": [{"a": {"__proto__": {"polluted": "yes"}}}]}`,
    ];

    for (const attack of attacks) {
      it(`refuses ${attack} and pollutes nothing`, () => {
        const base = JSON.stringify(validEvent()).slice(1, -1);
        // The attack merged into an otherwise valid event: only the forbidden key is at fault.
        const merged = JSON.parse(`{${base}}`);
        const hostile = JSON.parse(attack);
        for (const [key, value] of Object.entries(hostile)) {
          Object.defineProperty(merged, key, { value: typeof value === "object" && value !== null && !Array.isArray(value) && key !== "__proto__" ? { ...merged[key], ...value } : value, enumerable: true, configurable: true, writable: true });
        }
        const text = JSON.stringify(merged);
        expect(text).to.contain(attack.includes("__proto__") ? "__proto__" : "prototype");
        const error = caught(() => parseEvent(text));
        expect(error.issues.every((i) => i.message === "Forbidden key"), error.message).to.equal(true);
        expect(error.issues[0]!.path).to.match(/(__proto__|constructor|prototype)$/);
        expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
        expect((Object.prototype as Record<string, unknown>).polluted).to.equal(undefined);
      });
    }

    it("names the exact path of a forbidden key, in bracket notation when needed", () => {
      const event = { ...validEvent(), payload: { "a b": [{ constructor: 1 }] } };
      expect(paths(caught(() => parseEvent(JSON.stringify(event))))).to.deep.equal(['$.payload["a b"][0].constructor: Forbidden key']);
    });

    it("caps forbidden-key reports at 10 per event", () => {
      const payload = Array.from({ length: 500 }, () => ({ __proto__: null, constructor: 1 }));
      const text = JSON.stringify({ ...validEvent(), payload }).replace(/"constructor"/g, '"__proto__"');
      expect(caught(() => parseEvent(text)).issues).to.have.length(10);
    });

    it("an accepted event's objects have Object.prototype and no own __proto__", () => {
      const event = parseEvent(JSON.stringify(validEvent()));
      for (const o of [event, event.context, event.subject, event.payload as object]) {
        expect(Object.getPrototypeOf(o)).to.equal(Object.prototype);
        expect(Object.hasOwn(o, "__proto__")).to.equal(false);
      }
    });
  });

  describe("limits", () => {
    const nested = (depth: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { v: value };
      return value;
    };

    it("depth: the event is level 1; 64 levels pass, 65 fail with one 'Event nested too deeply'", () => {
      // The payload is level 2, so a payload of 63 nested containers reaches level 64.
      expect(() => parseEvent(JSON.stringify({ ...validEvent(), payload: nested(63) }))).to.not.throw();
      const error = caught(() => parseEvent(JSON.stringify({ ...validEvent(), payload: nested(64) })));
      expect(error.issues).to.have.length(1);
      expect(error.issues[0]).to.include({ message: "Event nested too deeply", detail: "expected at most 64 levels of objects and arrays" });
      expect(error.issues[0]!.path).to.match(/^\$\.payload(\[0\]|\.v)+$/);
    });

    it("depth: configurable, and a million nested brackets end in a QuantmEventError quickly", () => {
      expect(caught(() => parseEvent(JSON.stringify({ ...validEvent(), payload: { a: { b: 1 } } }), { maxDepth: 2 })).issues[0]!.message).to.equal("Event nested too deeply");
      const start = Date.now();
      const deep = `{"payload": ${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}}`;
      expect(caught(() => parseEvent(deep, { maxBytes: 4_000_000 })).issues.map((i) => i.message)).to.include("Event nested too deeply");
      expect(Date.now() - start).to.be.lessThan(5000);
    });

    it("size: default 1 MiB of UTF-8, counted in bytes not characters, configurable", () => {
      expect(DEFAULT_MAX_BYTES).to.equal(1_048_576);
      const event = validEvent();
      const fits = JSON.stringify({ ...event, payload: { s: "" } });
      const filler = "x".repeat(DEFAULT_MAX_BYTES - fits.length);
      expect(() => parseEvent(JSON.stringify({ ...event, payload: { s: filler } }))).to.not.throw();
      const tooBig = caught(() => parseEvent(JSON.stringify({ ...event, payload: { s: filler + "x" } })));
      expect(tooBig.issues).to.deep.equal([{ path: "$", message: "Event too large", detail: `expected at most 1048576 bytes, got 1048577` }]);
      // "é" is one UTF-16 unit but two UTF-8 bytes.
      const wide = JSON.stringify({ ...event, payload: { s: "é".repeat(600_000) } });
      expect(wide.length).to.be.lessThan(DEFAULT_MAX_BYTES);
      expect(caught(() => parseEvent(wide)).issues[0]!.message).to.equal("Event too large");
      expect(caught(() => parseEvent(JSON.stringify(event), { maxBytes: 100 })).issues[0]!.message).to.equal("Event too large");
    });
  });
});

describe("parseEventLines", () => {
  const line = (e: object): string => JSON.stringify(e);

  it("JSON Lines: one result per non-blank line, numbered by line, each valid or with its own error", () => {
    const good = validEvent();
    const text = [line(good), "", line({ ...good, id: "nope" }), line({ ...good, payload: null }) + "\r", "not json", ""].join("\n");
    const results = parseEventLines(text);
    expect(results.map((r) => [r.line, r.ok])).to.deep.equal([[1, true], [3, false], [4, false], [5, false]]);
    const messages = results.map((r) => (r.ok ? "ok" : r.error.issues.map((i) => `${i.path}: ${i.message}`).join(", ")));
    expect(messages).to.deep.equal(["ok", "$.id: Missing or invalid event ID", "$.payload: Missing payload field", "$: Invalid JSON"]);
    expect((results[0] as { event: QuantmEvent }).event.id).to.equal(good.id);
  });

  it("a single pretty-printed event is one result at the line where it starts", () => {
    const results = parseEventLines(`\n\n${JSON.stringify(validEvent(), null, 2)}\n`);
    expect(results).to.have.length(1);
    expect(results[0]).to.include({ line: 3, ok: true });
  });

  it("a single broken pretty-printed event is one 'Invalid JSON', not one error per line", () => {
    const results = parseEventLines(PRIMER_EXAMPLE_TEXT);
    expect(results).to.have.length(1);
    expect(results[0]!.ok).to.equal(false);
  });

  it("JSON Lines whose first line is broken are still read line by line", () => {
    const results = parseEventLines(`{"version": "0.1.0", broken}\n${line(validEvent())}`);
    expect(results.map((r) => [r.line, r.ok])).to.deep.equal([[1, false], [2, true]]);
  });

  it("empty input gives no results; limits apply per line", () => {
    expect(parseEventLines("")).to.deep.equal([]);
    expect(parseEventLines(" \n\n ")).to.deep.equal([]);
    const created = createEvent({ context: { hook: "h", scope: "s", action: "a", source: "x" }, subject: { id: "1", name: "n", team_id: validEvent().subject.team_id }, payload: {} });
    const results = parseEventLines(`${line(created)}\n${line(created)}`, { maxBytes: line(created).length });
    expect(results.every((r) => r.ok)).to.equal(true);
  });
});
