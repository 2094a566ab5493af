// The spec service in a real extension host: validation happens in the worker thread, and in an untrusted
// workspace nothing a spec names on this machine is looked at (its identity files are not probed).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { SpecService, SpecWorkerClient } from '../../../src/spec-service';
import { threeNodeSpec } from './specs';

describe('Spec service in the extension host', () => {
  const extension = () => vscode.extensions.getExtension('gateway-clusters.gateway-cluster')!;

  function serviceWith(trusted: boolean): SpecService {
    const log = vscode.window.createOutputChannel('spec-service test', { log: true });
    const worker = new SpecWorkerClient(path.join(extension().extensionPath, 'dist', 'spec-worker.js'));
    return new SpecService(worker, log, () => trusted);
  }

  it('probes no identity file a spec names while the workspace is untrusted, and does when trusted', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = path.join(folder, 'untrusted-probe.cluster.yaml');
    // A path no one has: trusted, GC180 says it is missing; untrusted, the check does not run at all.
    const spec = threeNodeSpec('probe', '10.99.0', 'probe-password').replace(
      /^spec:\n/m,
      'spec:\n  ssh:\n    identityFile: /nonexistent/gateway-cluster/probe-key\n',
    );
    fs.writeFileSync(file, spec);
    const untrusted = serviceWith(false);
    const trusted = serviceWith(true);
    try {
      const uri = vscode.Uri.file(file);
      const codes = async (service: SpecService) =>
        ((await service.validateFile(uri))?.result.findings ?? []).map((f) => f.code);
      const without = await codes(untrusted);
      assert.ok(!without.includes('GC180'), `untrusted: ${without.join(', ')}`);
      assert.ok((await codes(trusted)).includes('GC180'), 'trusted: the missing key is reported');
    } finally {
      untrusted.dispose();
      trusted.dispose();
      fs.rmSync(file, { force: true });
    }
  });
});
