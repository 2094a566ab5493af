import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { labHolder, lockLab } from '../../lab/lock';

const NAME = `gclablock${process.pid}`;
const LOCK_DIR = `/run/lock/gateway-cluster-lab-${NAME}`;

/** Another process trying to take the lab, with a short wait; returns what it printed and its status. */
function otherProcessTakes(timeoutMs: number): { status: number | null; output: string } {
  const script = `require('tsx/cjs'); require(${JSON.stringify(path.resolve(__dirname, '../../lab/lock.ts'))})
    .lockLab(${JSON.stringify(NAME)}, ${timeoutMs}).then((release) => { release(); console.log('took it'); },
      (e) => { console.log(e.message); process.exit(3); });`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('lab/lock: one process holds a lab name at a time', function () {
  this.timeout(30_000);
  afterEach(() => fs.rmSync(LOCK_DIR, { recursive: true, force: true }));

  it('makes a second process wait, then give up with the holder named; it gets the lab once released', async () => {
    const release = await lockLab(NAME);
    assert.equal(labHolder(NAME), process.pid);
    const refused = otherProcessTakes(300);
    assert.equal(refused.status, 3);
    assert.match(refused.output, new RegExp(`lab ${NAME} stayed in use by process ${process.pid}`));
    release();
    assert.equal(labHolder(NAME), undefined);
    const taken = otherProcessTakes(5000);
    assert.equal(taken.status, 0, taken.output);
    assert.match(taken.output, /took it/);
  });

  it('takes over a lock whose holder is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    fs.mkdirSync(LOCK_DIR, { recursive: true });
    fs.writeFileSync(path.join(LOCK_DIR, 'pid'), gone.stdout.trim());
    assert.equal(labHolder(NAME), undefined);
    const release = await lockLab(NAME, 2000);
    assert.equal(labHolder(NAME), process.pid);
    release();
  });
});
