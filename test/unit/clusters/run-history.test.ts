// The runs' index as the tree's cluster state reads it: each entry says whether a step that changes things
// ran; an entry written before that field existed counts as one that changed things, as it was read then.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runHistory } from '../../../src/clusters/run-history';

describe("clusters: a cluster's run history", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'gc-history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads whether each run changed something, and takes an entry without the field as changed', async () => {
    const entry = (runId: string, startedAt: number, extra: object) => ({
      runId,
      file: `${runId}.json`,
      operation: 'delete',
      cluster: 'lab',
      startedAt,
      outcome: 'failed',
      failedStep: 'Find what there is to undo',
      ...extra,
    });
    writeFileSync(
      path.join(dir, 'index.json'),
      JSON.stringify([
        entry('new', 2, { changed: false }),
        entry('old', 1, {}),
        entry('other', 3, { cluster: 'another' }),
      ]),
    );
    const runs = await runHistory(dir, 'lab');
    assert.deepEqual(
      runs.map((r) => [r.runId, r.title, r.changed]),
      [
        ['old', 'Delete Cluster', true],
        ['new', 'Delete Cluster', false],
      ],
    );
  });
});
