// The secrets file: refused unless a regular file of the user's that no one else may read or write (as ssh
// refuses a private key); a YAML or JSON map whose every value is the string written; its text never
// appears in a message.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CliError } from '../../../src/cli/exit';
import { readSecretsFile, type SecretsFileHost } from '../../../src/cli/secrets-file';
import type { Workstation } from '../../../src/remote/platform';

const linux: Workstation = { platform: 'linux', env: {}, homeDir: '/home/u', username: 'u' };
const uid = process.getuid!();

describe('cli/secrets-file', () => {
  let dir = '';
  const file = (name: string, text: string, mode = 0o600) => {
    const p = path.join(dir, name);
    writeFileSync(p, text, { mode });
    chmodSync(p, mode);
    return p;
  };
  const read = (p: string, host: SecretsFileHost = { workstation: linux, uid }) => readSecretsFile(p, host);
  const refusal = (p: string, host: SecretsFileHost = { workstation: linux, uid }): string => {
    try {
      read(p, host);
    } catch (error) {
      assert.ok(error instanceof CliError);
      assert.equal(error.status, 2);
      return error.message;
    }
    assert.fail('the file was accepted');
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gc-secrets-file-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads YAML and JSON maps; every value is the string as written; the sudo password has its own key', () => {
    const yaml = file(
      's.yaml',
      'a: 0123\nb: yes\nc: "x: y"\n"@sudo-password": 1.50\nd: |\n  multi\n  line\n',
    );
    assert.deepEqual(
      [...read(yaml)],
      [
        ['a', '0123'],
        ['b', 'yes'],
        ['c', 'x: y'],
        ['@sudo-password', '1.50'],
        ['d', 'multi\nline\n'],
      ],
    );
    const json = file('s.json', JSON.stringify({ 'lab-manager-password': `p$(id)'"\\`, n: 5 }));
    assert.deepEqual(
      [...read(json)],
      [
        ['lab-manager-password', `p$(id)'"\\`],
        ['n', '5'],
      ],
    );
    assert.deepEqual([...read(file('empty.yaml', '# nothing yet\n'))], []);
  });

  it('refuses a file others may read or write, another user’s file, a directory, a missing file', () => {
    for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602]) {
      assert.match(
        refusal(file(`m${mode.toString(8)}`, 'a: b\n', mode)),
        new RegExp(
          `is refused: its permissions 0${mode.toString(8)} let others read or change it; run chmod 600`,
        ),
      );
    }
    assert.deepEqual([...read(file('m400', 'a: b\n', 0o400))], [['a', 'b']]);
    assert.match(
      refusal(file('theirs', 'a: b\n'), { workstation: linux, uid: uid + 1 }),
      /belongs to user id \d+, not to you/,
    );
    mkdirSync(path.join(dir, 'folder'));
    assert.match(refusal(path.join(dir, 'folder')), /is refused: it is not a regular file/);
    assert.match(refusal(path.join(dir, 'missing')), /is refused: cannot open it \(ENOENT\)/);
    // A link to a private file is that file (as ssh reads a key through a link).
    symlinkSync(file('target', 'a: b\n'), path.join(dir, 'link'));
    assert.deepEqual([...read(path.join(dir, 'link'))], [['a', 'b']]);
    // Windows: access is by ACL, which a mode cannot tell.
    const windows: Workstation = { ...linux, platform: 'win32' };
    assert.deepEqual(
      [...read(file('w', 'a: b\n', 0o644), { workstation: windows, uid: undefined })],
      [['a', 'b']],
    );
  });

  it('never repeats the file’s text: parse errors name the line, bad keys and values are not quoted', () => {
    const secret = 'Sup3r-S3cret-value';
    const cases: Array<[string, RegExp]> = [
      [`a: "${secret}\nb: c\n`, /not a YAML or JSON map \(\w+ at line \d\)/],
      [`{"a": "${secret}", "a": "x"}`, /not a YAML or JSON map \(DUPLICATE_KEY at line 1\)/],
      [`${secret}\n`, /must be a map from secret names to values/],
      [`- ${secret}\n`, /must be a map from secret names to values/],
      [`"${secret} with spaces": x\n`, /the key at line 1 is not a secret name/],
      [`a:\n  nested: ${secret}\n`, /the value of "a" at line 2 is not a single string/],
      [`a: [${secret}]\n`, /the value of "a" at line 1 is not a single string/],
    ];
    cases.forEach(([text, expected], i) => {
      const message = refusal(file(`bad${i}`, text));
      assert.match(message, expected);
      assert.ok(!message.includes(secret), message);
    });
  });
});
