// One `up` or `down` at a time per state folder: two terminals (or two spec runs) asking for the
// stack at once would otherwise both build, then race for the ports. The second waits for the
// first and then finds the stack running (and reuses it).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { isAlive, sleep } from "./process.js";

function holder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `fn` holding `file` (created exclusively, holding our pid). A lock whose holder is dead is
 * stale and taken over. `onWait` is told once when another process holds it.
 */
export async function withLock<T>(file: string, fn: () => Promise<T>, onWait?: (pid: number) => void): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  let told = false;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = holder(file);
      if (pid === undefined || !isAlive(pid)) {
        // Stale (holder gone) or torn (being written right now): remove only if still stale.
        await sleep(50);
        const again = holder(file);
        if (again === undefined || !isAlive(again)) rmSync(file, { force: true });
        continue;
      }
      if (!told) {
        onWait?.(pid);
        told = true;
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    if (holder(file) === process.pid) rmSync(file, { force: true });
  }
}
