import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('architecture: the import table', () => {
  it('docs/architecture.md shows exactly the table the lint rule enforces', async () => {
    const { IMPORT_TABLE } = await import('../../scripts/lint/import-boundaries.mjs');
    const doc = readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const table = /<!-- import-table:start -->([\s\S]*?)<!-- import-table:end -->/.exec(doc)?.[1] ?? '';
    const rows = table
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const documented = Object.fromEntries(
      rows.map((cells) => [
        cells[1]!.replace(/`/g, ''),
        cells[3] === '—' ? [] : [...cells[3]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
      ]),
    );
    assert.deepEqual(documented, IMPORT_TABLE);
  });
});
