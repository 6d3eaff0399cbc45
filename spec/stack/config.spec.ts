// lib/stack pieces that need no running stack: cache location and key, the missing-Go error, and
// naming a port's owner.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { cacheKey } from "../../lib/stack/build.js";
import { PROGRAMS, StackError, cacheDir, ensureBinary, packageRoot, stackPaths, stateDir } from "../../lib/stack/index.js";
import { withLock } from "../../lib/stack/lock.js";
import { describeOwner, findPortOwner, isPortFree } from "../../lib/stack/ports.js";

const jaeger = PROGRAMS.find((p) => p.name === "jaeger");
if (jaeger === undefined) throw new Error("no jaeger program");

describe("lib/stack configuration", function () {
  it("keeps binaries in $QUANTM_STACK_CACHE, else $XDG_CACHE_HOME/quantm-events, else ~/.cache/quantm-events", function () {
    expect(cacheDir({ QUANTM_STACK_CACHE: "/tmp/qc", XDG_CACHE_HOME: "/x" })).to.equal("/tmp/qc");
    expect(cacheDir({ XDG_CACHE_HOME: "/x" })).to.equal("/x/quantm-events");
    expect(cacheDir({})).to.equal(join(homedir(), ".cache", "quantm-events"));
    expect(stateDir({ QUANTM_STACK_CACHE: "/tmp/qc" })).to.equal("/tmp/qc/run");
    expect(stateDir({ QUANTM_STACK_CACHE: "/tmp/qc", QUANTM_STACK_STATE: "/tmp/qs" })).to.equal("/tmp/qs");
    expect(stackPaths({ QUANTM_STACK_STATE: "/tmp/qs" }).victoriaLogsData).to.equal("/tmp/qs/victoria-logs-data");
  });

  it("keys a binary by its wrapper module: the same pins give the same key, a changed go.sum another", function () {
    const root = packageRoot();
    const copy = mkdtempSync(join(tmpdir(), "quantm-stack-key-"));
    try {
      cpSync(join(root, jaeger.build.moduleDir), join(copy, jaeger.build.moduleDir), { recursive: true });
      expect(cacheKey(jaeger.build, copy)).to.equal(cacheKey(jaeger.build, root));
      writeFileSync(join(copy, jaeger.build.moduleDir, "go.sum"), "changed\n", { flag: "a" });
      expect(cacheKey(jaeger.build, copy)).to.not.equal(cacheKey(jaeger.build, root));
      expect(cacheKey(jaeger.build, root)).to.match(/^[0-9a-f]{16}$/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("without Go and without a cached binary, says so and points to docker compose", async function () {
    const emptyCache = mkdtempSync(join(tmpdir(), "quantm-stack-cache-"));
    try {
      const env = { ...process.env, QUANTM_STACK_CACHE: emptyCache, PATH: "/nonexistent" };
      let error: unknown;
      try {
        await ensureBinary(jaeger.build, { env });
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(StackError);
      const e = error as StackError;
      expect(e.code).to.equal("no-go");
      expect(e.message).to.include("the 'go' command was not found");
      expect(e.message).to.include(`${emptyCache}/bin/jaeger-`);
      expect(e.message).to.include("docker compose up -d");
    } finally {
      rmSync(emptyCache, { recursive: true, force: true });
    }
  });

  it("runs one `up`/`down` at a time: a second caller waits for the first; a dead holder's lock is taken over", async function () {
    const dir = mkdtempSync(join(tmpdir(), "quantm-stack-lock-"));
    const lock = join(dir, "lock");
    try {
      const events: string[] = [];
      let waitedFor: number | undefined;
      const first = withLock(lock, async () => {
        events.push("first in");
        await new Promise((r) => setTimeout(r, 300));
        events.push("first out");
      });
      const second = withLock(lock, async () => void events.push("second in"), (pid) => (waitedFor = pid));
      await Promise.all([first, second]);
      expect(events).to.deep.equal(["first in", "first out", "second in"]);
      expect(waitedFor).to.equal(process.pid);
      expect(existsSync(lock)).to.equal(false);

      const dead = spawnSync(process.execPath, ["-e", ""]).pid;
      writeFileSync(lock, String(dead));
      let waited = false;
      expect(await withLock(lock, async () => "ran", () => (waited = true))).to.equal("ran");
      expect(waited).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the process holding a port", async function () {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no port");
      expect(await isPortFree(address.port, "127.0.0.1")).to.equal(false);
      const owner = await findPortOwner(address.port);
      expect(owner?.pid).to.equal(process.pid);
      expect(describeOwner(owner)).to.match(new RegExp(`^pid ${process.pid} \\(\\S+\\): .*node`));
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
