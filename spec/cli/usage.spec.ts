// Exit status of every command, the convention grep, curl and POSIX utilities follow: 2 for a usage
// error (with the reason and the usage on stderr), 1 when the command ran and failed, 0 on success.
// In-process through main() (spec/cli/support.ts): a usage error returns before any service is
// contacted, and the failures below use a closed port, so none of this needs the local stack.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../../lib/cli/io.js";
import { cli, type CliRun } from "./support.js";

const UNREACHABLE = "http://127.0.0.1:9";
const EVENT_ID = "01900000-0000-7000-8000-000000000000";

/** A usage error: exit 2, `quantm-events <command>: <message>`, a blank line, the usage; nothing on stdout. */
function expectUsageError(run: CliRun, command: string, message: string | RegExp): void {
  expect(run.code, run.err.join("\n")).to.equal(EXIT_USAGE);
  expect(run.out).to.deep.equal([]);
  if (typeof message === "string") expect(run.err[0]).to.equal(`quantm-events ${command}: ${message}`);
  else expect(run.err[0]).to.match(message);
  // The message may take several lines (parseArgs explains an ambiguous value); then a blank line and the usage.
  const usageAt = run.err.findIndex((line) => line.startsWith(`usage: quantm-events ${command} `));
  expect(usageAt, "the usage follows").to.be.greaterThan(1);
  expect(run.err[usageAt - 1]).to.equal("");
  expect(run.err.join("\n")).to.not.match(/\n\s+at /);
}

describe("quantm-events exit status", () => {
  it("the constants: 0 success, 1 failure, 2 usage error", () => {
    expect([EXIT_OK, EXIT_FAILURE, EXIT_USAGE]).to.deep.equal([0, 1, 2]);
  });

  describe("the dispatcher", () => {
    it("no command: exit 2 with the command list on stderr", async () => {
      const run = await cli([]);
      expect(run.code).to.equal(2);
      expect(run.out).to.deep.equal([]);
      expect(run.err.slice(0, 3)).to.deep.equal(["quantm-events: no command given", "", "usage: quantm-events <command> [options]"]);
    });

    it("an unknown command: exit 2 with the command list", async () => {
      const run = await cli(["valdiate", "x.json"]);
      expect(run.code).to.equal(2);
      expect(run.err.slice(0, 3)).to.deep.equal(["quantm-events: unknown command 'valdiate'", "", "usage: quantm-events <command> [options]"]);
    });

    it("--help, -h and help: exit 0 with the command list on stdout", async () => {
      for (const argv of [["--help"], ["-h"], ["help"]]) {
        const run = await cli(argv);
        expect(run.code, argv[0]).to.equal(0);
        expect(run.out[0]).to.equal("usage: quantm-events <command> [options]");
        expect(run.out.join("\n")).to.contain("Exit status: 0 success; 1 failure");
      }
    });

    it("a real process exits with the status main() returns (2 for a usage error)", async function () {
      this.timeout(30_000);
      const main = new URL("../../lib/cli/main.ts", import.meta.url).href;
      const script = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(process.argv.slice(1));`;
      const root = fileURLToPath(new URL("../..", import.meta.url));
      const code = await new Promise<number>((resolve) => {
        execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, "logs", "--nope"], { cwd: root, timeout: 25_000 }, (err) => {
          resolve(err === null ? 0 : typeof err.code === "number" ? err.code : -1);
        });
      });
      expect(code).to.equal(2);
    });
  });

  describe("validate", () => {
    it("an unknown option: exit 2", async () => {
      expectUsageError(await cli(["validate", "--strikt"]), "validate", "unknown option '--strikt'");
    });
    it("two FILEs: exit 2; invalid input: exit 1", async () => {
      expectUsageError(await cli(["validate", "a.json", "b.json"]), "validate", "expected at most one FILE, got 'a.json' and 'b.json'");
      expect((await cli(["validate", "-"], "{}")).code).to.equal(1);
    });
  });

  describe("emit", () => {
    it("an unknown option: exit 2 (not a last-resort error)", async () => {
      expectUsageError(await cli(["emit", "--servcie", "x"]), "emit", /^quantm-events emit: Unknown option '--servcie'/);
    });
    it("an option without its value, or two FILEs: exit 2", async () => {
      expectUsageError(await cli(["emit", "--service"]), "emit", /^quantm-events emit: Option '--service <value>' argument missing/);
      expectUsageError(await cli(["emit", "a.json", "b.json"]), "emit", "expected at most one FILE, got 'a.json' and 'b.json'");
    });
    it("invalid input or an unreadable file: exit 1", async () => {
      const invalid = await cli(["emit", "-"], `{"version":"0.1.0","id":"nope"}`, { OTEL_EXPORTER_OTLP_ENDPOINT: UNREACHABLE });
      expect(invalid.code).to.equal(1);
      expect(invalid.err.join("\n")).to.contain("line 1: $.id: Missing or invalid event ID");
      const missing = await cli(["emit", "/nonexistent/events.json"]);
      expect(missing.code).to.equal(1);
      expect(missing.err).to.deep.equal(["quantm-events emit: cannot read /nonexistent/events.json: ENOENT"]);
    });
  });

  describe("lineage", () => {
    it("an unknown option: exit 2", async () => {
      expectUsageError(await cli(["lineage", EVENT_ID, "--jason"]), "lineage", /^quantm-events lineage: Unknown option '--jason'/);
    });
    it("no EVENT_ID, two of them, or one that is not a UUID: exit 2", async () => {
      expectUsageError(await cli(["lineage"]), "lineage", "expected one EVENT_ID, got none");
      expectUsageError(await cli(["lineage", EVENT_ID, EVENT_ID]), "lineage", `expected one EVENT_ID, got '${EVENT_ID}' '${EVENT_ID}'`);
      expectUsageError(await cli(["lineage", "abc"]), "lineage", "expected an event id (a UUID), got 'abc'");
    });
    it("Jaeger unreachable: exit 1 with a one-line reason", async () => {
      const run = await cli(["lineage", EVENT_ID, "--jaeger", UNREACHABLE, "--logs-url", UNREACHABLE]);
      expect(run.code).to.equal(1);
      expect(run.err.join("\n")).to.contain(`cannot reach Jaeger at ${UNREACHABLE}`).and.not.match(/\n\s+at /);
    });
  });

  describe("logs", () => {
    it("an unknown option: exit 2", async () => {
      expectUsageError(await cli(["logs", "--trcae", EVENT_ID]), "logs", /^quantm-events logs: Unknown option '--trcae'/);
    });
    it("none or two of --trace/--event/--query, a positional, a bad --limit: exit 2", async () => {
      expectUsageError(await cli(["logs"]), "logs", "expected exactly one of --trace, --event and --query, got 0");
      expectUsageError(await cli(["logs", "--trace", EVENT_ID, "--event", EVENT_ID]), "logs", "expected exactly one of --trace, --event and --query, got 2");
      expectUsageError(await cli(["logs", "--trace", EVENT_ID, "extra"]), "logs", "unexpected argument 'extra'");
      expectUsageError(await cli(["logs", "--trace", EVENT_ID, "--limit", "abc"]), "logs", "--limit: expected a positive integer, got 'abc'");
      expectUsageError(await cli(["logs", "--trace", EVENT_ID, "--limit", "0"]), "logs", "--limit: expected a positive integer, got '0'");
      expectUsageError(await cli(["logs", "--trace"]), "logs", /^quantm-events logs: Option '--trace <value>' argument missing/);
    });
    it("the log store unreachable: exit 1 with a one-line reason", async () => {
      const run = await cli(["logs", "--trace", EVENT_ID, "--logs-url", UNREACHABLE]);
      expect(run.code).to.equal(1);
      expect(run.err.join("\n")).to.contain(`cannot reach the log store at ${UNREACHABLE}`).and.not.match(/\n\s+at /);
    });
  });

  describe("demo", () => {
    it("an unknown option or an argument: exit 2, before touching the stack", async () => {
      expectUsageError(await cli(["demo", "--verbse"]), "demo", /^quantm-events demo: Unknown option '--verbse'/);
      expectUsageError(await cli(["demo", "now"]), "demo", /^quantm-events demo: Unexpected argument 'now'/);
    });
  });

  describe("stack", () => {
    it("an unknown option: exit 2, before touching the stack", async () => {
      expectUsageError(await cli(["stack", "status", "--jsno"]), "stack", /^quantm-events stack: Unknown option '--jsno'/);
    });
    it("no action or an unknown one, a bad --timeout: exit 2", async () => {
      expectUsageError(await cli(["stack"]), "stack", "expected one of up, down and status, got none");
      expectUsageError(await cli(["stack", "restart"]), "stack", "expected one of up, down and status, got 'restart'");
      expectUsageError(await cli(["stack", "up", "--timeout=-1"]), "stack", "--timeout takes a number of seconds, got '-1'");
      // parseArgs refuses a value that looks like an option: a usage error too.
      expectUsageError(await cli(["stack", "up", "--timeout", "-1"]), "stack", /^quantm-events stack: Option '--timeout' argument is ambiguous/);
      expectUsageError(await cli(["stack", "up", "--timeout", "soon"]), "stack", "--timeout takes a number of seconds, got 'soon'");
    });
  });
});
