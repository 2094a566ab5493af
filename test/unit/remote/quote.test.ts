import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { joinArgv, shellQuote } from '../../../src/remote/quote';

/** Deterministic PRNG so a failure can be reproduced. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

const NASTY = [
  "'",
  '"',
  '$',
  '`',
  '\\',
  '\n',
  '\r',
  '\t',
  ' ',
  '!',
  '*',
  '?',
  '~',
  '#',
  '&',
  ';',
  '|',
  '(',
  ')',
  '<',
  '>',
  '{',
  '}',
  '[',
  ']',
  '-',
  '=',
  '%',
  '$(id)',
  '${HOME}',
  "''",
  'é',
  '日本',
  '😀',
];

function randomValue(rand: () => number): Buffer {
  const kind = rand();
  const length = Math.floor(rand() * 24);
  if (kind < 0.05) return Buffer.alloc(0);
  if (kind < 0.35) {
    // Raw bytes, including invalid UTF-8 (but no NUL: a shell word cannot hold one).
    const bytes = Buffer.alloc(length);
    for (let i = 0; i < length; i++) bytes[i] = 1 + Math.floor(rand() * 255);
    return bytes;
  }
  let text = rand() < 0.2 ? '-' : '';
  for (let i = 0; i < length; i++) {
    text +=
      rand() < 0.6
        ? NASTY[Math.floor(rand() * NASTY.length)]!
        : String.fromCharCode(32 + Math.floor(rand() * 95));
  }
  return Buffer.from(text, 'utf8');
}

/** Runs one /bin/sh for a batch: each value printed with printf %s and a NUL after it. */
function roundTrip(values: Buffer[]): Buffer[] {
  const script = values.map((v) => `printf %s ${shellQuote(v)}; printf '\\0'`).join('\n');
  const out = spawnSync('/bin/sh', ['-c', script], { maxBuffer: 64 * 1024 * 1024 });
  assert.equal(out.status, 0, out.stderr.toString());
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < out.stdout.length; i++) {
    if (out.stdout[i] === 0) {
      parts.push(out.stdout.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

describe('remote/quote', () => {
  it('quotes simple and special values', () => {
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote('gw-1'), 'gw-1');
    assert.equal(shellQuote('a b'), "'a b'");
    assert.equal(shellQuote("it's"), "'it'\\''s'");
    assert.equal(shellQuote('A=b'), "'A=b'");
    assert.equal(shellQuote('~'), "'~'");
    assert.equal(
      joinArgv(['microk8s', 'enable', 'metallb:10.0.0.5/32']),
      'microk8s enable metallb:10.0.0.5/32',
    );
    assert.throws(() => shellQuote('a\0b'), /NUL/);
  });

  it('round-trips 1,200 random values byte-exactly through the real /bin/sh', function () {
    this.timeout(30_000);
    const rand = prng(20240501);
    const fixed = ['', '-n', '--', "'", "''", '\n', '$(touch /tmp/pwned)', '`id`', '\\', 'é', '\u00a0'].map(
      (s) => Buffer.from(s),
    );
    const values: Buffer[] = [
      ...fixed,
      Buffer.from([0xff]),
      Buffer.from([0xc3]),
      Buffer.from([0xed, 0xa0, 0x80]),
    ];
    while (values.length < 1200) values.push(randomValue(rand));
    const batchSize = 300;
    let checked = 0;
    for (let i = 0; i < values.length; i += batchSize) {
      const batch = values.slice(i, i + batchSize);
      const results = roundTrip(batch);
      assert.equal(results.length, batch.length);
      batch.forEach((value, j) => {
        assert.ok(
          results[j]!.equals(value),
          `value ${i + j}: ${JSON.stringify([...value])} came back as ${JSON.stringify([...results[j]!])}`,
        );
        checked++;
      });
    }
    assert.equal(checked, 1200);
  });

  it('keeps an argv joined by joinArgv as separate words', () => {
    const argv = ['a b', "c'd", '', '$x', '-e'];
    const script = `for a in ${joinArgv(argv)}; do printf '[%s]' "$a"; done`;
    const out = spawnSync('/bin/sh', ['-c', script]).stdout.toString();
    assert.equal(out, "[a b][c'd][][$x][-e]");
  });
});
