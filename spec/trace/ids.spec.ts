import { expect } from "chai";
import { RandomIdGenerator } from "@opentelemetry/sdk-trace-base";
import { EventIdGenerator, LineageIndex, spanIdFromEventId, traceIdFromEventId } from "../../lib/trace/index.js";
import { hrTimeFromTimestamp } from "../../lib/trace/time.js";

const ID = "0190a0b2-1c3d-7e4f-8899-aabbccddeeff";

describe("trace ids (DESIGN §4 R1, R3)", () => {
  it("R1: the span id is the last 16 hex digits of the event id, dashes removed", () => {
    expect(spanIdFromEventId(ID)).to.equal("8899aabbccddeeff");
  });

  it("R3: the trace id is the 32 hex digits of the root id", () => {
    expect(traceIdFromEventId(ID)).to.equal("0190a0b21c3d7e4f8899aabbccddeeff");
  });

  it("accepts upper case and dash-less UUIDs, answering in lower case (W3C trace context form)", () => {
    expect(spanIdFromEventId(ID.toUpperCase())).to.equal("8899aabbccddeeff");
    expect(traceIdFromEventId(ID.replace(/-/g, ""))).to.equal("0190a0b21c3d7e4f8899aabbccddeeff");
  });

  it("rejects what is not a UUID, saying what was expected and what arrived", () => {
    expect(() => spanIdFromEventId("not-a-uuid")).to.throw(RangeError, /spanIdFromEventId: expected a UUID \(32 hex digits, dashes allowed\), got "not-a-uuid"/);
    expect(() => traceIdFromEventId("0190a0b2-1c3d-7e4f-8899-aabbccddeefZ")).to.throw(RangeError, /traceIdFromEventId/);
    expect(() => traceIdFromEventId(42 as unknown as string)).to.throw(RangeError, /got 42/);
  });
});

describe("EventIdGenerator", () => {
  it("hands out the pre-set ids once, then random ids of the right shape", () => {
    const gen = new EventIdGenerator();
    gen.setNext("0190a0b21c3d7e4f8899aabbccddeeff", "8899aabbccddeeff");
    expect(gen.generateSpanId()).to.equal("8899aabbccddeeff");
    expect(gen.generateTraceId()).to.equal("0190a0b21c3d7e4f8899aabbccddeeff");
    const span = gen.generateSpanId();
    const traceId = gen.generateTraceId();
    expect(span).to.match(/^[0-9a-f]{16}$/).and.not.equal("8899aabbccddeeff");
    expect(traceId).to.match(/^[0-9a-f]{32}$/).and.not.equal("0190a0b21c3d7e4f8899aabbccddeeff");
  });

  it("clear() drops ids that were not used (a child span: no trace id asked)", () => {
    const gen = new EventIdGenerator();
    gen.setNext("0190a0b21c3d7e4f8899aabbccddeeff", "8899aabbccddeeff");
    expect(gen.generateSpanId()).to.equal("8899aabbccddeeff");
    gen.clear();
    expect(gen.generateTraceId()).to.not.equal("0190a0b21c3d7e4f8899aabbccddeeff");
  });

  it("without a trace id set, generates one at random while still giving the span id", () => {
    const gen = new EventIdGenerator();
    gen.setNext(undefined, "8899aabbccddeeff");
    expect(gen.generateTraceId()).to.match(/^[0-9a-f]{32}$/);
    expect(gen.generateSpanId()).to.equal("8899aabbccddeeff");
    expect(new RandomIdGenerator().generateSpanId()).to.match(/^[0-9a-f]{16}$/);
  });
});

describe("LineageIndex", () => {
  const sc = (n: number) => ({ traceId: n.toString(16).padStart(32, "0"), spanId: n.toString(16).padStart(16, "0"), traceFlags: 1 });

  it("remembers what was set", () => {
    const index = new LineageIndex(10);
    index.set("a", sc(1));
    expect(index.get("a")).to.deep.equal(sc(1));
    expect(index.get("b")).to.equal(undefined);
    expect(index.has("a")).to.equal(true);
  });

  it("keeps at least the `capacity` most recent ids and at most twice that many entries", () => {
    const index = new LineageIndex(100);
    for (let i = 0; i < 10_000; i++) {
      index.set(`id-${i}`, sc(i));
      expect(index.size).to.be.at.most(200);
    }
    for (let i = 10_000 - 100; i < 10_000; i++) expect(index.get(`id-${i}`), `id-${i}`).to.deep.equal(sc(i));
    expect(index.get("id-0")).to.equal(undefined);
    expect(index.get("id-9000")).to.equal(undefined);
  });

  it("a lookup keeps an old entry alive (least recently used goes first)", () => {
    const index = new LineageIndex(4);
    index.set("keep", sc(0));
    for (let i = 1; i < 40; i++) {
      index.set(`x${i}`, sc(i));
      expect(index.get("keep"), `after ${i}`).to.deep.equal(sc(0));
    }
  });

  it("rejects a capacity that is not a positive integer", () => {
    expect(() => new LineageIndex(0)).to.throw(RangeError, /lineageIndexSize: expected a positive integer, got 0/);
    expect(() => new LineageIndex(1.5)).to.throw(RangeError, /got 1.5/);
  });
});

describe("span start times from event timestamps", () => {
  it("keeps the seconds and the fraction down to the nanosecond, whatever the offset", () => {
    expect(hrTimeFromTimestamp("2022-01-01T00:00:00Z")).to.deep.equal([1640995200, 0]);
    expect(hrTimeFromTimestamp("2022-01-01T00:00:00.5Z")).to.deep.equal([1640995200, 500_000_000]);
    expect(hrTimeFromTimestamp("2022-01-01T00:00:00.123456789Z")).to.deep.equal([1640995200, 123_456_789]);
    expect(hrTimeFromTimestamp("2022-01-01T02:00:00.000001+02:00")).to.deep.equal([1640995200, 1_000]);
  });

  it("answers undefined for text that does not parse (the SDK then uses now)", () => {
    expect(hrTimeFromTimestamp("yesterday")).to.equal(undefined);
  });
});
