// The other half of the hostile-value corpus: whatever an encoder accepts is read back by the real /bin/sh as
// exactly itself, with no side effect; what it cannot encode faithfully it refuses, never passes along.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { hostsLine, shellAssignment, shellQuote, withAssignments } from '../../../src/encode';
import { HOSTILE_VALUES } from '../../support/hostile-values';

const hasControl = (v: string) => [...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

describe('encode: the hostile-value corpus through the real /bin/sh', () => {
  let dir: string;
  let canary: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gc-hostile-'));
    canary = path.join(dir, 'pwned');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // The corpus' commands touch /tmp/pwned or reboot: aimed at a canary file here instead.
  const aimed = (value: string) =>
    value.replaceAll('/tmp/pwned', canary).replaceAll('reboot', `touch ${canary}`);

  for (const { name, value: raw } of HOSTILE_VALUES) {
    const value = aimed(raw);
    it(`a shell word: ${name}`, () => {
      if (value.includes('\u0000')) {
        // No shell word can carry NUL (the kernel ends argv strings there): refused, not cut.
        assert.throws(() => shellQuote(value));
        return;
      }
      const out = execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' });
      assert.equal(out, value);
      assert.ok(!existsSync(canary), 'the value ran');
    });

    it(`a sourced env-file line: ${name}`, () => {
      if (hasControl(value)) {
        assert.throws(() => shellAssignment('HTTP_PROXY', value), /control character/);
        return;
      }
      const file = path.join(dir, 'containerd-env');
      writeFileSync(file, withAssignments('ulimit -n 65536\n', [['HTTP_PROXY', value]], ['HTTP_PROXY']));
      // As MicroK8s reads it: `set -a; . FILE`.
      const out = execFileSync('/bin/sh', ['-c', `set -a; . "$1"; printf %s "$HTTP_PROXY"`, 'sh', file], {
        encoding: 'utf8',
      });
      assert.equal(out, value);
      assert.ok(!existsSync(canary), 'the value ran');
    });

    it(`an /etc/hosts line refuses it: ${name}`, () => {
      assert.throws(() => hostsLine('10.0.0.1', value));
      assert.throws(() => hostsLine(value, 'gw-1'));
    });
  }
});
