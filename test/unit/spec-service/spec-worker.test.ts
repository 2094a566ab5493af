// Validation off the extension host's thread: the portable result keeps every range the editor asks for,
// and the worker client (with the worker bundled as the build bundles it) answers like validateText.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { specWorkerBuild } from '../../../scripts/node-bundles';
import { outlineOf } from '../../../src/language/core/outline';
import { fromPortable, toPortable } from '../../../src/spec-service/portable-result';
import { SpecWorkerClient } from '../../../src/spec-service/worker-client';
import { EXAMPLE_HA_SPEC, validateText } from '../../../src/cluster-spec';

const BROKEN = EXAMPLE_HA_SPEC.replace('hostname: gw-2', 'hostname: gw-1')
  .replace('port: 22', 'port: "22"')
  .replace('passwordSecret: dc1-manager-password', 'password: hunter2');

function bigSpec(nodes: number): string {
  const items = Array.from(
    { length: nodes },
    (_, i) => `    - hostname: gw-${i + 1}\n      address: 172.25.${(i + 300) >> 8}.${(i + 300) & 255}\n`,
  );
  return EXAMPLE_HA_SPEC.replace('172.25.252.0/24', '172.25.0.0/16').replace(
    / {2}nodes:[^\n]*\n( {4}[^\n]*\n)*/,
    `  nodes:\n${items.join('')}`,
  );
}

describe('language: validation in a worker', () => {
  it('a portable result gives the same findings, model, outline and ranges as the original', () => {
    const original = validateText(BROKEN, 'cluster.yaml', { offline: true });
    let fallbacks = 0;
    const copy = fromPortable(structuredClone(toPortable(original)), () => {
      fallbacks++;
      return validateText(BROKEN, 'cluster.yaml', { offline: true });
    });
    assert.deepEqual(copy.findings, original.findings);
    assert.ok(original.findings.length >= 3);
    const [before, after] = [original.documents[0], copy.documents[0]];
    assert.ok(before && after);
    assert.deepEqual(after.model, before.model);
    assert.deepEqual(outlineOf(after), outlineOf(before));
    for (const finding of original.findings) {
      for (const part of ['key', 'value', 'node'] as const)
        assert.deepEqual(after.rangeOf(finding.path ?? [], part), before.rangeOf(finding.path ?? [], part));
    }
    for (let i = 0; i < (before.model?.nodes.length ?? 0); i++) {
      for (const part of ['key', 'value', 'node'] as const)
        assert.deepEqual(
          after.rangeOf(['spec', 'nodes', i], part),
          before.rangeOf(['spec', 'nodes', i], part),
        );
    }
    assert.equal(fallbacks, 0, 'the outline, the nodes and the findings need no fallback');
    // A path outside the table is answered by the fallback, once.
    const path = ['spec', 'ssh', 'identityFile'];
    assert.deepEqual(after.rangeOf(path, 'value'), before.rangeOf(path, 'value'));
    assert.deepEqual(after.rangeOf(['spec', 'ssh'], 'key'), before.rangeOf(['spec', 'ssh'], 'key'));
    assert.equal(fallbacks, 1);
  });

  describe('the worker client', () => {
    let dir: string;
    let script: string;

    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'gc-spec-worker-'));
      script = path.join(dir, 'spec-worker.js');
      buildSync(specWorkerBuild(script));
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    it('validates like validateText, and a queued request is replaced by a newer one', async () => {
      const client = new SpecWorkerClient(script);
      try {
        assert.equal(client.available, true);
        const text = bigSpec(2000);
        const broken = text.replace('hostname: gw-1500\n', 'hostname: gw-1\n');
        const first = client.validate('doc', 1, {
          text,
          fileName: 'cluster.yaml',
          options: { offline: true },
        });
        // While the first runs, versions 2 and 3 queue: 3 replaces 2, and both callers get version 3.
        const second = client.validate('doc', 2, {
          text,
          fileName: 'cluster.yaml',
          options: { offline: true },
        });
        const third = client.validate('doc', 3, {
          text: broken,
          fileName: 'cluster.yaml',
          options: { offline: true },
        });
        const [a, b, c] = await Promise.all([first, second, third]);
        assert.equal(a.tag, 1);
        assert.deepEqual(a.result.findings, validateText(text, 'cluster.yaml', { offline: true }).findings);
        assert.equal(b.tag, 3);
        assert.equal(c.tag, 3);
        assert.equal(c.text, broken);
        const expected = validateText(broken, 'cluster.yaml', { offline: true }).findings;
        assert.deepEqual(
          c.result.findings.map((f) => f.code),
          ['GC101'],
        );
        assert.deepEqual(c.result.findings, expected);
      } finally {
        client.dispose();
      }
    });

    it('is unavailable without its script, and rejects after dispose', async () => {
      assert.equal(new SpecWorkerClient(path.join(dir, 'missing.js')).available, false);
      const client = new SpecWorkerClient(script);
      client.dispose();
      await assert.rejects(
        client.validate('doc', 1, { text: 'kind: GatewayCluster\n', fileName: 'a.yaml', options: {} }),
      );
    });
  });
});
