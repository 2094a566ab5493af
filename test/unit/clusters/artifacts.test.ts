// The text a collection writes on this machine (diagnostics' events, the pods' logs, the summary) is masked
// with every secret stored for the cluster — also one that nothing read in this session before, such as the
// Gateway Manager password when only diagnostics ran (a pod's log that printed it once kept it in clear).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ClusterContext } from '../../../src/clusters';
import { MemorySecretBackend } from '../../../src/cli/secrets';
import type { Plan } from '../../../src/ops';
import { labModel } from '../ops/fake-cluster';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'gc-artifacts-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a cluster's collections on this machine", () => {
  it('mask every secret stored for the cluster, read before or not', async () => {
    const model = labModel(1);
    const password = 'Manager-Pa55-not-read-yet';
    const sudo = 'sudo-pw-7781';
    const values = new Map<string, string>();
    const context = new ClusterContext(
      { specPath: path.join(dir, 'cluster.yaml'), documentIndex: 0, model, findings: [] },
      {
        secrets: {
          get: async (k) => values.get(k),
          store: async (k, v) => void values.set(k, v),
          delete: async (k) => void values.delete(k),
        },
        prompts: { confirmHostKey: async () => false },
        knownHosts: { ownFile: path.join(dir, 'known_hosts'), userFile: null },
        log: () => undefined,
        runner: 'the unit tests',
      },
    );
    // Stored by an earlier session (another window, a wizard days ago): this context never read them.
    const earlier = new Map<string, string>();
    await new ClusterContext(
      { specPath: path.join(dir, 'cluster.yaml'), documentIndex: 0, model, findings: [] },
      {
        secrets: {
          get: async (k) => earlier.get(k),
          store: async (k, v) => void earlier.set(k, v),
          delete: async () => undefined,
        },
        prompts: { confirmHostKey: async () => false },
        knownHosts: { ownFile: path.join(dir, 'known_hosts'), userFile: null },
        log: () => undefined,
        runner: 'the unit tests',
      },
    ).secrets.store(model.gatewayManager.passwordSecret, password);
    for (const [k, v] of earlier) values.set(k, v);
    await context.secrets.storeInternal('sudo-password', sudo);

    let written = '';
    const plan: Plan = {
      operation: 'diagnostics',
      cluster: model.name,
      model,
      steps: [
        {
          id: 'write',
          title: 'Write a log',
          readOnly: true,
          async run(ctx) {
            const folder = await ctx.artifacts().open('diagnostics', 'now');
            const saved = await folder.write(
              'logs/pod.log',
              `login ok; password=${password}\nsudo ${sudo}\n`,
            );
            written = saved.path;
            return 'written';
          },
          preview: () => [],
        },
      ],
    };
    const result = await context.engine({ record: false }).run(plan);
    assert.equal(result.outcome, 'succeeded', result.error?.message);
    const text = readFileSync(written, 'utf8');
    assert.ok(!text.includes(password), text);
    assert.ok(!text.includes(sudo), text);
    assert.match(text, /password=••••/);
  });

  it('in the CLI, masks what the secrets file gave and asks the terminal for nothing the run does not need', async () => {
    const model = labModel(1);
    const backend = new MemorySecretBackend();
    // The terminal's question for a missing secret (the sudo password when sudo -n is refused).
    backend.onMissing = async (key) => assert.fail(`asked for ${key}`);
    const context = new ClusterContext(
      { specPath: path.join(dir, 'cluster.yaml'), documentIndex: 0, model, findings: [] },
      {
        secrets: backend,
        prompts: { confirmHostKey: async () => false },
        knownHosts: { ownFile: path.join(dir, 'known_hosts'), userFile: null },
        log: () => undefined,
        runner: 'the unit tests',
      },
    );
    const password = 'from-the-secrets-file-42';
    await context.secrets.store(model.gatewayManager.passwordSecret, password);
    let written = '';
    const plan: Plan = {
      operation: 'diagnostics',
      cluster: model.name,
      model,
      steps: [
        {
          id: 'write',
          title: 'Write a log',
          readOnly: true,
          async run(ctx) {
            const folder = await ctx.artifacts().open('diagnostics', 'now');
            written = (await folder.write('logs/pod.log', `password=${password}\n`)).path;
            return 'written';
          },
          preview: () => [],
        },
      ],
    };
    const result = await context.engine({ record: false }).run(plan);
    assert.equal(result.outcome, 'succeeded', result.error?.message);
    assert.equal(readFileSync(written, 'utf8'), 'password=••••\n');
  });
});
