// The real `haproxy -c` (Debian 12's 2.6, installed by scripts/ensure-tools.ts) accepts every configuration
// the generator makes from the corpus (test/support/haproxy-corpus.ts), and rejects what the product must
// never install, with the line it names.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateText } from '../../../src/cluster-spec';
import { haproxyConfig } from '../../../src/ops/haproxy/config';
import { parseCheckOutput } from '../../../src/ops/haproxy/runtime-api';
import { HAPROXY_CORPUS } from '../../support/haproxy-corpus';

function check(text: string, dir: string, name: string): { code: number | null; output: string } {
  const file = join(dir, `${name}.cfg`);
  writeFileSync(file, text);
  const result = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('haproxy -c on every generated configuration (real haproxy 2.6)', () => {
  let dir: string;
  let caFile: string;
  before(() => {
    const version = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
    assert.equal(version.status, 0, 'haproxy is installed (npx tsx scripts/ensure-tools.ts)');
    assert.match(version.stdout, /HAProxy version 2\.6\./);
    dir = mkdtempSync(join(tmpdir(), 'gc-haproxy-'));
    caFile = join(dir, 'gateway-ca.pem');
    // The lab's CA would do as well; any PEM certificate is what ca-file needs to load.
    const ca = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'ca.key'),
      '-out',
      caFile,
      '-days',
      '1',
      '-subj',
      '/CN=corpus-ca',
    ]);
    assert.equal(ca.status, 0, String(ca.stderr));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const { name, spec } of HAPROXY_CORPUS) {
    it(`${name}: Configuration file is valid`, () => {
      const model = validateText(spec.replace('/etc/haproxy/gateway-ca.pem', caFile), 'c.yaml', {
        offline: true,
      }).documents[0]!.model!;
      const { code, output } = check(haproxyConfig(model).text, dir, name);
      assert.equal(code, 0, output);
      assert.match(output, /Configuration file is valid/);
      assert.ok(!/\[WARNING\]/.test(output), `no warnings: ${output}`);
    });
  }

  it('a broken line fails with exit 1 and its line number, as configure-lb reports it', () => {
    const model = validateText(
      HAPROXY_CORPUS[0]!.spec.replace('/etc/haproxy/gateway-ca.pem', caFile),
      'c.yaml',
      {
        offline: true,
      },
    ).documents[0]!.model!;
    const lines = haproxyConfig(model).text.split('\n');
    const at = lines.findIndex((l) => l.includes('server mgw-1'));
    lines[at] = lines[at]!.replace('check-sni', 'chek-sni');
    const { code, output } = check(lines.join('\n'), dir, 'broken');
    assert.equal(code, 1);
    const problems = parseCheckOutput(output);
    assert.equal(problems[0]?.line, at + 1, output);
    assert.match(problems[0]?.message ?? '', /unknown keyword 'chek-sni'/);
  });

  it('a missing CA file fails the check: configure-lb never installs a file haproxy cannot load', () => {
    const model = validateText(
      HAPROXY_CORPUS[0]!.spec.replace('/etc/haproxy/gateway-ca.pem', join(dir, 'none.pem')),
      'c.yaml',
      {
        offline: true,
      },
    ).documents[0]!.model!;
    const { code, output } = check(haproxyConfig(model).text, dir, 'no-ca');
    assert.equal(code, 1);
    assert.match(output, /unable to load|Couldn't open the ca-file/);
  });
});
