// The cluster lifecycle's panels: the guided flows' checklists (ticks kept beside the spec, the extension's own
// item ticked by a successful run, Start held back until the earlier items are done), the confirmations
// before a reset, a de-register (and roll back) or a drill runs, a check's failure kept on its row, diagnostics' collection in the view.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ClusterContext } from '../../../src/clusters';
import { DIAGNOSTICS, type OperationArgs, type RunEvent } from '../../../src/ops';
import { OPERATIONS, confirmationQuestions } from '../../../src/ops/catalog';
import { WizardController } from '../../../src/wizards/controller';
import { operationOf, wizardTitle } from '../../../src/wizards/kinds';
import { initialView, reduce } from '../../../src/wizards/state';
import type { WizardKind, WizardView } from '../../../src/wizards/protocol';
import { scriptedEngines } from '../../e2e/seams/scripted-engine';
import { labModel } from '../ops/fake-cluster';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'gc-lifecycle-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function contextOf() {
  const values = new Map<string, string>();
  return new ClusterContext(
    { specPath: path.join(dir, 'cluster.yaml'), documentIndex: 0, model: labModel(1), findings: [] },
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
}

const engines = scriptedEngines({ steps: [{ id: 'work', title: 'Do the work', lines: ['ok'] }] }).factory;

// The webview is an ES module (lit is ESM only): loaded here the way ESM loads from CommonJS.
const load = async () => await import('../../../webview/view-model.js');
let vm: Awaited<ReturnType<typeof load>>;
before(async () => {
  vm = await load();
});

function controller(
  kind: WizardKind,
  context: ClusterContext,
  confirm?: (message: string, detail: string, action: string) => Promise<boolean>,
) {
  return new WizardController({
    kind,
    context: () => context,
    specLabel: 'cluster.yaml',
    engines: () => engines,
    ...(confirm ? { confirm } : {}),
  });
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('the condition never held');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('wizard panels of the cluster lifecycle', () => {
  it('names the flows and runs their operations', () => {
    assert.equal(operationOf('migrate'), 'register');
    assert.equal(operationOf('rollback'), 'deregister');
    assert.equal(operationOf('reset'), 'reset');
    assert.equal(wizardTitle('migrate'), 'Migrate from a Classic Gateway');
    assert.equal(wizardTitle('validate-cluster'), 'Validate Cluster');
  });

  it('keeps the migration checklist beside the spec, holds Start until it is ticked, and ticks its own step after a run', async () => {
    const context = contextOf();
    const c = controller('migrate', context);
    await until(() => (c.view.checklist?.length ?? 0) === 5);
    assert.ok(vm.waitingForChecklist(c.view));
    assert.equal(vm.toolbarButtons(c.view).find((b) => b.id === 'start')?.disabled, true);
    for (const id of ['cluster', 'profile', 'deregister-classic']) await c.check(id, true);
    await c.check('register', true); // the extension's own item: not the user's to tick
    assert.deepEqual(
      c.view.checklist!.map((i) => i.done),
      [true, true, true, false, false],
    );
    assert.ok(!vm.waitingForChecklist(c.view));
    const file = path.join(dir, '.gateway-cluster', 'checklists', `${context.identity.id}.json`);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).migrate, {
      cluster: true,
      profile: true,
      'deregister-classic': true,
    });
    await context.secrets.store('lab-activation-token', 'act-0123456789');
    await c.start();
    assert.equal(c.view.phase, 'succeeded', c.view.notice);
    assert.equal(c.view.checklist!.find((i) => i.id === 'register')?.done, true);
    // A new panel (after a reload) finds the same marks.
    const again = controller('migrate', context);
    await until(() => again.view.checklist?.[3]?.done === true);
    assert.equal(again.view.checklist![0]!.done, true);
  });

  it('says on the migration that the cluster is registered already, and asks its plan to refuse it', async () => {
    const context = contextOf();
    // The cluster is connected and its registration says connected (the tree's watch, stubbed).
    const changed = new Set<() => void>();
    let registration = 'connected';
    Object.defineProperty(context, 'live', {
      value: { state: 'connected', onDidChangeState: () => ({ dispose: () => undefined }) },
    });
    Object.assign(context.views, {
      registration: () => ({
        items: () => [{ state: registration }],
        error: undefined,
        onDidChange: (l: () => void) => (changed.add(l), { dispose: () => changed.delete(l) }),
        refresh: () => undefined,
        dispose: () => undefined,
      }),
    });
    const args: Array<OperationArgs | undefined> = [];
    const recording = (ctx: ClusterContext, onEvent: (e: RunEvent) => void) => {
      const engine = engines(ctx, onEvent);
      return {
        ...engine,
        plan: (...a: Parameters<typeof engine.plan>) => (args.push(a[2]), engine.plan(...a)),
      };
    };
    const c = new WizardController({
      kind: 'migrate',
      context: () => context,
      specLabel: 'cluster.yaml',
      engines: () => recording,
    });
    await until(() => c.view.checklist?.[0]?.warning !== undefined);
    assert.match(
      c.view.checklist![0]!.warning!,
      /^This cluster is registered already .*Roll Back to Classic/,
    );
    assert.ok(c.view.checklist!.slice(1).every((i) => i.warning === undefined));
    for (const id of ['cluster', 'profile', 'deregister-classic']) await c.check(id, true);
    await context.secrets.store('lab-activation-token', 'act-0123456789');
    await c.start();
    assert.equal(args.at(-1)?.migration, true, 'the plan checks that the cluster is not registered yet');
    // Once the migration registered it, that is no warning, and a re-run does not refuse.
    await context.checklists.set('migrate', 'register', true);
    await until(() => c.view.checklist?.[3]?.done === true);
    assert.equal(c.view.checklist![0]!.warning, undefined);
    await c.start();
    assert.equal(args.at(-1)?.migration, false);
    // Not registered: no warning.
    await context.checklists.set('migrate', 'register', false);
    registration = 'disconnected';
    for (const l of changed) l();
    await until(() => c.view.checklist?.[3]?.done === false);
    assert.equal(c.view.checklist![0]!.warning, undefined);
    c.dispose();
  });

  it('clears the migration’s ticks after a successful roll back (and the roll back’s after a migration)', async () => {
    const context = contextOf();
    const migrate = controller('migrate', context);
    for (const id of ['cluster', 'profile', 'deregister-classic']) await migrate.check(id, true);
    await context.secrets.store('lab-activation-token', 'act-0123456789');
    await migrate.start();
    assert.equal(migrate.view.checklist!.filter((i) => i.done).length, 4);
    const rollback = controller('rollback', context, async () => true);
    await rollback.start();
    assert.equal(rollback.view.phase, 'succeeded');
    // The open migration panel redraws: the flow starts over.
    await until(() => migrate.view.checklist!.every((i) => !i.done));
    assert.equal(rollback.view.checklist!.find((i) => i.id === 'deregister')?.done, true);
    await rollback.check('register-classic', true);
    for (const id of ['cluster', 'profile', 'deregister-classic']) await migrate.check(id, true);
    await migrate.start();
    await until(() => rollback.view.checklist!.every((i) => !i.done));
    assert.deepEqual(await context.checklists.read('rollback'), {});
  });

  it('asks before a reset starts, and runs nothing when it is not confirmed', async () => {
    const asked: string[] = [];
    const c = controller('reset', contextOf(), async () => (asked.push('asked'), false));
    await c.start();
    assert.deepEqual(asked, ['asked']);
    assert.equal(c.view.phase, 'idle');
    assert.equal(c.view.notice, 'Not confirmed: nothing was run.');
    assert.equal(c.view.runId, undefined);
  });

  it('asks before De-register, Roll Back and the drill start, naming what stops and for how long', async () => {
    const asked: Array<[string, string]> = [];
    // The dialog's message is the question, its detail the rest: joined here as one text.
    const ask = (answer: boolean) => async (message: string, detail: string, action: string) => (
      asked.push([`${message} ${detail}`, action]),
      answer
    );
    for (const kind of ['deregister', 'rollback'] as const) {
      const c = controller(kind, contextOf(), ask(false));
      await c.start();
      assert.equal(c.view.notice, 'Not confirmed: nothing was run.');
      assert.equal(c.view.runId, undefined);
    }
    assert.deepEqual(
      asked.map(([, action]) => action),
      ['De-register Cluster', 'Roll Back to Classic'],
    );
    for (const [message] of asked)
      assert.match(
        message,
        /^De-register lab\? The management platform stops monitoring through it until it is registered again/,
      );
    // Answered yes, the run goes.
    const yes = controller('rollback', contextOf(), ask(true));
    await yes.start();
    assert.equal(yes.view.phase, 'succeeded', yes.view.notice);
    // The drill names the node and how long it is down; a load-balanced cluster's names its gateway service.
    const drill = new WizardController({
      kind: 'drill',
      args: { node: 'gw-1' },
      context: () => contextOf(),
      specLabel: 'cluster.yaml',
      engines: () => engines,
      confirm: ask(false),
    });
    await drill.start();
    assert.match(asked.at(-1)![0], /^Stop MicroK8s on gw-1 of lab for the drill\? .*about 6 minutes/);
    assert.equal(asked.at(-1)![1], 'Node-Failure Drill');
    assert.equal(drill.view.runId, undefined);
    assert.deepEqual(
      confirmationQuestions(OPERATIONS.drill, {
        cluster: 'lab-mgw',
        node: 'mgw-2',
        topology: 'load-balanced',
      }),
      [
        "Stop the gateway service on mgw-2 of lab-mgw for the drill? HAProxy sends its connections to the other gateways; it stays stopped until HAProxy marks it DOWN — a few seconds, the health check's inter × fall — then the drill starts it again.",
      ],
    );
  });

  it("keeps a failed check's message and advice on its row, and the collection of a diagnostics run", () => {
    let v: WizardView = initialView('validate-cluster', { cluster: 'lab', specLabel: 'cluster.yaml' });
    const at = 1;
    v = reduce(v, {
      type: 'event',
      event: {
        type: 'runStarted',
        runId: 'r',
        at,
        operation: 'validate-cluster',
        cluster: 'lab',
        steps: [{ id: 'nodes', title: 'Every node is Ready', check: true }],
      },
    });
    v = reduce(v, {
      type: 'event',
      event: {
        type: 'failed',
        runId: 'r',
        at,
        step: 'nodes',
        durationMs: 1,
        failure: {
          step: 'nodes',
          stepTitle: 'Every node is Ready',
          message: 'gw-2 is NotReady.',
          outputTail: [],
          hint: 'Start MicroK8s there.',
        },
      },
    });
    assert.equal(v.steps[0]!.note, 'gw-2 is NotReady. What to do: Start MicroK8s there.');
    let d: WizardView = initialView('diagnostics', { cluster: 'lab', specLabel: 'cluster.yaml' });
    d = reduce(d, {
      type: 'event',
      event: {
        type: 'report',
        runId: 'r',
        at,
        step: 'inspect',
        key: DIAGNOSTICS,
        value: {
          folder: '/ws/.gateway-cluster/diagnostics/t',
          files: [{ node: 'gw-1', file: 'gw-1/r.tar.gz', bytes: 10, sha256: 'ab' }],
          missing: [{ node: 'gw-2', what: 'microk8s inspect', reason: 'EHOSTUNREACH' }],
        },
      },
    });
    assert.equal(d.diagnostics?.folder, '/ws/.gateway-cluster/diagnostics/t');
    assert.deepEqual(
      d.diagnostics?.missing.map((m) => m.node),
      ['gw-2'],
    );
    assert.equal(
      vm.toolbarButtons({ ...d, phase: 'failed' }).find((b) => b.id === 'resume')?.label,
      'Run again',
    );
  });
});
