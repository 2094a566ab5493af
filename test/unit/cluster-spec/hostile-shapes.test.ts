// Hostile shapes (issue: the validator was quadratic, 10,000 unknown keys took 21 s in the CLI): the findings
// per document are capped with one GC003 that counts the rest, errors are kept before warnings, and yaml's
// duplicate-key rule (now checked here in linear time) gives the same errors yaml gave. Time is the bench's
// (bench/validate prints the 10,000-key case against yaml's parse); these tests assert behaviour.
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { parseDocuments } from '../../../src/cluster-spec/parse';
import { MAX_FINDINGS_PER_DOCUMENT } from '../../../src/cluster-spec/finding-cap';
import { BASE, check, codes, edit } from './helpers';

/** BASE with its three nodes replaced by `items`. */
function withNodes(items: string): string {
  const start = BASE.indexOf('  nodes:');
  const end = BASE.indexOf('  network:');
  return `${BASE.slice(0, start)}  nodes:\n${items}${BASE.slice(end)}`;
}

function count(list: string[], code: string): number {
  return list.filter((c) => c === code).length;
}

describe('spec: hostile shapes', () => {
  it('10,000 unknown keys under spec: 100 GC010 with a suggestion where one fits, then one GC003 for the other 9,900', function () {
    this.timeout(60_000);
    const keys = Array.from({ length: 9_999 }, (_, i) => `  unknownKey${i}: ${i}\n`).join('');
    const text = edit(BASE, '  topology: ha', `  topolgy: ha\n${keys}`);
    const findings = check(text, { offline: true });
    assert.equal(findings.length, MAX_FINDINGS_PER_DOCUMENT + 1);
    assert.equal(count(codes(findings), 'GC010'), 100);
    const summary = findings.find((f) => f.code === 'GC003');
    assert.match(
      summary?.message ?? '',
      /^9,900 more findings in this document are not shown \(9,900 errors\)/,
    );
    assert.deepEqual(summary?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    // The one misspelling among them still gets its "did you mean" (and explains the missing topology).
    const typo = findings.find((f) => f.message.startsWith('Unknown key "topolgy"'));
    assert.deepEqual(typo?.fix, { kind: 'renameKey', to: 'topology' });
    assert.equal(count(codes(findings), 'GC012'), 0);
  });

  it('errors are kept before warnings: 150 nodes under the minimum and one bad address at the end', function () {
    this.timeout(60_000);
    const nodes = Array.from(
      { length: 150 },
      (_, i) =>
        `    - hostname: gw-${i + 1}\n      address: ${i === 149 ? '172.25.252.999' : `172.25.252.${i + 11}`}\n      resources: { cpus: 2 }\n`,
    ).join('');
    const text = withNodes(nodes).replace(
      'dhcpRange: 172.25.252.100-172.25.252.200',
      'dhcpRange: 172.25.252.240-172.25.252.250',
    );
    const all = codes(check(text, { offline: true }));
    assert.equal(all.length, 101);
    assert.equal(count(all, 'GC102'), 1, 'the one error is shown');
    assert.equal(count(all, 'GC130'), 99);
    assert.equal(count(all, 'GC003'), 1);
  });

  it('many duplicate keys, many same hostnames, many empty nodes: each capped at 100 and a GC003', function () {
    this.timeout(60_000);
    const duplicates = edit(BASE, 'spec:\n', `spec:\n${'  topology: ha\n'.repeat(5_000)}`);
    const nodes = (item: (i: number) => string): string =>
      withNodes(Array.from({ length: 5_000 }, (_, i) => item(i)).join('')).replace(
        'subnet: 172.25.252.0/24',
        'subnet: 172.25.0.0/16',
      );
    for (const [text, code] of [
      [duplicates, 'GC001'],
      [nodes((i) => `    - hostname: gw-1\n      address: 172.25.${i >> 8}.${i & 255}\n`), 'GC101'],
      [nodes(() => '    - {}\n'), 'GC012'],
    ] as const) {
      const all = codes(check(text, { offline: true }));
      assert.equal(all.length, 101, code);
      assert.equal(count(all, code), 100, code);
      assert.equal(count(all, 'GC003'), 1, code);
    }
  });

  it('a document with 100 findings shows all of them and no GC003', () => {
    const keys = Array.from({ length: 100 }, (_, i) => `  unknownKey${i}: ${i}\n`).join('');
    const all = codes(check(edit(BASE, 'metadata:\n', `metadata:\n${keys}`), { offline: true }));
    assert.equal(all.length, 100);
    assert.equal(count(all, 'GC003'), 0);
  });

  it('the cap is per document: two documents of a file are capped apart', () => {
    const keys = Array.from({ length: 150 }, (_, i) => `  unknownKey${i}: ${i}\n`).join('');
    const doc = edit(BASE, 'metadata:\n', `metadata:\n${keys}`);
    const all = codes(check(`${doc}---\n${doc}`, { offline: true }));
    assert.equal(count(all, 'GC010'), 200);
    assert.equal(count(all, 'GC003'), 2);
  });

  it('duplicate keys: the linear check reports exactly what yaml reported (code, position, message)', () => {
    const texts = [
      'a: 1\na: 2\n',
      'a: 1\nb: {x: 1, x: 2}\n',
      '- {a: 1, a: 2}\n- [ {b: 1, "b": 2} ]\n',
      '&k a: 1\na: 2\n',
      'a: 1\n? a\n: 2\n',
      '1: x\n"1": y\n1: z\n',
      ': 1\n: 2\n',
      'base: &b {x: 1}\nm:\n  <<: *b\n  <<: *b\n',
      '.nan: 1\n.nan: 2\n',
      'a: 1\n---\na: 1\na: 2\n',
      'x:\n  y:\n    z: 1\n    z: 2\n  y: 3\n',
      'a: [1\na: 2\n',
      '? [a]\n: 1\n? [a]\n: 2\n',
      '!!str a: 1\na: 2\n',
      'true: 1\nTrue: 2\ntrue: 3\n',
      `deep: ${'['.repeat(2_000)}{a: 1, a: 2}${']'.repeat(2_000)}\n`,
      // Larger mappings are checked another way (a Set) than small ones.
      Array.from({ length: 20 }, (_, i) => `k${i % 15}: ${i}\n`).join(''),
      `m: {${Array.from({ length: 20 }, (_, i) => `${i % 3 === 0 ? '"1"' : i % 15}: ${i}`).join(', ')}}\n`,
    ];
    const errors = (docs: ReturnType<typeof parseDocuments>): string =>
      JSON.stringify(
        docs.map((doc) =>
          doc.errors
            .map((e) => [e.code, e.pos, e.message])
            .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        ),
      );
    for (const text of texts) {
      const reference = parseAllDocuments(text, { merge: true, prettyErrors: false, uniqueKeys: true });
      assert.equal(
        errors(parseDocuments(text)),
        errors(reference as ReturnType<typeof parseDocuments>),
        text,
      );
    }
  });
});
