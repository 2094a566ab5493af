// Bad input: a seeded fuzz of 10,000 mutations, a 5 MB file and an alias bomb. Validation never throws,
// every range lies inside the document, and large or hostile input returns quickly with findings.
import assert from 'node:assert/strict';
import {
  EXAMPLE_HA_SPEC,
  EXAMPLE_SINGLE_NODE_SPEC,
  validateText,
  type Range,
} from '../../../src/cluster-spec';
import { prng } from '../../support/prng';

const REPLACEMENTS = [
  '[1, 2]',
  '{ a: 1 }',
  '123',
  '-1',
  '0',
  'null',
  '~',
  'true',
  '"text"',
  "''",
  '*nope',
  '&a x',
  '!!binary AA==',
  '|\n  block',
  '1.5e3',
  '[',
  '{',
  '"unterminated',
  '? complex',
  ': :',
];

function mutate(text: string, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let lines = text.split('\n');
  const steps = 1 + Math.floor(random() * 3);
  for (let step = 0; step < steps; step++) {
    const at = Math.floor(random() * lines.length);
    const line = lines[at] ?? '';
    switch (Math.floor(random() * 10)) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        lines.splice(at, 0, line);
        break;
      case 2: {
        const colon = line.indexOf(': ');
        if (colon >= 0) lines[at] = `${line.slice(0, colon + 2)}${pick(REPLACEMENTS)}`;
        break;
      }
      case 3: {
        const bytes = Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
          String.fromCharCode(Math.floor(random() * 0x3000)),
        );
        const cut = Math.floor(random() * (line.length + 1));
        lines[at] = line.slice(0, cut) + bytes.join('') + line.slice(cut);
        break;
      }
      case 4:
        lines[at] = `${line}${'x'.repeat(500 + Math.floor(random() * 4000))}`;
        break;
      case 5: {
        const depth = 10 + Math.floor(random() * 100);
        lines.splice(at, 0, `  deep: ${'['.repeat(depth)}1${']'.repeat(random() < 0.5 ? depth : 0)}`);
        break;
      }
      case 6:
        lines[at] = line.replace(/^( +)/, (spaces) => '\t'.repeat(Math.max(1, spaces.length / 2)));
        break;
      case 7:
        lines = [`anchors: &a [1, 2]`, ...lines, `again: *a`, `missing: *b`];
        break;
      case 8:
        lines[at] = line.replace(/: (.*)$/, (_m, value: string) => `: &x${at} ${value}`);
        if (random() < 0.5) lines.splice(Math.floor(random() * lines.length), 0, `    - *x${at}`);
        break;
      default:
        lines[at] = line.slice(0, Math.floor(random() * line.length));
    }
  }
  return lines.join(random() < 0.05 ? '\r\n' : '\n');
}

function assertInside(text: string, range: Range, context: string): void {
  const lines = text.split('\n');
  for (const position of [range.start, range.end]) {
    assert.ok(
      position.line >= 0 && position.line < lines.length,
      `${context}: line ${position.line} is outside`,
    );
    assert.ok(
      position.character >= 0 && position.character <= (lines[position.line] ?? '').length,
      `${context}: character outside its line`,
    );
  }
  assert.ok(
    range.start.line < range.end.line ||
      (range.start.line === range.end.line && range.start.character <= range.end.character),
    `${context}: range ends before it starts`,
  );
}

describe('spec robustness', () => {
  it('survives 10,000 seeded mutations: never throws, every range inside the document', function () {
    // Measured at 31 s on the 2-core dev machine under heavy load (load average 11); the margin is for CI.
    this.timeout(180000);
    const bases = [EXAMPLE_HA_SPEC, EXAMPLE_SINGLE_NODE_SPEC];
    const random = prng(20240611);
    let findings = 0;
    for (let i = 0; i < 10000; i++) {
      const text = mutate(bases[i % 2] as string, random);
      const result = validateText(text, 'cluster.yaml', { offline: true });
      findings += result.findings.length;
      for (const finding of result.findings) {
        assertInside(text, finding.range, `mutation ${i} ${finding.code}`);
        for (const related of finding.related ?? [])
          assertInside(text, related.range, `mutation ${i} related`);
      }
      for (const doc of result.documents) assertInside(text, doc.range, `mutation ${i} document`);
    }
    assert.ok(findings > 10000, 'mutations should produce findings');
  });

  it('a 5 MB file returns promptly with a finding', () => {
    const node = (i: number): string =>
      `    - hostname: gw-${i}\n      address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\n`;
    let text = EXAMPLE_HA_SPEC.replace(
      '  nodes:                             # nodes[0] is "node 1": it bootstraps the cluster\n',
      '  nodes:\n',
    );
    const chunks: string[] = [];
    for (let i = 0; text.length + chunks.length * 45 < 5_000_000; i++) chunks.push(node(i));
    text = text.replace('  nodes:\n', `  nodes:\n${chunks.join('')}`);
    assert.ok(text.length >= 5_000_000);
    const started = performance.now();
    const heapBefore = process.memoryUsage().heapUsed;
    const result = validateText(text, 'cluster.yaml');
    // Guards against a blow-up (minutes), not speed: speed is bench/validate's. Generous for a loaded CI.
    assert.ok(performance.now() - started < 20_000, `took ${performance.now() - started} ms`);
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 200 * 1024 * 1024);
    assert.equal(result.isSpec, true);
    assert.equal(result.findings[0]?.code, 'GC001');
  });

  it('an alias bomb ("billion laughs") returns promptly with a finding', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`,
      );
    }
    const text = `apiVersion: gateway-cluster/v1\nkind: GatewayCluster\nmetadata:\n  name: x\n${levels.join('\n')}\nspec: *j\n`;
    const started = performance.now();
    const result = validateText(text, 'bomb.yaml');
    assert.ok(performance.now() - started < 20_000, `took ${performance.now() - started} ms`);
    assert.deepEqual(
      result.findings.map((f) => f.code),
      ['GC001'],
    );
    assert.match(result.findings[0]!.message, /alias/i);
  });

  it('deep nesting and odd input never throw', function () {
    // About 0.5 s on an idle machine; the limit only catches a hang, whatever the load.
    this.timeout(120_000);
    for (const text of [
      '[',
      '{'.repeat(5000),
      `kind: GatewayCluster\nspec: ${'['.repeat(20000)}`,
      '\u0000\uFFFF',
      'kind: GatewayCluster\n\t- x',
      '- a\n- b',
      '"x"',
    ]) {
      const result = validateText(text, 'cluster.yaml');
      assert.ok(Array.isArray(result.findings));
    }
  });
});
