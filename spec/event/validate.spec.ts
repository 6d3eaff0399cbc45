import { expect } from "chai";
import { validateEvent, isCompatibleVersion, parseVersion, type ValidationIssue } from "../../lib/event/index.js";
import { DELETE, NIL, PRIMER_EXAMPLE_JSON, V4_TEAM, V7_PARENT, minimalRawEvent, validEvent, withAttribute } from "./fixtures.js";

/** Problems as "PATH: MESSAGE" strings (details left out), for compact assertions. */
function problems(x: unknown, strict = false): string[] {
  return validateEvent(x, { strict }).errors.map((e: ValidationIssue) => `${e.path}: ${e.message}`);
}

/** Asserts that setting `path` to each value gives exactly one problem, at `$.path`, with `message`. */
function rejects(path: string, values: unknown[], message: string, strict = true): void {
  for (const value of values) {
    const event = withAttribute(validEvent(), path, value);
    expect(problems(event, strict), `${path} = ${String(value === DELETE ? "(absent)" : JSON.stringify(value))}`).to.deep.equal([`$.${path}: ${message}`]);
  }
}

function accepts(path: string, values: unknown[], strict = true): void {
  for (const value of values) {
    const event = withAttribute(validEvent(), path, value);
    expect(problems(event, strict), `${path} = ${JSON.stringify(value)}`).to.deep.equal([]);
  }
}

describe("validateEvent", () => {
  it("accepts a complete event, strict and normalized, with an empty error list", () => {
    expect(validateEvent(validEvent())).to.deep.equal({ valid: true, errors: [] });
    expect(validateEvent(validEvent(), { strict: true })).to.deep.equal({ valid: true, errors: [] });
  });

  describe("primer table: event structure", () => {
    it("version: missing → 'Missing version field'; not MAJOR.MINOR.PATCH → 'Invalid version field'", () => {
      rejects("version", [DELETE, null], "Missing version field");
      rejects("version", ["", "1", "0.1", "v0.1.0", "0.01.0", "0.1.0.0", 1, 0.1], "Invalid version field");
    });

    it("id: missing, not a UUID, or a UUID other than v7 → 'Missing or invalid event ID'", () => {
      rejects("id", [DELETE, null, "", "abc", 42, NIL, V4_TEAM, "0190f3c2-8a4b-7c3d-cе1f-2a3b4c5d6e7f", "0190f3c2-8a4b-7c3d-1e1f-2a3b4c5d6e7f"], "Missing or invalid event ID");
      accepts("id", ["0190F3C2-8A4B-7C3D-9E1F-2A3B4C5D6E7F"]);
    });

    it("context: missing → 'Missing context field'; not an object → 'Invalid context field'", () => {
      rejects("context", [DELETE, null], "Missing context field");
      rejects("context", ["github", 1, [], true], "Invalid context field");
    });

    it("subject: missing → 'Missing subject field'; not an object → 'Invalid subject field'", () => {
      rejects("subject", [DELETE, null], "Missing subject field");
      rejects("subject", ["repos", 7, [{ id: "1" }]], "Invalid subject field");
    });

    it("payload: missing or null → 'Missing payload field'; any other JSON value is a payload", () => {
      rejects("payload", [DELETE, null], "Missing payload field");
      accepts("payload", [{}, [], "text", 0, false, { nested: { deep: [1, 2] } }]);
    });

    it("timestamp: missing → 'Missing timestamp field'; not RFC 3339 → 'Invalid timestamp field'", () => {
      // The context timestamp is set explicitly so only the top-level one is at fault.
      rejects("timestamp", [DELETE, null], "Missing timestamp field");
      rejects(
        "timestamp",
        ["", "yesterday", 1714564800, "2024-05-01", "2024-05-01 12:00:00Z", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:00:00"],
        "Invalid timestamp field",
      );
      accepts("timestamp", ["2024-02-29T23:59:60Z", "2000-02-29T00:00:00+05:30", "2024-05-01t12:00:00.123456789z", "1999-12-31T23:59:59-08:00"]);
    });
  });

  describe("primer table: subject attributes", () => {
    it("id: missing, empty or not a string → 'Missing or invalid subject ID'; any non-empty text is an id", () => {
      rejects("subject.id", [DELETE, null, "", 42, {}], "Missing or invalid subject ID");
      accepts("subject.id", ["42", "954e472d-a22f-4696-b447-2c8144d37f47", "acme/app"]);
    });

    it("name: missing → 'Missing subject name'; empty or not a string → 'Invalid subject name'", () => {
      rejects("subject.name", [DELETE, null], "Missing subject name");
      rejects("subject.name", ["", 5, ["repos"]], "Invalid subject name");
    });

    it("team_id: missing → 'Missing team ID'; not a UUID v4 or v7 → 'Invalid team ID'", () => {
      rejects("subject.team_id", [DELETE, null], "Missing team ID");
      rejects("subject.team_id", ["", "team-a", 7, NIL, "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "0879053d-41a2-4151-c4b3-5e34252eb639"], "Invalid team ID");
      accepts("subject.team_id", [V4_TEAM, V7_PARENT]);
    });

    it("user_id: optional, defaults to the nil UUID; when present must be a UUID → 'Invalid user ID'", () => {
      accepts("subject.user_id", [DELETE, NIL, V4_TEAM, "6ba7b810-9dad-11d1-80b4-00c04fd430c8"]);
      rejects("subject.user_id", ["bob", 5, ""], "Invalid user ID");
      rejects("subject.user_id", [null], "Invalid user ID", true);
      accepts("subject.user_id", [null], false);
    });

    it("org_id (in the primer's example, not its table): optional; when present a non-empty string → 'Invalid org ID'", () => {
      accepts("subject.org_id", [DELETE, "6d1a8193-e542-4e54-817a-a7918b56236c", "acme"]);
      rejects("subject.org_id", ["", 3, null], "Invalid org ID");
    });
  });

  describe("primer table: context attributes", () => {
    it("parent_id: optional, defaults to the nil UUID; any UUID version; otherwise 'Invalid parent ID'", () => {
      accepts("context.parent_id", [DELETE, NIL, V7_PARENT, V4_TEAM, "00112233-4455-6677-8899-aabbccddeeff"]);
      rejects("context.parent_id", ["parent", 1, "00112233-4455-6677-8899-aabbccddeefg"], "Invalid parent ID");
      rejects("context.parent_id", [null], "Invalid parent ID", true);
      accepts("context.parent_id", [null], false);
    });

    it("hook: missing → 'Missing hooks field'; a non-empty string or an integer, kept as given; else 'Invalid hooks field'", () => {
      rejects("context.hook", [DELETE, null], "Missing hooks field");
      rejects("context.hook", ["", 1.5, true, {}, []], "Invalid hooks field");
      accepts("context.hook", ["github", "GitLab", 1, 0, 12]);
    });

    it("scope: missing → 'Missing scope field'; empty or not a string → 'Invalid scope field'", () => {
      rejects("context.scope", [DELETE, null], "Missing scope field");
      rejects("context.scope", ["", 3], "Invalid scope field");
    });

    it("action: missing → 'Missing action field'; empty or not a string → 'Invalid action field'", () => {
      rejects("context.action", [DELETE, null], "Missing action field");
      rejects("context.action", ["", false], "Invalid action field");
    });

    it("source: missing → 'Missing source field'; empty or not a string → 'Invalid source field'", () => {
      rejects("context.source", [DELETE, null], "Missing source field");
      rejects("context.source", ["", { url: "x" }], "Invalid source field");
    });

    it("timestamp: strict → 'Missing timestamp field' at $.context.timestamp; normalized, taken from the event timestamp", () => {
      rejects("context.timestamp", [DELETE, null], "Missing timestamp field", true);
      accepts("context.timestamp", [DELETE, null], false);
      rejects("context.timestamp", ["noon", 5, "2024-02-30T00:00:00Z"], "Invalid timestamp field", false);
    });

    it("normalized: a missing context timestamp inherits an invalid event timestamp and both are reported", () => {
      const event = withAttribute(withAttribute(validEvent(), "context.timestamp", DELETE), "timestamp", "soon");
      expect(problems(event)).to.deep.equal(["$.timestamp: Invalid timestamp field", "$.context.timestamp: Invalid timestamp field"]);
      const noTime = withAttribute(withAttribute(validEvent(), "context.timestamp", DELETE), "timestamp", DELETE);
      expect(problems(noTime)).to.deep.equal(["$.timestamp: Missing timestamp field", "$.context.timestamp: Missing timestamp field"]);
    });

    it("root_id (0.2): optional; the chain's first event id, so a UUID v7 → else 'Invalid root ID'", () => {
      accepts("context.root_id", [DELETE, V7_PARENT]);
      rejects("context.root_id", [NIL, V4_TEAM, "root", null, 9], "Invalid root ID");
    });
  });

  describe("the primer's example (DESIGN §2)", () => {
    it("strict: exactly the v4 id and the missing context timestamp", () => {
      expect(problems(JSON.parse(PRIMER_EXAMPLE_JSON), true)).to.deep.equal(["$.id: Missing or invalid event ID", "$.context.timestamp: Missing timestamp field"]);
    });

    it("normalized: only the id", () => {
      expect(problems(JSON.parse(PRIMER_EXAMPLE_JSON))).to.deep.equal(["$.id: Missing or invalid event ID"]);
    });

    it("says what was expected and what arrived for the id", () => {
      const [issue] = validateEvent(JSON.parse(PRIMER_EXAMPLE_JSON)).errors;
      expect(issue!.detail).to.equal('expected a UUID v7, got a UUID v4 ("0b2a799d-40d0-4e4c-9144-11f61f233a69")');
    });
  });

  describe("multi-problem reports", () => {
    it("reports every problem at once, in document order, each with its path", () => {
      const event = {
        version: "zero",
        timestamp: "2024-05-01T12:00:00Z",
        context: { hook: "", scope: "pull_request", source: 7, timestamp: "later" },
        subject: { id: "", team_id: "nope" },
      };
      expect(problems(event, true)).to.deep.equal([
        "$.version: Invalid version field",
        "$.id: Missing or invalid event ID",
        "$.context.hook: Invalid hooks field",
        "$.context.action: Missing action field",
        "$.context.source: Invalid source field",
        "$.context.timestamp: Invalid timestamp field",
        "$.subject.id: Missing or invalid subject ID",
        "$.subject.name: Missing subject name",
        "$.subject.team_id: Invalid team ID",
        "$.payload: Missing payload field",
      ]);
    });

    it("an empty object gets the six top-level 'Missing' messages of the primer", () => {
      expect(problems({})).to.deep.equal([
        "$.version: Missing version field",
        "$.id: Missing or invalid event ID",
        "$.timestamp: Missing timestamp field",
        "$.context: Missing context field",
        "$.subject: Missing subject field",
        "$.payload: Missing payload field",
      ]);
    });

    it("anything that is not an object is one problem at $", () => {
      for (const x of [null, undefined, 42, "event", [], [validEvent()], true]) {
        const result = validateEvent(x);
        expect(result.valid).to.equal(false);
        expect(result.errors).to.have.length(1);
        expect(result.errors[0]).to.include({ path: "$", message: "Invalid event: not a JSON object" });
      }
    });

    it("details describe the received value without echoing huge strings", () => {
      const event = withAttribute(validEvent(), "context.scope", 12);
      expect(validateEvent(event).errors[0]!.detail).to.equal("expected a non-empty string, got the number 12");
      const long = withAttribute(validEvent(), "id", "x".repeat(100_000));
      expect(validateEvent(long).errors[0]!.detail!.length).to.be.lessThan(120);
    });
  });

  describe("versions", () => {
    it("accepts every 0.x version: 0.1 producers, this 0.2, newer MINOR and PATCH, pre-releases", () => {
      accepts("version", ["0.1.0", "0.2.0", "0.2.7", "0.3.0", "0.99.0", "0.3.0-rc.1", "0.2.0+build.5"]);
    });

    it("rejects another MAJOR with a message naming both versions", () => {
      for (const version of ["1.0.0", "2.3.4", "10.0.0-beta"]) {
        const errors = validateEvent(withAttribute(validEvent(), "version", version)).errors;
        expect(errors).to.have.length(1);
        expect(errors[0]!.path).to.equal("$.version");
        expect(errors[0]!.message).to.equal(`Incompatible version ${version}: this library reads QuantmEvents 0.x (it writes 0.2.0)`);
      }
    });

    it("isCompatibleVersion / parseVersion", () => {
      expect(isCompatibleVersion("0.1.0")).to.equal(true);
      expect(isCompatibleVersion("0.9.1")).to.equal(true);
      expect(isCompatibleVersion("1.0.0")).to.equal(false);
      expect(isCompatibleVersion("1.2.0", "1.0.0")).to.equal(true);
      expect(isCompatibleVersion("nope")).to.equal(false);
      expect(parseVersion("0.3.1-rc.2+b7")).to.deep.equal({ major: 0, minor: 3, patch: 1, prerelease: "rc.2" });
      expect(parseVersion("1.2.3+b-1")).to.deep.equal({ major: 1, minor: 2, patch: 3 });
      expect(parseVersion("01.2.3")).to.equal(undefined);
    });
  });

  describe("unknown attributes (forward compatibility)", () => {
    it("a 0.1 consumer's rules accept a 0.3 event with attributes it does not know, anywhere", () => {
      const event = {
        ...validEvent(),
        version: "0.3.0",
        trace: { sampled: true },
        context: { ...validEvent().context, region: "eu-west-1", attempt: 2 },
        subject: { ...validEvent().subject, project_id: "p-1" },
      };
      expect(validateEvent(event, { strict: true })).to.deep.equal({ valid: true, errors: [] });
    });
  });

  it("the minimal 0.1 event (no defaults, no context timestamp) is valid normalized, strict asks for the context timestamp", () => {
    expect(problems(minimalRawEvent())).to.deep.equal([]);
    expect(problems(minimalRawEvent(), true)).to.deep.equal(["$.context.timestamp: Missing timestamp field"]);
  });

  it("never mutates its input", () => {
    const event = Object.freeze(minimalRawEvent());
    const before = JSON.stringify(event);
    validateEvent(event);
    expect(JSON.stringify(event)).to.equal(before);
  });

  it("an id found valid earlier does not make a later invalid value pass (the repeat-value shortcut)", () => {
    validateEvent(validEvent());
    const bad = withAttribute(withAttribute(validEvent(), "subject.team_id", ""), "subject.user_id", "");
    expect(problems(withAttribute(bad, "context.parent_id", ""))).to.deep.equal([
      "$.context.parent_id: Invalid parent ID",
      "$.subject.team_id: Invalid team ID",
      "$.subject.user_id: Invalid user ID",
    ]);
  });
});
