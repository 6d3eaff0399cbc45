// Version rules (primer "Versioning"): an event of the library's MAJOR version is read whatever its
// MINOR/PATCH (MINOR versions only add attributes, which are preserved); another MAJOR is refused.
import { SCHEMA_VERSION } from "./model.js";
import { SEMVER } from "./formats.js";

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** The text after `-`, e.g. "rc.1"; absent for a release. */
  prerelease?: string;
}

/** Parses `MAJOR.MINOR.PATCH[-pre][+build]`; undefined when `text` is not a semantic version. */
export function parseVersion(text: string): SemVer | undefined {
  if (!SEMVER.test(text)) return undefined;
  const core = text.split(/[-+]/, 1)[0]!;
  const [major, minor, patch] = core.split(".").map(Number) as [number, number, number];
  const dash = text.indexOf("-");
  const plus = text.indexOf("+");
  const version: SemVer = { major, minor, patch };
  if (dash !== -1 && (plus === -1 || dash < plus)) version.prerelease = text.slice(dash + 1, plus === -1 ? undefined : plus);
  return version;
}

/** The MAJOR version this library reads (0 for the 0.x schema). */
export const LIBRARY_MAJOR: number = parseVersion(SCHEMA_VERSION)!.major;

/**
 * True when an event of version `eventVersion` can be read by a library that implements
 * `libraryVersion` (default: this library's SCHEMA_VERSION): both are semantic versions with the
 * same MAJOR. A newer MINOR is compatible by the primer's rules: its additions are kept as unknown
 * attributes.
 */
export function isCompatibleVersion(eventVersion: string, libraryVersion: string = SCHEMA_VERSION): boolean {
  const event = parseVersion(eventVersion);
  const library = parseVersion(libraryVersion);
  return event !== undefined && library !== undefined && event.major === library.major;
}

/** The MAJOR of a string already known to match SEMVER (digits up to the first dot). */
export function majorOf(semver: string): number {
  let major = 0;
  for (let i = 0; ; i++) {
    const digit = semver.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return major;
    major = major * 10 + digit;
  }
}
