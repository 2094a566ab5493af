// Known host keys, as OpenSSH reads them: the user's files (read-only: the CLI's --known-hosts files, then
// ~/.ssh/known_hosts) and then the product's own file (read-write: the keys the user accepted here).
import { createHash, createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { thisWorkstation, userKnownHostsFile } from './platform';

export interface KnownHostEntry {
  keyType: string;
  /** The key blob, base64 as in the file. */
  keyBase64: string;
  revoked: boolean;
  source: string;
  line: number;
}

export type HostKeyCheck =
  | { status: 'trusted' }
  | { status: 'unknown' }
  | { status: 'revoked' }
  | { status: 'changed'; knownFingerprints: string[] };

/** 'SHA256:...' of a key blob, base64 without padding, as `ssh-keygen -l` prints it. */
export function fingerprintOf(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

/** The name ssh looks up: the bare host for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Whether one host field (comma list, negations, wildcards or a hashed `|1|salt|hash`) matches the name. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  let matched = false;
  for (const raw of field.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (!globMatches(pattern.toLowerCase(), name.toLowerCase())) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function globMatches(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === name;
  const regex = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('') +
      '$',
  );
  return regex.test(name);
}

/** Parses known_hosts text into the entries for one host name. */
export function entriesFor(text: string, name: string, source: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]?.startsWith('@')) marker = fields.shift();
    const [hosts, keyType, keyBase64] = fields;
    if (!hosts || !keyType || !keyBase64) return;
    // Only @revoked concerns plain host keys: @cert-authority lines sign host certificates, which this client
    // does not use, and a marker we do not know is skipped, as OpenSSH does — never read as trust.
    if (marker !== undefined && marker !== '@revoked') return;
    if (!hostFieldMatches(hosts, name)) return;
    entries.push({ keyType, keyBase64, revoked: marker === '@revoked', source, line: index + 1 });
  });
  return entries;
}

/** Decides what to do with the key a server presented, given the known entries for its name. */
export function checkHostKey(entries: KnownHostEntry[], keyBlob: Buffer): HostKeyCheck {
  const presented = keyBlob.toString('base64');
  if (entries.some((e) => e.revoked && e.keyBase64 === presented)) return { status: 'revoked' };
  const valid = entries.filter((e) => !e.revoked);
  if (valid.some((e) => e.keyBase64 === presented)) return { status: 'trusted' };
  if (valid.length === 0) return { status: 'unknown' };
  // Any other key on record for this host means it changed: the type offered first is one we know
  // (see preferredKeyTypes), so a different key, even of another type, is never silently trusted.
  const knownFingerprints = [...new Set(valid.map((e) => fingerprintOf(Buffer.from(e.keyBase64, 'base64'))))];
  return { status: 'changed', knownFingerprints };
}

export interface KnownHostsOptions {
  /** The extension's own file (read-write). */
  ownFile: string;
  /**
   * The user's file, or several in the order they are read (all read-only); default ~/.ssh/known_hosts.
   * Null (or none) to ignore them.
   */
  userFile?: string | readonly string[] | null;
}

export class KnownHostsStore {
  readonly ownFile: string;
  readonly userFiles: readonly string[];

  constructor(options: KnownHostsOptions) {
    this.ownFile = options.ownFile;
    const user = options.userFile === undefined ? userKnownHostsFile(thisWorkstation()) : options.userFile;
    this.userFiles = user === null ? [] : typeof user === 'string' ? [user] : [...user];
  }

  /** Entries for host:port from every file; read fresh every time so edits by other tools count. */
  async lookup(host: string, port: number): Promise<KnownHostEntry[]> {
    const name = knownHostsName(host, port);
    const files = [...new Set([...this.userFiles, this.ownFile])];
    const texts = await Promise.all(files.map((file) => fs.readFile(file, 'utf8').catch(() => '')));
    return texts.flatMap((text, i) => entriesFor(text, name, files[i]!));
  }

  async check(host: string, port: number, keyBlob: Buffer): Promise<HostKeyCheck> {
    return checkHostKey(await this.lookup(host, port), keyBlob);
  }

  /**
   * A host's VM was replaced: `keyBlob` becomes its key in the extension's own file, and every other key on
   * record for it (in either file) is marked @revoked there, so the old VM is never trusted again. The
   * user's file is never written.
   */
  async replace(host: string, port: number, keyBlob: Buffer): Promise<void> {
    const name = knownHostsName(host, port);
    const presented = keyBlob.toString('base64');
    const old = (await this.lookup(host, port)).filter((e) => !e.revoked && e.keyBase64 !== presented);
    const existing = await fs.readFile(this.ownFile, 'utf8').catch(() => '');
    const kept = existing.split(/\r?\n/).filter((line) => {
      const fields = line.trim().split(/\s+/);
      if (fields[0] === '@revoked' || fields.length < 3) return line.trim() !== '';
      return !(hostFieldMatches(fields[0] ?? '', name) && fields[2] !== presented);
    });
    const revoked = old.map((e) => `@revoked ${name} ${e.keyType} ${e.keyBase64}`);
    const recorded = kept.some((line) => {
      const [hosts, , key] = line.trim().split(/\s+/);
      return hosts !== '@revoked' && hostFieldMatches(hosts ?? '', name) && key === presented;
    });
    const added = recorded ? [] : [`${name} ${keyTypeOf(keyBlob)} ${presented}`];
    await fs.mkdir(path.dirname(this.ownFile), { recursive: true, mode: 0o700 });
    const text = [...kept, ...revoked.filter((r) => !kept.includes(r)), ...added].join('\n') + '\n';
    const temporary = `${this.ownFile}.${process.pid}.tmp`;
    await fs.writeFile(temporary, text, { mode: 0o600 });
    await fs.rename(temporary, this.ownFile);
  }

  /** The entries the extension's own file holds for host:port (revoked ones included). */
  async recorded(host: string, port: number): Promise<KnownHostEntry[]> {
    const text = await fs.readFile(this.ownFile, 'utf8').catch(() => '');
    return entriesFor(text, knownHostsName(host, port), this.ownFile);
  }

  /** Removes every line of the extension's own file for host:port (the user's files are never written). */
  async forget(host: string, port: number): Promise<number> {
    const name = knownHostsName(host, port);
    const existing = await fs.readFile(this.ownFile, 'utf8').catch(() => undefined);
    if (existing === undefined) return 0;
    let removed = 0;
    const kept = existing.split(/\r?\n/).filter((line) => {
      const fields = line.trim().split(/\s+/);
      const hosts = fields[0] === '@revoked' ? fields[1] : fields[0];
      const matches =
        line.trim() !== '' && !line.trim().startsWith('#') && hostFieldMatches(hosts ?? '', name);
      if (matches) removed++;
      return !matches && line.trim() !== '';
    });
    if (removed === 0) return 0;
    const temporary = `${this.ownFile}.${process.pid}.tmp`;
    await fs.writeFile(temporary, kept.length ? `${kept.join('\n')}\n` : '', { mode: 0o600 });
    await fs.rename(temporary, this.ownFile);
    return removed;
  }

  /**
   * Records an accepted key in the extension's own file (never in the user's), once: connections that shared
   * one answer each record it, one after the other.
   */
  add(host: string, port: number, keyBlob: Buffer): Promise<void> {
    const file = this.ownFile;
    const previous = appending.get(file) ?? Promise.resolve();
    const done = previous.then(() => this.append(host, port, keyBlob));
    const settled = done.catch(() => undefined);
    appending.set(file, settled);
    void settled.then(() => {
      if (appending.get(file) === settled) appending.delete(file);
    });
    return done;
  }

  private async append(host: string, port: number, keyBlob: Buffer): Promise<void> {
    const name = knownHostsName(host, port);
    const presented = keyBlob.toString('base64');
    await fs.mkdir(path.dirname(this.ownFile), { recursive: true, mode: 0o700 });
    const existing = await fs.readFile(this.ownFile, 'utf8').catch(() => '');
    if (entriesFor(existing, name, this.ownFile).some((e) => !e.revoked && e.keyBase64 === presented)) return;
    const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
    await fs.appendFile(this.ownFile, `${prefix}${name} ${keyTypeOf(keyBlob)} ${presented}\n`, {
      mode: 0o600,
    });
  }
}

/** The write under way to each own file, so that two records of the same key never interleave. */
const appending = new Map<string, Promise<void>>();
