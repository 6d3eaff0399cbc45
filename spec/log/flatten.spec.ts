// Flattening of record fields into span-event attributes: dotted keys, bounded, cycle-safe.
import type { Attributes } from "@opentelemetry/api";
import { expect } from "chai";
import fc from "fast-check";
import { DEFAULT_FLATTEN_LIMITS, flattenInto, truncate, type FlattenBudget, type FlattenLimits } from "../../lib/log/flatten.js";

function flatten(fields: Record<string, unknown>, limits: FlattenLimits = DEFAULT_FLATTEN_LIMITS): { out: Attributes; budget: FlattenBudget } {
  const out: Attributes = {};
  const budget: FlattenBudget = { left: limits.maxFields, dropped: 0 };
  for (const [k, v] of Object.entries(fields)) flattenInto(out, k, v, 1, budget, limits, undefined);
  return { out, budget };
}

describe("flattening log fields into attributes", () => {
  it("turns nested objects into dotted keys and keeps primitives as they are", () => {
    expect(flatten({ a: 1, b: "x", c: true, d: { e: { f: 2 } } }).out).to.deep.equal({ a: 1, b: "x", c: true, "d.e.f": 2 });
  });

  it("keeps uniform arrays as one attribute and flattens mixed arrays by index", () => {
    expect(flatten({ tags: ["a", "b"], ns: [1, 2], mixed: [1, "two", { three: 3 }] }).out).to.deep.equal({
      tags: ["a", "b"],
      ns: [1, 2],
      "mixed.0": 1,
      "mixed.1": "two",
      "mixed.2.three": 3,
    });
  });

  it("writes one-value objects as strings: Date, Error, Buffer, BigInt; calls toJSON like JSON does", () => {
    const { out } = flatten({
      at: new Date("2026-12-04T10:00:00Z"),
      bad: new Date(Number.NaN),
      err: new TypeError("nope"),
      buf: Buffer.from("abc"),
      big: 12345678901234567890n,
      money: { toJSON: () => ({ amount: 5, currency: "EUR" }) },
      id: { toJSON: () => "obj-1" },
    });
    expect(out).to.deep.equal({
      at: "2026-12-04T10:00:00.000Z",
      bad: "Invalid Date",
      err: "TypeError: nope",
      buf: "[Buffer 3 bytes]",
      big: "12345678901234567890",
      "money.amount": 5,
      "money.currency": "EUR",
      id: "obj-1",
    });
  });

  it("flattens Maps and Sets", () => {
    expect(flatten({ m: new Map<unknown, unknown>([["k", 1], [2, "two"]]), s: new Set(["x", { y: 1 }]) }).out).to.deep.equal({
      "m.k": 1,
      "m.2": "two",
      "s.0": "x",
      "s.1.y": 1,
    });
  });

  it("skips what an attribute cannot hold and JSON would drop: undefined, null, functions, symbols", () => {
    expect(flatten({ u: undefined, n: null, f: () => 1, s: Symbol("s"), kept: 1 }).out).to.deep.equal({ kept: 1 });
  });

  it("cuts cycles, including through arrays", () => {
    const a: Record<string, unknown> = { id: 1 };
    const b: Record<string, unknown> = { a };
    a.b = b;
    a.arr = [b];
    expect(flatten({ a }).out).to.deep.equal({ "a.id": 1, "a.b.a": "[Circular]", "a.arr.0.a": "[Circular]" });
  });

  it("repeats a shared (non-circular) object rather than calling it circular", () => {
    const shared = { v: 1 };
    expect(flatten({ x: shared, y: shared }).out).to.deep.equal({ "x.v": 1, "y.v": 1 });
  });

  it("stops at maxDepth, maxFields and maxValueLength, counting what it dropped", () => {
    const limits = { maxFields: 4, maxValueLength: 5, maxDepth: 2 };
    const { out, budget } = flatten({ s: "abcdefgh", d: { e: { f: 1 } }, arr: [[1, "x"]], a: 1, b: 2, c: 3 }, limits);
    expect(out).to.deep.equal({ s: "abcd…", "d.e": "[Object]", "arr.0": "[Array]", a: 1 });
    expect(budget.dropped).to.equal(2);
  });

  it("keeps at most maxFields elements of an array", () => {
    expect(flatten({ ns: [1, 2, 3, 4, 5] }, { maxFields: 3, maxValueLength: 10, maxDepth: 3 }).out).to.deep.equal({ ns: [1, 2, 3] });
  });

  it("truncate() keeps short text and marks cut text with an ellipsis within the limit", () => {
    expect(truncate("short", 10)).to.equal("short");
    expect(truncate("0123456789", 5)).to.equal("0123…");
    expect(truncate("0123456789", 5)).to.have.length(5);
  });

  it("for any JSON-like input: never throws, stays within the limits, writes only attribute values", () => {
    const limits = { maxFields: 10, maxValueLength: 16, maxDepth: 3 };
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (fields) => {
        const { out } = flatten(fields, limits);
        const keys = Object.keys(out);
        expect(keys.length).to.be.at.most(limits.maxFields);
        for (const value of Object.values(out)) {
          const items = Array.isArray(value) ? value : [value];
          expect(items.length).to.be.at.most(limits.maxFields);
          for (const item of items) {
            expect(["string", "number", "boolean"]).to.include(typeof item);
            if (typeof item === "string") expect(item.length).to.be.at.most(limits.maxValueLength);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
