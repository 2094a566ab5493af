// The secrets file (--secrets-file or $GATEWAY_CLUSTER_SECRETS_FILE): a YAML or JSON map from the names the
// spec gives its secrets to their values. Refused, as ssh refuses a private key, unless it is a regular file
// of the user's that no one else may read or write. Its text never reaches a message: parse errors name the
// line only (a YAML error would quote the line, and the line holds a secret).
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { SECRET_NAME, SUDO_PASSWORD_REF } from '../clusters/secrets';
import { keyFileTooOpen, type Workstation } from '../remote/platform';
import { CliError, EXIT } from './exit';

export const SECRETS_FILE_ENV = 'GATEWAY_CLUSTER_SECRETS_FILE';

/** The key under which the file may hold the sudo password (no spec name can be it). */
export const SUDO_PASSWORD_KEY = SUDO_PASSWORD_REF;

const MAX_BYTES = 1024 * 1024;

export interface SecretsFileHost {
  workstation: Workstation;
  /** The user's id on POSIX (process.getuid); undefined on Windows. */
  uid: number | undefined;
}

/** The file's map of secret names to values; throws CliError (exit 2) when it is refused. */
export function readSecretsFile(
  file: string,
  host: SecretsFileHost,
  /** Keys beside the spec's names (`@sudo-password`; adopt's `@ssh-password`, before any spec names one). */
  specialKeys: readonly string[] = [SUDO_PASSWORD_KEY],
): Map<string, string> {
  const refuse = (why: string) => new CliError(EXIT.usage, `the secrets file ${file} is refused: ${why}`);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw refuse(`cannot open it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let text: string;
  try {
    // The checks and the read are on the same open file, so it cannot be swapped in between.
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw refuse('it is not a regular file');
    if (host.uid !== undefined && stat.uid !== host.uid)
      throw refuse(`it belongs to user id ${stat.uid}, not to you (${host.uid})`);
    if (keyFileTooOpen(stat.mode, host.workstation)) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw refuse(`its permissions ${mode} let others read or change it; run chmod 600 ${file}`);
    }
    if (stat.size > MAX_BYTES) throw refuse('it is larger than 1 MB');
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  return parseSecrets(text, refuse, specialKeys);
}

function parseSecrets(
  text: string,
  refuse: (why: string) => CliError,
  specialKeys: readonly string[],
): Map<string, string> {
  const lines = new LineCounter();
  // failsafe: every scalar is the string written (a password 0123 stays "0123", yes stays "yes").
  const doc = parseDocument(text, {
    schema: 'failsafe',
    uniqueKeys: true,
    prettyErrors: false,
    lineCounter: lines,
  });
  const error = doc.errors[0];
  if (error) {
    throw refuse(`it is not a YAML or JSON map (${error.code} at line ${lines.linePos(error.pos[0]).line})`);
  }
  const values = new Map<string, string>();
  if (doc.contents === null) return values;
  if (!isMap(doc.contents)) throw refuse('it must be a map from secret names to values');
  for (const item of doc.contents.items) {
    const at = (node: unknown) => {
      const offset = (node as { range?: [number] } | null)?.range?.[0];
      return offset === undefined ? '' : ` at line ${lines.linePos(offset).line}`;
    };
    const name = isScalar(item.key) ? item.key.value : undefined;
    // A key that is no secret name is not repeated: it may be a value written in the wrong place.
    if (typeof name !== 'string' || (!specialKeys.includes(name) && !SECRET_NAME.test(name)))
      throw refuse(
        `the key${at(item.key)} is not a secret name (1–128 of A-Za-z0-9._-, or ${specialKeys.join(', ')})`,
      );
    if (!isScalar(item.value) || typeof item.value.value !== 'string')
      throw refuse(`the value of "${name}"${at(item.value ?? item.key)} is not a single string`);
    values.set(name, item.value.value);
  }
  return values;
}
