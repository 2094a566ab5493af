// The fast parser against yaml itself: for every corpus text and thousands of seeded mutations, either the
// fast parser declines (returns undefined) or its documents dump exactly like yaml's, and validateText's
// findings are the same with the fast path on and off. It must also really be taken for ordinary specs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isAlias, isPair, isScalar, parseAllDocuments } from 'yaml';
import { generateSpec } from '../../../bench/validate/spec-generator';
import { EXAMPLE_HA_SPEC, EXAMPLE_SINGLE_NODE_SPEC, validateText } from '../../../src/cluster-spec';
import { FAST_PARSE_INTERNALS, fastParse, fastParseDocuments } from '../../../src/cluster-spec/fast-parse';
import { NOT_PLAIN, plainValue } from '../../../src/cluster-spec/plain-value';
import { prng } from '../../support/prng';

const ROOT = path.resolve(__dirname, '../../..');
/** What yaml's composer attaches that nothing in the extension reads; the fast parser leaves them out. */
const COMMENT_FIELDS = new Set(['comment', 'commentBefore', 'spaceBefore']);

function primitive(value: unknown): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? 'number:-0' : `number:${value}`; // NaN, -0
  if (typeof value === 'bigint' || typeof value === 'symbol') return `${typeof value}:${String(value)}`;
  return value;
}

/** Every own field of every node (but comments), its class and, for collections, its items in order. */
function dumpNode(node: unknown): unknown {
  if (node === null || node === undefined) return node ?? 'undefined';
  const proto = Object.getPrototypeOf(node) as object;
  const kind =
    proto === Scalar.prototype
      ? 'Scalar'
      : proto === YAMLMap.prototype
        ? 'YAMLMap'
        : proto === YAMLSeq.prototype
          ? 'YAMLSeq'
          : proto === Pair.prototype
            ? 'Pair'
            : `other:${isAlias(node) ? 'alias' : typeof node}`;
  const out: Record<string, unknown> = { kind };
  const record = node as Record<string, unknown>;
  for (const field of Object.keys(record).sort()) {
    if (COMMENT_FIELDS.has(field)) continue;
    const value = record[field];
    if (field === 'items') out.items = (value as unknown[]).map(dumpNode);
    else if (isPair(node) && (field === 'key' || field === 'value')) out[field] = dumpNode(value);
    else if (field === 'range') out.range = [...(value as number[])];
    else out[field] = primitive(value);
  }
  if (isScalar(node)) out.resolved = primitive(node.value);
  return out;
}

function dumpDocuments(docs: readonly Document.Parsed[]): string {
  return JSON.stringify(
    docs.map((doc) => ({
      range: [...doc.range],
      errors: doc.errors.map((e) => e.code),
      warnings: doc.warnings.map((e) => e.code),
      docStart: doc.directives.docStart,
      docEnd: doc.directives.docEnd,
      contents: dumpNode(doc.contents),
      toJS: JSON.stringify(doc.toJS({ maxAliasCount: 100 }), (_k, v: unknown) => primitive(v)),
    })),
  );
}

function yamlDocuments(text: string): Document.Parsed[] {
  return parseAllDocuments(text, {
    merge: true,
    prettyErrors: false,
    uniqueKeys: true,
  }) as Document.Parsed[];
}

function findingsOf(text: string, fast: boolean): string {
  const before = fastParse.enabled;
  fastParse.enabled = fast;
  try {
    const result = validateText(text, 'cluster.yaml', { fileExists: () => true, homeDir: '/home/test' });
    return JSON.stringify({
      isSpec: result.isSpec,
      findings: result.findings.map((f) => [f.code, f.severity, f.range, f.message]),
      documents: result.documents.map((d) => [d.index, d.range]),
    });
  } finally {
    fastParse.enabled = before;
  }
}

/** Compares one text; returns whether the fast path took it. */
function compare(text: string, label: string, withFindings: boolean): boolean {
  const fast = fastParseDocuments(text);
  if (!fast) return false;
  assert.equal(dumpDocuments(fast), dumpDocuments(yamlDocuments(text)), `documents differ for ${label}`);
  // The direct walk and toJS agree on fast documents, as they do on yaml's.
  for (const doc of fast) {
    const plain = plainValue(doc.contents);
    if (plain !== NOT_PLAIN) assert.deepEqual(plain, doc.toJS(), `plain value differs for ${label}`);
  }
  if (withFindings)
    assert.equal(findingsOf(text, true), findingsOf(text, false), `findings differ for ${label}`);
  return true;
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) listFiles(full, out);
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** YAML-looking string literals of the unit tests: template literals and quoted strings with newlines. */
function testStrings(): string[] {
  const found = new Set<string>();
  for (const file of listFiles(path.join(ROOT, 'test/unit'))) {
    if (file.endsWith('fast-parse.test.ts')) continue;
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/`((?:[^`\\$]|\\[^]|\$(?!\{))*)`/g)) {
      const body = match[1] ?? '';
      if (!body.includes(':') || !body.includes('\n')) continue;
      try {
        found.add(JSON.parse(`"${body.replace(/\\`/g, '`').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`));
      } catch {
        // an escape JSON does not know: skip the literal
      }
    }
    for (const match of source.matchAll(/'((?:[^'\\\n]|\\.)*\\n(?:[^'\\\n]|\\.)*)'/g)) {
      const body = match[1] ?? '';
      if (!body.includes(':')) continue;
      try {
        found.add(JSON.parse(`"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`));
      } catch {
        // as above
      }
    }
  }
  return [...found];
}

function markdownYaml(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/```yaml\n([^]*?)```/g)].map((m) => m[1] ?? '');
}

const HAND_CASES = [
  '',
  '# only a comment\n',
  'a: 1',
  'a: 1  # c\nb:\n',
  'a:\n  b: x\n\n  c: y\n# x\n',
  'a:   # c\n  - x\n  -  y\n\nb: ~\n',
  '- a: 1\n  b: 2\n-   c: 3\n',
  'a:\n  b: 1\n  # c1\n\n  # c2\nd: 2\n',
  'a:\n  b: 1\n# c1\n   # c3\n\nd: 2\n',
  'a:\n  b: 1  \n  \n    \nd: 2',
  'a:  # c\nb: 1',
  '- \n-\n- x\n-',
  'a:\n- x\n- y\nb: 1\n',
  '- - x\n  - y\n- z\n',
  "a: 'it''s'  \nb: \"x\\ty \\u00e9 \\x41\"\n",
  '---\n# c\na: 1\n',
  '--- # c\na: 1\n---\nb: 2\n',
  '\n\n# c\n\na: 1\n\n\n',
  'a:\n  -\n  - b:\n    c:\n',
  'k: v # c\n  # deeper\nz: 1',
  'a:\n# c\nb: 1',
  'a:\n\n\n',
  'x:\n  a:\n  - y\n  # c\n  b: 1',
  '- a: 1\n  # c\n- b: 2',
  'a:\n  # c\n\n  # d\n    # e\n\nb: 1\n',
  'a: 0x1F\nb: 1.50\nc: .inf\nd: 1e3\ne: 0o17\nf: -0\ng: true\nh: Null\ni: -.INF\nj: .NaN\nk: +12\nl: 1_000',
  'r: { cpus: 4, memoryGiB: 8 }  # c\nn: [10.0.0.2]\n',
  'n: [a, b ,c,]\nm: {a: 1,b: x y}\ne: []\nf: {}\ng: [ ]\n',
  'a: [ \'x\' , "y"  ]\n  # c\nb: 1',
  'url: http://x.example:8080/a#b # c\nw: a:b\n',
  '# c\n---\na: 1',
  '---   \na: 1\n---\n# c\n- x\n',
  'a: 1\n\n---\n- b\n  # c\n',
  'a:\n# c\n---\nb: 1',
  'a:\n  # c\n\n---\nb: 1',
  'a:   # c\n  - x\n # c\n  -  \n\nb: ~\n',
  'a: 1\n...\n',
  'a: &x 1\nb: *x\n',
  'a: |\n  text\n',
  '<<: {a: 1}\n',
  'a: 1\na: 2\n',
];

describe('fast YAML parser (differential against yaml)', function () {
  this.timeout(600_000);

  it('resolves plain scalars with the same core-schema tags it assumes', () => {
    // MAYBE_NOT_STRING lists the first characters of every non-string plain scalar; a new default tag in
    // a yaml upgrade must be looked at.
    const doc = new Document(undefined, FAST_PARSE_INTERNALS.options);
    const tests = (doc.schema.tags as Array<{ default?: unknown; test?: RegExp }>)
      .filter((tag) => tag.default && tag.test)
      .map((tag) => String(tag.test));
    assert.deepEqual(tests.sort(), [
      '/^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$/',
      '/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/',
      '/^(?:~|[Nn]ull|NULL)?$/',
      '/^0o[0-7]+$/',
      '/^0x[0-9a-fA-F]+$/',
      '/^<<$/',
      '/^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)[eE][-+]?[0-9]+$/',
      '/^[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)$/',
      '/^[-+]?[0-9]+$/',
    ]);
    assert.equal(FAST_PARSE_INTERNALS.MAYBE_NOT_STRING.size, 21);
  });

  it('takes the fast path for the examples and generated specs, with identical nodes and findings', () => {
    const specs: Array<[string, string]> = [
      ['EXAMPLE_HA_SPEC', EXAMPLE_HA_SPEC],
      ['EXAMPLE_SINGLE_NODE_SPEC', EXAMPLE_SINGLE_NODE_SPEC],
      ['generated 3', generateSpec(3)],
      ['generated 300', generateSpec(300)],
      ['generated 3000', generateSpec(3000)],
      ...markdownYaml(path.join(ROOT, 'docs/cluster-spec.md')).map((t, i): [string, string] => [
        `docs ${i}`,
        t,
      ]),
    ];
    for (const [label, text] of specs)
      assert.ok(compare(text, label, true), `the fast path should take ${label}`);
  });

  it('matches yaml on hand-written cases and declines what it does not know', () => {
    let fast = 0;
    for (const [i, text] of HAND_CASES.entries()) if (compare(text, `hand case ${i}`, true)) fast++;
    assert.ok(fast >= HAND_CASES.length - 6, `${fast} of ${HAND_CASES.length} hand cases took the fast path`);
    for (const declined of [
      'a: 1\n...\n',
      'a: &x 1\nb: *x\n',
      'a: |\n  text\n',
      '<<: {a: 1}\n',
      'a: 1\na: 2\n',
    ])
      assert.equal(fastParseDocuments(declined), undefined, JSON.stringify(declined));
  });

  it('matches yaml on every YAML string of the unit tests', () => {
    const strings = testStrings();
    assert.ok(strings.length > 20, `found ${strings.length} strings`);
    let fast = 0;
    for (const [i, text] of strings.entries()) if (compare(text, `test string ${i}`, true)) fast++;
    assert.ok(fast > 10, `${fast} of ${strings.length} test strings took the fast path`);
  });

  it('matches yaml on 4,000 seeded mutations of specs (or declines them)', () => {
    const bases = [EXAMPLE_HA_SPEC, EXAMPLE_SINGLE_NODE_SPEC, generateSpec(3), ...HAND_CASES.slice(0, 30)];
    const inserts = [
      ' ',
      '  ',
      '#',
      ' #',
      "'",
      '"',
      ':',
      ': ',
      '-',
      '- ',
      '\t',
      '&a ',
      '*a',
      '!',
      '|',
      '>',
      '?',
      '~',
      '0',
      'x',
      '.',
      ',',
      '[',
      ']',
      '{',
      '}',
      '\n',
      '---\n',
      '...\n',
      '<<: ',
      '%',
      '\\',
      '0x',
      '1.0',
      'null',
      '\r\n',
      '\ufeff',
      'é',
    ];
    // FAST_PARSE_FUZZ_SEED and FAST_PARSE_FUZZ_CASES run a longer or different fuzz by hand.
    const random = prng(Number(process.env.FAST_PARSE_FUZZ_SEED ?? 20261121));
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    let fast = 0;
    const cases = Number(process.env.FAST_PARSE_FUZZ_CASES ?? 4000);
    for (let n = 0; n < cases; n++) {
      let text = pick(bases);
      const rounds = 1 + Math.floor(random() * 3);
      for (let r = 0; r < rounds; r++) {
        const lines = text.split('\n');
        const at = Math.floor(random() * (text.length + 1));
        const line = Math.floor(random() * lines.length);
        switch (Math.floor(random() * 9)) {
          case 0:
            text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
            break;
          case 1:
            text = text.slice(0, at) + pick(inserts) + text.slice(at);
            break;
          case 2:
            text = text.slice(0, at) + text.slice(at, at + 1) + text.slice(at);
            break;
          case 3:
            lines.splice(line, 1);
            text = lines.join('\n');
            break;
          case 4:
            lines.splice(line, 0, lines[line] ?? '');
            text = lines.join('\n');
            break;
          case 5: {
            const current = lines[line] ?? '';
            lines[line] =
              random() < 0.5
                ? ' '.repeat(1 + Math.floor(random() * 4)) + current
                : current.replace(/^ {1,2}/, '');
            text = lines.join('\n');
            break;
          }
          case 6:
            lines.splice(line, 0, `${' '.repeat(Math.floor(random() * 8))}# comment ${n}`);
            text = lines.join('\n');
            break;
          case 7:
            lines.splice(line, 0, ' '.repeat(Math.floor(random() * 4)));
            text = lines.join('\n');
            break;
          default:
            lines[line] = `${lines[line] ?? ''}${random() < 0.5 ? '   ' : '  # trailing'}`;
            text = lines.join('\n');
        }
      }
      // Findings are compared on a share of the cases: validateText is the slow half of the comparison.
      if (compare(text, `mutation ${n}: ${JSON.stringify(text)}`, n % 4 === 0)) fast++;
    }
    // The comparison means something only if the fast path takes a good part of the mutations.
    assert.ok(fast > cases * 0.3, `${fast} of ${cases} mutations took the fast path`);
    if (process.env.FAST_PARSE_FUZZ_CASES)
      console.log(`      ${fast} of ${cases} mutations took the fast path`);
  });
});
