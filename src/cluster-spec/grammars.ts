// The grammars of the values that reach a node, in one place: the rules report them (GC141, GC170, GC171),
// and the operations check a model against them again before any step runs.
import semverValid from 'semver/functions/valid';
import { isHostname, parseIPv4 } from './net';

/** The chart version: exactly a semantic version, nothing around it (semver alone would trim blanks). */
export function isChartVersion(text: string): boolean {
  return /^[0-9][0-9A-Za-z.+-]*$/.test(text) && semverValid(text) !== null;
}

/**
 * `oci://` + a registry (a host name or IPv4 address, an optional port) + repository path components as the
 * OCI distribution reference grammar has them (lowercase letters and digits, joined by `.`, `_`, `__` or `-`).
 */
export function isOciUrl(text: string): boolean {
  const match =
    /^oci:\/\/([^/:]+)(?::([1-9][0-9]{0,4}))?((?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*)\/?$/.exec(text);
  if (!match || text.length > 512) return false;
  const host = match[1] as string;
  if (!(/^[0-9.]+$/.test(host) ? parseIPv4(host) !== undefined : isHostname(host) && !host.endsWith('.')))
    return false;
  return match[2] === undefined || Number(match[2]) <= 65535;
}

/** NFS's MAXPATHLEN; the path goes to the storage chart as a Helm value, so `,` `=` and spaces have no place. */
export const NFS_PATH_MAX = 1024;

export function isExportPath(text: string): boolean {
  // Each name starts at its `/`: one way to match, no backtracking on long input.
  return text.length <= NFS_PATH_MAX && /^(?:\/[A-Za-z0-9._~+@-]{1,255})*\/?$/.test(text) && text !== '';
}

/** A path on a remote host that reaches its config or a command: absolute, plain names, at most 1,024 chars. */
export function isHostPath(text: string): boolean {
  return text.length <= 1024 && /^(?:\/[A-Za-z0-9._+@-]{1,255})+$/.test(text);
}

/** The path of an HTTP health check: `/` and plain URL path characters (it is an HAProxy config word). */
export function isCheckPath(text: string): boolean {
  return /^\/[A-Za-z0-9._~%/:@+=,?-]{0,255}$/.test(text);
}

/** An HAProxy proxy name (frontend, backend): letters, digits, `-`, `_`, `.`, `:`. */
export function isHaproxyName(text: string): boolean {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(text);
}

/** A value of the gateways' response file that is no secret (the GatewayGroup tag, the gateway user). */
export function isResponseWord(text: string): boolean {
  return /^[A-Za-z0-9._-]{1,64}$/.test(text);
}

/** The file name of a package uploaded to a host: plain characters, ending in `.rpm`. */
export function isPackageFileName(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._+-]{0,250}\.rpm$/.test(text);
}

/** Control and format characters (NUL, newline, zero-width and bidi marks) and shell metacharacters. */
export const NOT_IN_LOCAL_PATH = /[\p{Cc}\p{Cf}$`;&|<>'"*?]/u;
export const LOCAL_PATH_MAX = 4096;

/** A path on this machine (an identity file, a package): spaces and letters of any script, nothing a shell acts on. */
export function isLocalPath(text: string): boolean {
  return text.length > 0 && text.length <= LOCAL_PATH_MAX && !NOT_IN_LOCAL_PATH.test(text);
}
