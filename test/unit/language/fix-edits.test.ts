import assert from 'node:assert/strict';
import { applyEdits, insertIntoMapping, planFix } from '../../../src/language/core/fix-edits';
import { validateText } from '../../../src/cluster-spec';
import type { Finding } from '../../../src/cluster-spec/types';

const BROKEN = [
  'apiVersion: gateway-cluster/v1',
  'kind: GatewayCluster',
  'metadata:',
  '  name: dc1',
  'spec:',
  '  topology: ha',
  '  nodes:',
  '    - hostname: gw-1',
  '      address: 10.0.0.11',
  '      host: a',
  '    - hostname: gw-1',
  '      address: 10.0.0.11',
  '      host: b',
  '    - hostname: gw-3',
  '      address: 10.0.0.13',
  '      host: c',
  '  network:',
  '    subnet: 10.0.0.0/24',
  '    floatingIp: 10.0.0.5',
  '    metallbRange: 10.0.0.9/32',
  '    proxy:',
  '      http: http://proxy.example.com:3128',
  '  charts:',
  '    version: 0.9.6',
  '  gatewayManager:',
  '    password: "hunter 2"',
  '',
].join('\n');

function fixed(text: string, code: string): { text: string; plan: NonNullable<ReturnType<typeof planFix>> } {
  const result = validateText(text, 'cluster.yaml');
  const finding = result.findings.find((f) => f.code === code);
  assert.ok(finding, `${code} is reported`);
  const plan = planFix(text, finding, result.documents[0]);
  assert.ok(plan, `${code} has a fix`);
  return { text: applyEdits(text, plan.edits), plan };
}

function codes(text: string): string[] {
  return validateText(text, 'cluster.yaml').findings.map((f) => f.code);
}

describe('language: quick-fix edits', () => {
  it('GC101/GC103 replace the later duplicate with a free hostname and address', () => {
    const hostname = fixed(BROKEN, 'GC101');
    assert.ok(!codes(hostname.text).includes('GC101'));
    assert.match(hostname.text.split('\n')[10] ?? '', /^ {4}- hostname: gw-\d+$/);
    const address = fixed(BROKEN, 'GC103');
    assert.ok(!codes(address.text).includes('GC103'));
  });

  it('GC106 sets metallbRange to floatingIp/32', () => {
    const { text } = fixed(BROKEN, 'GC106');
    assert.equal(text.split('\n')[19], '    metallbRange: 10.0.0.5/32');
  });

  it('GC160 adds the missing proxy URL inside proxy', () => {
    const { text } = fixed(BROKEN, 'GC160');
    assert.deepEqual(text.split('\n').slice(20, 23), [
      '    proxy:',
      '      http: http://proxy.example.com:3128',
      '      https: http://proxy.example.com:3128',
    ]);
    assert.ok(!codes(text).includes('GC160'));
  });

  it('GC140 (missing field) inserts the field into spec at its indentation', () => {
    const { text } = fixed(BROKEN, 'GC140');
    assert.match(text, /\n {2}storage: /);
    assert.ok(!codes(text).includes('GC140'));
  });

  it('GC150 replaces the inline secret with the …Secret key and hands the value over', () => {
    const { text, plan } = fixed(BROKEN, 'GC150');
    assert.deepEqual(plan.secret, { name: 'dc1-manager-password', value: 'hunter 2' });
    assert.ok(!text.includes('hunter'), 'the value is gone from the text');
    assert.match(text, /\n {4}passwordSecret: dc1-manager-password\n/);
    assert.ok(!codes(text).includes('GC150'));
  });

  it('GC104 and GC107 move a node to the next free address in the subnet, outside the DHCP pool', () => {
    const outside = BROKEN.replace('      address: 10.0.0.13', '      address: 10.9.0.13');
    const gc104 = fixed(outside, 'GC104');
    assert.equal(gc104.text.split('\n')[14], '      address: 10.0.0.2');
    assert.ok(!codes(gc104.text).includes('GC104'));
    const pooled = outside
      .replace('      address: 10.9.0.13', '      address: 10.0.0.13')
      .replace('    subnet: 10.0.0.0/24', '    subnet: 10.0.0.0/24\n    dhcpRange: 10.0.0.13-10.0.0.20');
    const gc107 = fixed(pooled, 'GC107');
    assert.ok(!codes(gc107.text).includes('GC107'), codes(gc107.text).join());
    assert.equal(gc107.text.split('\n')[14], '      address: 10.0.0.2');
  });

  it('GC105 moves the floating IP off a node address; GC122 puts the node on a host of its own', () => {
    const clash = BROKEN.replace('    floatingIp: 10.0.0.5', '    floatingIp: 10.0.0.13');
    assert.ok(!codes(fixed(clash, 'GC105').text).includes('GC105'));
    const shared = BROKEN.replace('host: a', 'host: esxi-1')
      .replace('host: b', 'host: esxi-2')
      .replace('host: c', 'host: esxi-1');
    const { text } = fixed(shared, 'GC122');
    assert.equal(text.split('\n')[15], '      host: esxi-3');
    assert.ok(!codes(text).includes('GC122'));
  });

  it('GC120 adds a node with the next free hostname, address and host, in the list’s indentation', () => {
    const two = BROKEN.replace('host: a', 'host: esxi-1')
      .replace('host: c', 'host: esxi-3')
      .split('\n')
      .filter((_, i) => i < 10 || i > 12)
      .join('\n');
    const { text, plan } = fixed(two, 'GC120');
    assert.equal(plan.title, 'Add node gw-2 at 10.0.0.2 on esxi-2');
    assert.deepEqual(text.split('\n').slice(13, 16), [
      '    - hostname: gw-2',
      '      address: 10.0.0.2',
      '      host: esxi-2',
    ]);
    assert.ok(!codes(text).some((c) => ['GC120', 'GC123', 'GC122'].includes(c)), codes(text).join());
  });

  it('GC150 for proxy credentials: stores user:password decoded, writes the URL without them, adds credentialsSecret', () => {
    const inline = BROKEN.replace(
      'http://proxy.example.com:3128',
      'http://jo%40corp:p%3Ass@proxy.example.com:3128',
    );
    const result = validateText(inline, 'cluster.yaml');
    const finding = result.findings.find((f) => f.code === 'GC150' && f.path?.includes('proxy'));
    assert.ok(finding);
    const plan = planFix(inline, finding, result.documents[0]);
    assert.ok(plan);
    assert.deepEqual(plan.secret, { name: 'dc1-proxy-credentials', value: 'jo@corp:p:ss' });
    const text = applyEdits(inline, plan.edits);
    assert.deepEqual(text.split('\n').slice(20, 23), [
      '    proxy:',
      '      http: http://proxy.example.com:3128',
      '      credentialsSecret: dc1-proxy-credentials',
    ]);
    assert.ok(!text.includes('p%3Ass'));
  });

  it('GC010 renames the key', () => {
    const text = BROKEN.replace('  topology: ha', '  topolgy: ha');
    const result = validateText(text, 'cluster.yaml');
    const finding = result.findings.find((f) => f.code === 'GC010');
    assert.ok(finding);
    assert.deepEqual(finding.fix, { kind: 'renameKey', to: 'topology' });
    const plan = planFix(text, finding, result.documents[0]);
    assert.equal(applyEdits(text, plan?.edits ?? []), BROKEN);
  });

  it('GC012 inserts a missing node field after the item keys, and into flow mappings', () => {
    const finding: Finding = {
      code: 'GC012',
      severity: 'error',
      message: 'missing',
      range: { start: { line: 1, character: 4 }, end: { line: 1, character: 12 } },
      path: ['spec', 'nodes', 0],
      fix: { kind: 'insertField', key: 'address', placeholder: '10.0.0.11' },
    };
    const text = 'nodes:\n  - hostname: a\n    host: b\n  - hostname: c\n';
    assert.equal(
      applyEdits(text, planFix(text, finding, undefined)?.edits ?? []),
      'nodes:\n  - hostname: a\n    host: b\n    address: 10.0.0.11\n  - hostname: c\n',
    );
    const flow = insertIntoMapping('ssh: { user: a }\n', { line: 0, character: 0 }, 'port: 22');
    assert.equal(applyEdits('ssh: { user: a }\n', flow ? [flow] : []), 'ssh: { user: a, port: 22 }\n');
  });
});
