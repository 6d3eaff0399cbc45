// Is a TCP port free on the stack's address, and if not, who holds it?
//
// Freedom is tested by binding (the only answer that cannot be wrong). The holder is looked up in
// /proc (Linux, no external tool), then with `ss -ltnp`, then `lsof`; any of them may be missing or
// see nothing for another user's process, so the answer is optional.
import { execFile } from "node:child_process";
import { readdir, readFile, readlink } from "node:fs/promises";
import { createServer } from "node:net";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE" || err.code === "EACCES") resolvePromise(false);
      else reject(err);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolvePromise(true));
    });
  });
}

export interface PortOwner {
  pid: number;
  /** The program name (comm), e.g. "node". */
  name: string;
  /** The full command line when readable. */
  command?: string;
}

export function describeOwner(owner: PortOwner | undefined): string {
  if (owner === undefined) return "a process this user cannot see";
  const cmd = owner.command ? `: ${owner.command.length > 120 ? owner.command.slice(0, 117) + "..." : owner.command}` : "";
  return `pid ${owner.pid} (${owner.name})${cmd}`;
}

/** Socket inodes of TCP listeners on `port`, from /proc/net/tcp and tcp6. */
async function listenerInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      const state = cols[3];
      const inode = cols[9];
      // state 0A = LISTEN
      if (local?.endsWith(`:${hexPort}`) && state === "0A" && inode !== undefined && inode !== "0") inodes.add(inode);
    }
  }
  return inodes;
}

async function describePid(pid: number): Promise<PortOwner> {
  let name = "?";
  let command: string | undefined;
  try {
    name = (await readFile(`/proc/${pid}/comm`, "utf8")).trim();
  } catch {
    /* gone or hidden */
  }
  try {
    command = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").filter(Boolean).join(" ") || undefined;
  } catch {
    /* gone or hidden */
  }
  return command === undefined ? { pid, name } : { pid, name, command };
}

async function ownerFromProc(port: number): Promise<PortOwner | undefined> {
  const inodes = await listenerInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = (await readdir("/proc")).filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = await readlink(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m?.[1] !== undefined && inodes.has(m[1])) return describePid(Number(pid));
    }
  }
  return undefined;
}

async function ownerFromSs(port: number): Promise<PortOwner | undefined> {
  try {
    const { stdout } = await execFileAsync("ss", ["-ltnpH", `sport = :${port}`], { timeout: 3000 });
    const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(stdout);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      const owner = await describePid(Number(m[2]));
      return { ...owner, name: m[1] };
    }
  } catch {
    /* no ss, or not allowed */
  }
  return undefined;
}

async function ownerFromLsof(port: number): Promise<PortOwner | undefined> {
  try {
    const { stdout } = await execFileAsync("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fpc"], { timeout: 3000 });
    const pid = /^p(\d+)$/m.exec(stdout)?.[1];
    const name = /^c(.+)$/m.exec(stdout)?.[1];
    if (pid !== undefined) {
      const owner = await describePid(Number(pid));
      return name === undefined ? owner : { ...owner, name };
    }
  } catch {
    /* no lsof, or not allowed */
  }
  return undefined;
}

/** Who listens on `port`, if this user can tell. */
export async function findPortOwner(port: number): Promise<PortOwner | undefined> {
  return (await ownerFromProc(port)) ?? (await ownerFromSs(port)) ?? (await ownerFromLsof(port));
}
