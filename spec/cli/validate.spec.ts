// `quantm-events validate`: in-process through main() with a fake CliIO, and as a real process.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cli } from "./support.js";
import { PRIMER_EXAMPLE_JSON, PRIMER_EXAMPLE_TEXT, minimalRawEvent, validEvent } from "../event/fixtures.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("quantm-events validate", () => {
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "quantm-validate-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("in-process", () => {
    it("a valid event file: exit 0 and says so", async () => {
      const run = await cli(["validate", file("ok.json", JSON.stringify(validEvent(), null, 2))]);
      expect(run).to.deep.equal({ code: 0, out: ["valid: 1 event"], err: [] });
    });

    it("the primer's example (comma removed): only the id, as PATH: MESSAGE; exit 1", async () => {
      const run = await cli(["validate", file("primer.json", PRIMER_EXAMPLE_JSON)]);
      expect(run.code).to.equal(1);
      expect(run.out).to.deep.equal([
        '$.id: Missing or invalid event ID (expected a UUID v7, got a UUID v4 ("0b2a799d-40d0-4e4c-9144-11f61f233a69"))',
        "invalid: 1 of 1 event, 1 problem",
      ]);
    });

    it("--strict: the input as it is, so the missing context timestamp too", async () => {
      const run = await cli(["validate", "--strict", file("primer.json", PRIMER_EXAMPLE_JSON)]);
      expect(run.code).to.equal(1);
      expect(run.out.filter((l) => l.startsWith("$"))).to.deep.equal([
        '$.id: Missing or invalid event ID (expected a UUID v7, got a UUID v4 ("0b2a799d-40d0-4e4c-9144-11f61f233a69"))',
        "$.context.timestamp: Missing timestamp field",
      ]);
      const lenient = await cli(["validate", file("minimal.json", JSON.stringify(minimalRawEvent()))]);
      expect(lenient.code).to.equal(0);
      const strict = await cli(["validate", file("minimal.json", JSON.stringify(minimalRawEvent())), "--strict"]);
      expect(strict.code).to.equal(1);
    });

    it("the primer's example as printed (trailing comma): Invalid JSON with the parser's detail, no stack trace", async () => {
      const run = await cli(["validate", file("primer-raw.json", PRIMER_EXAMPLE_TEXT)]);
      expect(run.code).to.equal(1);
      expect(run.out[0]).to.match(/^\$: Invalid JSON \(.+\)$/);
      expect(run.out.join("\n") + run.err.join("\n")).to.not.match(/\n\s+at /);
    });

    it("JSON Lines: problems reported per line number", async () => {
      const good = JSON.stringify(validEvent());
      const lines = [good, JSON.stringify({ ...validEvent(), id: "abc" }), "", JSON.stringify({ ...validEvent(), context: { ...validEvent().context, scope: "" }, payload: null })];
      const run = await cli(["validate", file("events.jsonl", lines.join("\n") + "\n")]);
      expect(run.code).to.equal(1);
      expect(run.out).to.deep.equal([
        'line 2: $.id: Missing or invalid event ID (expected a UUID v7, got the string "abc")',
        "line 4: $.context.scope: Invalid scope field (expected a non-empty string, got an empty string)",
        "line 4: $.payload: Missing payload field",
        "invalid: 2 of 3 events, 3 problems",
      ]);
    });

    it("reads standard input for '-' and for no FILE", async () => {
      const text = `${JSON.stringify(validEvent())}\n${JSON.stringify(validEvent())}\n`;
      expect(await cli(["validate", "-"], text)).to.deep.equal({ code: 0, out: ["valid: 2 events"], err: [] });
      expect(await cli(["validate"], text)).to.deep.equal({ code: 0, out: ["valid: 2 events"], err: [] });
    });

    it("--json: one machine-readable object with every result and issue", async () => {
      const text = `${JSON.stringify(validEvent())}\n${JSON.stringify({ ...validEvent(), version: "1.0.0" })}\n`;
      const run = await cli(["validate", "--json", "-"], text);
      expect(run.code).to.equal(1);
      expect(run.out).to.have.length(1);
      expect(JSON.parse(run.out[0]!)).to.deep.equal({
        valid: false,
        events: 2,
        invalid: 1,
        results: [
          { line: 1, valid: true, errors: [] },
          { line: 2, valid: false, errors: [{ path: "$.version", message: "Incompatible version 1.0.0: this library reads QuantmEvents 0.x (it writes 0.2.0)" }] },
        ],
      });
      const ok = await cli(["validate", "--json", "-"], JSON.stringify(validEvent()));
      expect(ok.code).to.equal(0);
      expect(JSON.parse(ok.out[0]!)).to.include({ valid: true, events: 1, invalid: 0 });
    });

    it("a missing file: a clear message on stderr, exit 1 (and a JSON error with --json)", async () => {
      const missing = join(dir, "nope.json");
      expect(await cli(["validate", missing])).to.deep.equal({ code: 1, out: [], err: [`quantm-events validate: cannot read '${missing}': no such file`] });
      const json = await cli(["validate", missing, "--json"]);
      expect(json.code).to.equal(1);
      expect(JSON.parse(json.out[0]!)).to.deep.equal({ valid: false, error: `cannot read '${missing}': no such file` });
      expect((await cli(["validate", dir])).err[0]).to.equal(`quantm-events validate: cannot read '${dir}': it is a directory`);
    });

    it("empty input, non-object JSON and garbage: exit 1 with a message, never a stack trace", async () => {
      const empty = await cli(["validate", "-"], "  \n");
      expect(empty).to.deep.equal({ code: 1, out: [], err: ["quantm-events validate: no event in the input (it is empty)"] });
      for (const text of ["[1, 2]", "null", "\u0000\u0001binary", '{"__proto__": {"x": 1}}']) {
        const run = await cli(["validate", "-"], text);
        expect(run.code, text).to.equal(1);
        expect(run.out.at(-1)).to.match(/^invalid: 1 of 1 event/);
        expect(run.out.join("\n")).to.not.match(/\n\s+at /);
      }
    });

    it("bad usage: exit 2 with the usage text; --help: exit 0", async () => {
      const unknown = await cli(["validate", "--strikt"]);
      expect(unknown.code).to.equal(2);
      expect(unknown.err[0]).to.equal("quantm-events validate: unknown option '--strikt'");
      expect(unknown.err.join("\n")).to.contain("usage: quantm-events validate [FILE|-] [--strict] [--json]");
      expect((await cli(["validate", "a.json", "b.json"])).code).to.equal(2);
      const help = await cli(["validate", "--help"]);
      expect(help.code).to.equal(0);
      expect(help.out[0]).to.equal("usage: quantm-events validate [FILE|-] [--strict] [--json]");
    });
  });

  describe("as a real process (node bin/quantm-events.js, built dist/)", () => {
    before(function () {
      if (!existsSync(join(ROOT, "dist/cli/commands/validate.js"))) {
        throw new Error("dist/cli/commands/validate.js is missing: run `npm run build` first (npm test does it)");
      }
    });

    function run(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        const child = execFile(process.execPath, [join(ROOT, "bin/quantm-events.js"), ...args], { cwd: dir, timeout: 15_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
        child.stdin!.end(stdin ?? "");
      });
    }

    it("exit 0 for a valid file, 1 with PATH: MESSAGE lines for JSON Lines with problems", async () => {
      const ok = await run(["validate", file("ok.json", JSON.stringify(validEvent()))]);
      expect(ok).to.deep.equal({ code: 0, stdout: "valid: 1 event\n", stderr: "" });
      const bad = await run(["validate", "-"], `${JSON.stringify(validEvent())}\n${JSON.stringify({ ...validEvent(), id: "x" })}\n`);
      expect(bad.code).to.equal(1);
      expect(bad.stdout).to.equal('line 2: $.id: Missing or invalid event ID (expected a UUID v7, got the string "x")\ninvalid: 1 of 2 events, 1 problem\n');
    });

    it("a missing file and a binary file: exit 1, one line, no stack trace", async () => {
      const missing = await run(["validate", "missing.json"]);
      expect(missing).to.deep.equal({ code: 1, stdout: "", stderr: "quantm-events validate: cannot read 'missing.json': no such file\n" });
      const binary = await run(["validate", file("bin.dat", "\u0000\u00ff{[".repeat(100))]);
      expect(binary.code).to.equal(1);
      expect(binary.stdout + binary.stderr).to.not.match(/\s+at /);
    });

    it("--strict --json on the primer's example", async () => {
      const res = await run(["validate", "--strict", "--json", file("primer.json", PRIMER_EXAMPLE_JSON)]);
      expect(res.code).to.equal(1);
      const report = JSON.parse(res.stdout);
      expect(report.results[0].errors.map((e: { path: string }) => e.path)).to.deep.equal(["$.id", "$.context.timestamp"]);
    });
  });
});
