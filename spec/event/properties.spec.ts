// Property-based specs (fast-check) over the whole event API.
import { expect } from "chai";
import fc from "fast-check";
import { createEvent, parseEvent, validateEvent, normalizeEvent, QuantmEventError, FORBIDDEN_KEYS, type JsonValue } from "../../lib/event/index.js";
import { DELETE, V4_TEAM, V7_PARENT, NIL, minimalRawEvent, validEvent, withAttribute } from "./fixtures.js";

const nonEmpty = fc.string({ minLength: 1, maxLength: 20 });
const uuid = fc.uuid();
const forbidden = new RegExp(`"(${FORBIDDEN_KEYS.join("|")})":`);
const KNOWN = new Set(["hook", "scope", "action", "source", "timestamp", "parent_id", "root_id", "id", "name", "team_id", "user_id", "org_id", ...FORBIDDEN_KEYS]);
/** JSON values as JSON has them (fast-check may generate -0, which JSON writes as 0). */
const json = (maxDepth: number): fc.Arbitrary<JsonValue> => fc.jsonValue({ maxDepth }).map((v) => JSON.parse(JSON.stringify(v)) as JsonValue);
/** ... without the keys parseEvent refuses (their refusal has its own specs). */
const safeJson = (maxDepth: number): fc.Arbitrary<JsonValue> => json(maxDepth).filter((v) => !forbidden.test(JSON.stringify(v)));
/** Extra (unknown) attributes: any JSON under keys the schema does not define. */
const extras = fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => !KNOWN.has(k)), safeJson(2), { maxKeys: 3 });
const payload = safeJson(4).filter((p) => p !== null);

describe("properties", () => {
  it("createEvent → JSON.stringify → parseEvent gives an equal event (1,000 random inputs)", () => {
    fc.assert(
      fc.property(
        fc.record({
          hook: fc.oneof(nonEmpty, fc.integer()),
          scope: nonEmpty,
          action: nonEmpty,
          source: nonEmpty,
          contextExtras: extras,
          subjectId: nonEmpty,
          name: nonEmpty,
          team: fc.oneof(fc.uuid({ version: 4 }), fc.uuid({ version: 7 })),
          user: fc.option(uuid, { nil: undefined }),
          org: fc.option(nonEmpty, { nil: undefined }),
          subjectExtras: extras,
          payload,
          withParent: fc.boolean(),
          timestamp: fc.option(fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), { nil: undefined }),
        }),
        (r) => {
          const parent = r.withParent ? createEvent({ context: { hook: "h", scope: "s", action: "a", source: "x" }, subject: { id: "1", name: "n", team_id: V4_TEAM }, payload: {} }) : undefined;
          const event = createEvent({
            context: { ...r.contextExtras, hook: r.hook, scope: r.scope, action: r.action, source: r.source },
            subject: { ...r.subjectExtras, id: r.subjectId, name: r.name, team_id: r.team, user_id: r.user, org_id: r.org },
            payload: r.payload as JsonValue,
            ...(parent ? { parent } : {}),
            ...(r.timestamp ? { timestamp: r.timestamp } : {}),
          });
          expect(parseEvent(JSON.stringify(event))).to.deep.equal(event);
          expect(parseEvent(JSON.stringify(event), { strict: true })).to.deep.equal(event);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("10,000 arbitrary JSON values end only in QuantmEventError (or a valid event), never another exception", () => {
    // Half plain JSON values, half near-events: a valid event with random attributes replaced.
    const paths = ["version", "id", "timestamp", "context", "subject", "payload", "context.hook", "context.parent_id", "context.timestamp", "subject.team_id", "subject.user_id", "x"];
    const nearEvent = fc.tuple(fc.constantFrom(...paths), fc.jsonValue()).map(([path, value]) => withAttribute(validEvent(), path, value));
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearEvent), (value) => {
        try {
          parseEvent(JSON.stringify(value) ?? "");
          valid++;
        } catch (err) {
          if (!(err instanceof QuantmEventError) || err.issues.length === 0) throw err;
          invalid++;
        }
      }),
      { numRuns: 10_000 },
    );
    expect(valid + invalid).to.equal(10_000);
    expect(valid).to.be.greaterThan(0);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it("10,000 arbitrary strings end only in QuantmEventError, never another exception or a hang", () => {
    const start = Date.now();
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary", maxLength: 500 }), fc.json(), fc.string({ unit: fc.constantFrom("{", "}", "[", "]", '"', ":", ",", "\\", "_", "1") })), (text) => {
        try {
          parseEvent(text);
        } catch (err) {
          if (!(err instanceof QuantmEventError) || err.issues.length === 0) throw err;
          return;
        }
        throw new Error(`accepted ${JSON.stringify(text)}`);
      }),
      { numRuns: 10_000 },
    );
    expect(Date.now() - start).to.be.lessThan(15_000);
  });

  it("validateEvent(x) is validateEvent(normalizeEvent(x), { strict: true }) (5,000 near-events)", () => {
    const paths = ["timestamp", "context.timestamp", "context.parent_id", "subject.user_id", "context.root_id", "context", "subject", "id", "version"];
    const value = fc.oneof(fc.constantFrom<unknown>(DELETE, null, NIL, V7_PARENT, V4_TEAM, "2024-01-01T00:00:00Z", "bad"), fc.jsonValue({ maxDepth: 1 }));
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.tuple(fc.constantFrom(...paths), value), { maxLength: 3 }), (minimal, edits) => {
        let event: unknown = minimal ? minimalRawEvent() : validEvent();
        for (const [path, v] of edits) {
          const parent = path.includes(".") ? (event as Record<string, unknown>)[path.split(".")[0]!] : event;
          if (typeof parent === "object" && parent !== null && !Array.isArray(parent)) event = withAttribute(event as object, path, v);
        }
        const before = JSON.stringify(event);
        expect(validateEvent(event)).to.deep.equal(validateEvent(normalizeEvent(event), { strict: true }));
        expect(JSON.stringify(event)).to.equal(before);
      }),
      { numRuns: 5000 },
    );
  });
});
