// Reads a V8 .cpuprofile (from `node --cpu-prof` or the inspector's Profiler.stop) and sums self
// time per function and per package, so that "where the time goes" is a short table.
//
//   node --import tsx bench/profile-summary.ts FILE.cpuprofile [TOP]
import { readFileSync } from "node:fs";
import { isMain } from "./harness.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time per function (`name file:line`), largest first. */
  functions: SelfTime[];
  /** Self time per package or area (an npm package, this package's lib/<folder>, node, GC, idle). */
  areas: SelfTime[];
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  // Native code (a C++ binding, a builtin) is charged to the nearest JavaScript caller's area, so
  // that e.g. crypto.getRandomValues under uuid counts as uuid's.
  const jsCaller = (id: number): ProfileNode["callFrame"] | undefined => {
    for (let p = parentOf.get(id); p !== undefined; p = parentOf.get(p)) {
      const frame = byId.get(p)!.callFrame;
      if (frame.url !== "" && !frame.url.startsWith("node:")) return frame;
    }
    return undefined;
  };
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time before sample i; the sample's own duration is the next delta.
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, dt));
  }
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    total += us;
    const special = frame.url === "" && /^\((garbage collector|idle|program|root)\)$/.test(frame.functionName);
    const caller = frame.url === "" || frame.url.startsWith("node:") ? (special ? undefined : jsCaller(id)) : undefined;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName || "(anonymous)"} ${where}${caller ? ` (from ${caller.functionName || "(anonymous)"} ${shortUrl(caller.url)})` : ""}`.replace(/\s+/g, " ").trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
    const area = caller ? areaOf(caller) : areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const rank = (m: Map<string, number>): SelfTime[] =>
    [...m.entries()].map(([name, us]) => ({ name, ms: us / 1000, share: total > 0 ? us / total : 0 })).sort((a, b) => b.ms - a.ms);
  return { totalMs: total / 1000, functions: rank(fns), areas: rank(areas) };
}

function shortUrl(url: string): string {
  if (url === "") return "";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + "node_modules/".length);
  const lib = url.search(/\/(lib|bench)\//);
  if (lib >= 0) return url.slice(lib + 1);
  return url.replace(/^file:\/\//, "");
}

function areaOf(frame: ProfileNode["callFrame"]): string {
  const name = frame.functionName;
  const url = frame.url;
  if (url === "") {
    if (name === "(garbage collector)") return "GC";
    if (name === "(idle)") return "idle";
    if (name === "(program)") return "(program: V8/native)";
    return `native: ${name || "(anonymous)"}`;
  }
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return "node core";
  const m = /\/(lib|bench)\/([^/]+)/.exec(url);
  if (m) return `${m[1]}/${m[2]!.replace(/\.ts$/, "")}`;
  return url;
}

export function formatSummary(s: ProfileSummary, top = 20): string {
  const pct = (x: number): string => (100 * x).toFixed(1).padStart(5) + "%";
  const lines = [`total sampled: ${s.totalMs.toFixed(0)} ms`, "", "self time by area:"];
  for (const a of s.areas.slice(0, 12)) lines.push(`  ${pct(a.share)}  ${a.ms.toFixed(0).padStart(6)} ms  ${a.name}`);
  lines.push("", `top ${top} functions by self time:`);
  for (const f of s.functions.slice(0, top)) lines.push(`  ${pct(f.share)}  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`);
  return lines.join("\n");
}

if (isMain(import.meta.url)) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error("usage: node --import tsx bench/profile-summary.ts FILE.cpuprofile [TOP]");
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  console.log(formatSummary(summarizeProfile(profile), Number(process.argv[3] ?? 20)));
}
