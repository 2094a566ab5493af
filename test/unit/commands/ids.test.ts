import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { COMMAND_IDS } from '../../../src/commands/ids';

type Loader = (request: string, ...rest: unknown[]) => unknown;

/**
 * The command modules import 'vscode', which plain Node lacks: while commandTable loads, 'vscode' resolves to
 * a stand-in whose every property, call and construction yields the stand-in again (module initialisers only
 * read enum members and build objects; no handler runs here).
 */
function loadCommandTable(): Record<string, unknown> {
  const standIn: object = new Proxy(function () {}, {
    get: (_target, key) => (key === '__esModule' || key === 'then' ? undefined : standIn),
    apply: () => standIn,
    construct: () => standIn,
    getPrototypeOf: () => standIn,
  });
  const moduleLoader = Module as unknown as { _load: Loader };
  const original = moduleLoader._load;
  moduleLoader._load = (request, ...rest) => (request === 'vscode' ? standIn : original(request, ...rest));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded under the stand-in above
    return (require('../../../src/commands') as typeof import('../../../src/commands')).commandTable;
  } finally {
    moduleLoader._load = original;
  }
}

describe('command ids (the activation shell registers these)', () => {
  it('equal the keys of commandTable, in order', () => {
    assert.deepEqual([...COMMAND_IDS], Object.keys(loadCommandTable()));
  });

  it('include every command package.json contributes (one missing would fail until the features load)', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[] };
    };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0);
    assert.deepEqual(
      contributed.filter((id) => !COMMAND_IDS.includes(id)),
      [],
    );
  });
});
