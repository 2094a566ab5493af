// The README inside the .vsix is what VS Code's extension page shows: every image it embeds must ship
// (.vscodeignore), or the page shows broken images; anything else from docs/ stays out to keep the package small.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../..');

describe('the packaged README', () => {
  it('ships exactly the images the README embeds', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const embedded = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+\.png)\)/g)].map((m) => m[1]!).sort();
    const shipped = readFileSync(path.join(root, '.vscodeignore'), 'utf8')
      .split('\n')
      .flatMap((line) => (/^!docs\/.*\.png$/.test(line) ? [line.slice(1)] : []))
      .sort();
    assert.ok(embedded.length > 0);
    assert.deepEqual(shipped, embedded);
  });
});
