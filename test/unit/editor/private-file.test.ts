import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writePrivateFile } from '../../../src/editor/private-file';

describe('editor: files that hold credentials', () => {
  it('end readable by their owner only, also when an existing file was world-readable', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gc-private-'));
    try {
      const file = path.join(dir, 'lab.kubeconfig');
      writeFileSync(file, 'old');
      chmodSync(file, 0o644);
      await writePrivateFile(file, 'apiVersion: v1\n');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(readFileSync(file, 'utf8'), 'apiVersion: v1\n');
      const fresh = path.join(dir, 'new.kubeconfig');
      await writePrivateFile(fresh, 'x');
      assert.equal(statSync(fresh).mode & 0o777, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
