import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { COMMAND_IDS } from '../../../src/commands/ids';
import { walkthroughKey } from '../../../src/wizards/walkthrough';

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

describe('the walkthrough (Build your first gateway cluster)', () => {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: {
      walkthroughs: Array<{
        steps: Array<{
          id: string;
          description: string;
          media: { markdown: string };
          completionEvents: string[];
        }>;
      }>;
    };
  };
  const steps = manifest.contributes.walkthroughs[0]!.steps;

  it('links only commands that exist, and media files that ship', () => {
    for (const step of steps) {
      for (const [, id] of step.description.matchAll(/\(command:([\w.]+)\)/g))
        assert.ok(COMMAND_IDS.includes(id!) || id === 'gatewayCluster.clusters.focus', `${step.id}: ${id}`);
      assert.ok(existsSync(path.join(__dirname, '../../../', step.media.markdown)), step.media.markdown);
    }
  });

  it('completes each operation’s step from the context key a successful run of it sets', () => {
    for (const kind of ['preflight', 'join', 'deploy', 'register'] as const) {
      const step = steps.find((s) => s.id === kind);
      assert.deepEqual(step?.completionEvents, [`onContext:${walkthroughKey(kind)}`]);
    }
  });
});
