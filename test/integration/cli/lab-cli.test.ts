// `gateway-cluster plan` and `run` as a pipeline runs them — the packed package, installed with its runtime
// dependencies only, as a subprocess — against three fresh lab nodes whose sudo asks for a password: every
// exit status (0, 1, 2, 3, 4, 130), both output formats, a terminal, and the whole procedure (join with a
// node cut off mid-join, deploy with a SIGINT, register), each re-run skipped; then a search of everything
// it printed, its transcripts and the nodes' command lines for secrets.
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../support/wait-for';
import { clusterIdentity, stateDirOf } from '../../../src/clusters';
import { readIndex } from '../../../src/ops';
import type { TranscriptRecord } from '../../../src/ops';
import { startCliLab, type CliLab } from './support/cli-lab';
import { commandsOf, runCliOnTerminal, stepStatuses, type CliEvent, type CliResult } from './support/cli-run';

/** Commands that change something on a node; a re-run must send none of them. */
const MUTATING =
  /hostnamectl|cat > \/etc\/hosts|microk8s (stop|start|join|add-node|enable|kubectl delete)|helm3 (upgrade|pull)/;

const finishedOf = (r: CliResult) => r.events.find((e) => e.event === 'finished') as CliEvent | undefined;

describe('gateway-cluster plan and run against the lab (3 fresh nodes, the packed CLI)', function () {
  this.timeout(240_000);
  let t: CliLab;
  /** --known-hosts with the lab's file: what every run after the host-key tests passes. */
  let trust: string[];
  const withSecrets = () => ['--secrets-file', t.secretsFile, ...trust];

  before(async function () {
    this.timeout(240_000);
    t = await startCliLab('gclabcli', {
      nodes: 3,
      state: 'fresh',
      subnetPrefix: '10.250.51',
      sudoRequiresPassword: true,
    });
    trust = ['--known-hosts', t.info.knownHostsPath];
  });

  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  it('plan shows every step with its exact commands, secrets masked; it runs nothing and contacts no node', async () => {
    const text = await t.run(['plan', 'join', t.spec, '--accept-new-host-keys']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^# join — cluster lab-gateways \(dry run: nothing is executed\)/);
    assert.match(text.stdout, /gw-3\$ microk8s join 10\.250\.51\.11:25000\/••••\/CHECK/);
    assert.match(text.stdout, /Nothing was executed and no node was contacted\.\n$/);
    const json = await t.run(['plan', 'deploy', t.spec, '--format', 'json']);
    assert.equal(json.status, 0, json.stderr);
    assert.equal(json.events.length, 1);
    const plan = json.events[0]!;
    assert.equal(plan.event, 'plan');
    assert.deepEqual(
      (plan.steps as Array<{ id: string }>).map((s) => s.id),
      ['kubeconfig', 'dns', 'metallb', 'storage', 'manager', 'wait'],
    );
    // A connection would have recorded the keys (--accept-new-host-keys); a run would have left a transcript.
    assert.equal(existsSync(t.ownKnownHosts), false);
    assert.equal(existsSync(t.runsDir), false);
  });

  it('exit 2 before anything connects: usage, an invalid spec, a missing secret, a secrets file others can read', async () => {
    const usage = await t.run(['run', 'rejoin', t.spec]);
    assert.equal(usage.status, 2);
    assert.match(
      usage.stderr,
      /unknown operation "rejoin" \(one of preflight, join, deploy, register, deregister/,
    );
    assert.equal((await t.run(['run', 'join', t.spec, '--node', 'gw-1'])).status, 2);
    assert.equal((await t.run(['plan', 'join', t.spec, '--yes'])).status, 2);

    const bad = path.join(t.workspace, 'bad.cluster.yaml');
    await fs.writeFile(bad, t.info.specYaml.replace('address: 10.250.51.12', 'address: 10.250.51.312'));
    const invalid = await t.run(['run', 'join', bad, ...withSecrets(), '--format', 'json']);
    assert.equal(invalid.status, 2);
    assert.match(
      invalid.stderr,
      /bad\.cluster\.yaml:\d+:\d+: error GC102 Address of node 2 "10\.250\.51\.312"/,
    );
    assert.deepEqual(
      invalid.events.map((e) => [e.event, e.exitStatus]),
      [['error', 2]],
    );

    const missing = await t.run(['run', 'deploy', t.spec, ...trust]);
    assert.equal(missing.status, 2);
    assert.match(
      missing.stderr,
      /deploy needs the secret "lab-manager-password" \(the Gateway Manager password\); nothing was run/,
    );

    const open = path.join(t.workspace, 'open-secrets.yaml');
    await fs.writeFile(open, 'lab-manager-password: x\n', { mode: 0o644 });
    const refused = await t.run(['run', 'deploy', t.spec, '--secrets-file', open, ...trust]);
    assert.equal(refused.status, 2);
    assert.match(
      refused.stderr,
      /the secrets file .*open-secrets\.yaml is refused: its permissions 0644 let others read or change it; run chmod 600/,
    );
    // The environment variable names the file as well as the flag does.
    const fromEnv = await t.run(['run', 'deploy', t.spec, ...trust], {
      env: { ...t.env, GATEWAY_CLUSTER_SECRETS_FILE: open },
    });
    assert.equal(fromEnv.status, 2);
    assert.match(fromEnv.stderr, /open-secrets\.yaml is refused/);
    assert.equal(existsSync(t.runsDir), false, 'nothing ran, so no transcript');
  });

  it('exit 3: unknown host keys are refused with their fingerprints; --accept-new-host-keys records them', async () => {
    const refused = await t.run([
      'run',
      'preflight',
      t.spec,
      '--secrets-file',
      t.secretsFile,
      '--format',
      'json',
    ]);
    assert.equal(refused.status, 3, refused.stderr);
    for (const node of t.info.nodes) {
      assert.ok(
        refused.stderr.includes(
          `${node.specHostname} (${node.address}:22) presented an unknown ssh-ed25519 host key: ${node.hostKeyFingerprint}`,
        ),
        refused.stderr,
      );
    }
    assert.match(refused.stderr, /run again with --accept-new-host-keys/);
    assert.equal(finishedOf(refused)?.outcome, 'failed');
    assert.equal(existsSync(t.ownKnownHosts), false);

    // accept-new: recorded in the CLI's own store; preflight then runs (fresh VMs: warnings only, exit 0).
    const accepted = await t.run([
      'run',
      'preflight',
      t.spec,
      '--secrets-file',
      t.secretsFile,
      '--accept-new-host-keys',
    ]);
    assert.equal(accepted.status, 0, accepted.stderr);
    for (const node of t.info.nodes) {
      assert.ok(
        accepted.stderr.includes(
          `accepted the new ssh-ed25519 host key of ${node.specHostname} (${node.address}:22): ${node.hostKeyFingerprint}`,
        ),
      );
    }
    const recorded = readFileSync(t.ownKnownHosts, 'utf8');
    for (const node of t.info.nodes) assert.ok(recorded.includes(`${node.address} ${node.hostPublicKey}`));
    // Text without a terminal: plain lines, nothing redrawn.
    assert.ok(!accepted.stdout.includes('\x1b['), 'no escape sequence without a terminal');
    assert.match(
      accepted.stdout,
      /^preflight on cluster lab-gateways: 1 step\nstarted {3}1\/1 Preflight checks\n/,
    );
    assert.match(accepted.stdout, /\nsucceeded 1\/1 Preflight checks · gw-1 \(\d+\.\d s\) — /);
    assert.match(accepted.stdout, /\npreflight succeeded in [\d.]+ s; transcript: .*-preflight\.json\n$/);

    // Now known: no question, no refusal.
    const again = await t.run(['run', 'preflight', t.spec, '--secrets-file', t.secretsFile]);
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /host key/);
  });

  it('exit 3: a changed host key is refused naming both fingerprints, with or without --accept-new-host-keys', async () => {
    const old = t.info.nodes[2]!.hostKeyFingerprint;
    await t.lab.inject({ kind: 'changeHostKey', node: 3 });
    const now = (await t.lab.info())!.nodes[2]!.hostKeyFingerprint;
    assert.notEqual(now, old);
    for (const extra of [[], ['--accept-new-host-keys']]) {
      const r = await t.run(['run', 'preflight', t.spec, '--secrets-file', t.secretsFile, ...extra]);
      assert.equal(r.status, 3, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `HOST KEY CHANGED for node gw-3 at 10\\.250\\.51\\.13:22: known ${escape(old)}, now presented ${escape(now)}`,
        ),
      );
    }
    // The lab's known_hosts has the new key (the fault rewrote it): given with --known-hosts, it is trusted.
    t.info = (await t.lab.info())!;
    const trusted = await t.run(['run', 'preflight', t.spec, ...withSecrets()]);
    assert.equal(trusted.status, 0, trusted.stderr);
    assert.doesNotMatch(trusted.stderr, /host key/i);
  });

  it('exit 4 for deploy while join runs; the join, gw-3 cut off mid-join, exits 1 naming gw-3', async () => {
    await t.lab.inject({ kind: 'hangCommand', node: 3, command: 'join' });
    let deployWhileJoining: Promise<CliResult> | undefined;
    let cut: Promise<void> | undefined;
    const join = t.start(['run', 'join', t.spec, ...withSecrets(), '--format', 'json'], {
      onEvent: (e) => {
        // The run event comes from inside the lock.
        if (e.event === 'run')
          deployWhileJoining ??= t.run(['run', 'deploy', t.spec, ...withSecrets(), '--format', 'json']);
        if (e.event === 'command' && e.node === 'gw-3' && String(e.command).startsWith('microk8s join')) {
          cut ??= (async () => {
            await waitFor(() => t.sampler.running(t.info, 3, /client\.cjs microk8s join /).length > 0, {
              timeoutMs: 20_000,
              what: "gw-3's microk8s join to run",
            });
            await t.lab.inject({ kind: 'linkDown', node: 3 });
          })();
        }
      },
    });
    let joined: CliResult;
    try {
      joined = await join.done;
    } finally {
      await cut;
      await t.lab.inject({ kind: 'linkUp', node: 3 });
      await t.lab.inject({ kind: 'clearHang', node: 3 });
    }
    assert.ok(cut, 'the link was cut while gw-3 joined');
    const locked = await deployWhileJoining!;
    assert.equal(locked.status, 4, locked.stderr);
    assert.match(
      locked.stderr,
      new RegExp(
        `join is already running on cluster lab-gateways \\(started .* by the gateway-cluster CLI, process ${join.child.pid}\\)`,
      ),
    );
    assert.deepEqual(
      locked.events.map((e) => e.event),
      ['error'],
      'deploy ran nothing',
    );

    assert.equal(joined.status, 1, joined.stderr);
    const failure = finishedOf(joined)?.failure as { node: string; step: string; command: string };
    assert.equal(failure.node, 'gw-3');
    assert.equal(failure.step, 'join');
    assert.match(failure.command, /^microk8s join 10\.250\.51\.11:25000\/••••\//);
    assert.match(joined.stderr, /Step "Join nodes to the cluster" failed on gw-3: /);
    assert.match(joined.stderr, /\nCommand: microk8s join 10\.250\.51\.11:25000\/••••\//);
    assert.deepEqual(stepStatuses(joined.events).join, {
      '': 'failed',
      'gw-2': 'succeeded',
      'gw-3': 'failed',
    });
  });

  it('after the link is back, a re-run joins gw-3 without repeating gw-2; another re-run changes nothing', async () => {
    const resumed = await t.run(['run', 'join', t.spec, ...withSecrets(), '--format', 'json']);
    assert.equal(resumed.status, 0, resumed.stderr);
    const states = stepStatuses(resumed.events);
    assert.equal(states.join!['gw-2'], 'skipped');
    assert.equal(states.rename![''], 'skipped');
    assert.deepEqual(
      commandsOf(resumed.events).filter((c) => c.startsWith('gw-2$') && MUTATING.test(c)),
      [],
    );
    assert.equal(commandsOf(resumed.events).filter((c) => c.includes('microk8s add-node')).length, 1);
    const nodes = (await t.lab.snapshot()).nodes;
    assert.deepEqual(nodes.map((n) => [n.name, n.ready]).sort(), [
      ['gw-1', true],
      ['gw-2', true],
      ['gw-3', true],
    ]);
    await assertAllDone('join');
  });

  it('SIGINT mid-deploy exits 130, stops the remote command, the transcript says cancelled; a re-run finishes', async () => {
    await t.lab.inject({ kind: 'hangCommand', node: 1, command: 'enable' });
    let interrupted = false;
    const deploy = t.start(['run', 'deploy', t.spec, ...withSecrets(), '--format', 'json'], {
      onEvent: (e, child) => {
        if (e.event === 'command' && e.command === 'microk8s enable dns' && !interrupted) {
          interrupted = true;
          void waitFor(() => t.sampler.running(t.info, 1, /microk8s enable dns/).length > 0, {
            timeoutMs: 20_000,
            what: 'the enable to run on gw-1',
          }).then(() => child.kill('SIGINT'));
        }
      },
    });
    let cancelled: CliResult;
    try {
      cancelled = await deploy.done;
      await waitFor(() => t.sampler.running(t.info, 1, /microk8s enable dns/).length === 0, {
        timeoutMs: 15_000,
        what: 'the remote enable to be stopped',
      });
    } finally {
      await t.lab.inject({ kind: 'clearHang', node: 1 });
    }
    assert.equal(cancelled.status, 130, cancelled.stderr);
    assert.match(cancelled.stderr, /SIGINT: cancelling; stopping the remote commands/);
    const finished = finishedOf(cancelled)!;
    assert.equal(finished.outcome, 'cancelled');
    assert.equal(stepStatuses(cancelled.events).dns![''], 'cancelled');
    const transcript = JSON.parse(readFileSync(finished.transcript as string, 'utf8')) as TranscriptRecord;
    assert.equal(transcript.outcome, 'cancelled');
    assert.equal((await t.lab.snapshot()).addons.dns, false);

    // Text this time: plain lines without a terminal.
    const resumed = await t.run(['run', 'deploy', t.spec, ...withSecrets()]);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stdout, /\nsucceeded 2\/6 Enable the dns add-on \([\d.]+ s\) — /);
    assert.ok(!resumed.stdout.includes('\x1b['), 'no escape sequence without a terminal');
    const s = await t.lab.snapshot();
    assert.equal(s.services.find((x) => x.name === 'gateway-manager')?.loadBalancerIp, t.info.floatingIp);
    await assertAllDone('deploy');
  });

  it('register with the secrets from the 0600 file: a registered HA cluster; a re-run is skipped', async () => {
    const r = await t.run(['run', 'register', t.spec, ...withSecrets(), '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.events.some((e) => e.event === 'output' && e.line === 'state: connecting'));
    const s = await t.lab.snapshot();
    assert.equal(s.registration?.state, 'connected');
    assert.equal(s.nodes.filter((n) => n.ready).length, 3);
    await assertAllDone('register');
  });

  it('exit 1 in text: a refused activation token names the step and the Gateway Manager’s answer; the right one connects again', async () => {
    const wrong = path.join(t.workspace, 'wrong-token.yaml');
    await fs.writeFile(wrong, 'lab-activation-token: invalid-token-for-the-test\n', { mode: 0o600 });
    const refused = await t.run(['run', 'register', t.spec, '--secrets-file', wrong, ...trust]);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(
      refused.stdout,
      /\nfailed {4}2\/2 Register with the management profile "Lab gateways" \([\d.]+ s\) — /,
    );
    assert.match(refused.stdout, /\nregister failed in [\d.]+ s; transcript: .*-register\.json\n$/);
    assert.match(
      refused.stderr,
      /^\nStep "Register with the management profile "Lab gateways"" failed: The Gateway Manager refused the registration: .*\nWhat to do: .*\nRun the same command again to resume: what is done is skipped\.\n$/s,
    );
    assert.equal((await t.lab.snapshot()).registration?.state, 'failed');
    const again = await t.run(['run', 'register', t.spec, ...withSecrets()]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal((await t.lab.snapshot()).registration?.state, 'connected');
  });

  it('on a terminal: live lines, and a missing secret is asked for without echo (Ctrl-C there cancels)', async () => {
    const partial = path.join(t.workspace, 'partial-secrets.json');
    await fs.writeFile(partial, JSON.stringify({ '@sudo-password': t.secrets.sudoPassword }), {
      mode: 0o600,
    });
    const args = ['run', 'register', t.spec, '--secrets-file', partial, ...trust];
    const prompt = /the activation token \("lab-activation-token"\): /;
    const asked = await runCliOnTerminal(t.cli, args, {
      cwd: t.workspace,
      env: t.env,
      answer: { prompt, keys: `${t.secrets.activationToken}\r` },
      transcript: t.printed,
    });
    assert.equal(asked.status, 0, asked.output);
    assert.ok(!asked.output.includes(t.secrets.activationToken), 'the typed token was echoed');
    assert.ok(asked.output.includes('\x1b[1A\x1b[J'), 'live lines are redrawn in place');
    assert.match(
      asked.output,
      /skipped {3}2\/2 Register with the management profile "Lab gateways" — already registered/,
    );

    const typedThenCancelled = await runCliOnTerminal(t.cli, args, {
      cwd: t.workspace,
      env: t.env,
      answer: { prompt, keys: 'half-typed\u0003' },
      transcript: t.printed,
    });
    assert.equal(typedThenCancelled.status, 130, typedThenCancelled.output);
    assert.match(typedThenCancelled.output, /cancelled; nothing was run/);
    assert.ok(!typedThenCancelled.output.includes('half-typed'));
  });

  it('SIGTERM cancels a run as SIGINT does', async () => {
    await t.lab.inject({ kind: 'hangCommand', node: 2, command: 'status' });
    try {
      const preflight = t.start(['run', 'preflight', t.spec, ...withSecrets(), '--format', 'json'], {
        onEvent: (e, child) => {
          if (e.event === 'command' && e.node === 'gw-2' && e.command === 'microk8s status') {
            void waitFor(() => t.sampler.running(t.info, 2, /microk8s status/).length > 0, {
              timeoutMs: 20_000,
            }).then(() => child.kill('SIGTERM'));
          }
        },
      });
      const r = await preflight.done;
      assert.equal(r.status, 130, r.stderr);
      assert.match(r.stderr, /SIGTERM: cancelling/);
      assert.equal(finishedOf(r)?.outcome, 'cancelled');
    } finally {
      await t.lab.inject({ kind: 'clearHang', node: 2 });
    }
  });

  it('no secret in stdout, stderr, the transcripts or the nodes’ command lines', async () => {
    const lines = [...t.sampler.seen];
    const joinTokens = [
      ...new Set(
        lines.flatMap(
          (l) => /microk8s (?:join \S*:25000\/|add-node --token )'?([A-Za-z0-9]{32})/.exec(l)?.slice(1) ?? [],
        ),
      ),
    ];
    assert.ok(joinTokens.length >= 3, 'the sampler caught the join tokens where MicroK8s requires them');
    const key = await fs.readFile(t.info.kube.clientKeyPath, 'utf8');
    const pem = key.trim().split('\n');
    const secrets: Array<[string, string]> = [
      ['sudo password', t.secrets.sudoPassword],
      ['manager password', t.secrets.managerPassword],
      ['activation token', t.secrets.activationToken],
      ['kubeconfig client key (base64)', Buffer.from(key).toString('base64')],
      ['kubeconfig client key (PEM line)', pem[Math.floor(pem.length / 2)]!],
      ...joinTokens.map((v): [string, string] => ['join token', v]),
    ];
    const artefacts: Array<[string, string]> = t.printed.map((text, i) => [`CLI output ${i}`, text]);
    const files = await fs.readdir(t.runsDir);
    for (const file of files) artefacts.push([file, await fs.readFile(path.join(t.runsDir, file), 'utf8')]);
    assert.ok(files.length > 10 && (await readIndex(t.runsDir)).length > 10, 'the runs left transcripts');
    for (const [name, text] of artefacts)
      for (const [what, value] of secrets) assert.ok(!text.includes(value), `${what} found in ${name}`);
    assert.ok(
      lines.some((l) => l.includes('sudo -k -S -p ')),
      'sudo took its password on stdin',
    );
    for (const line of lines) {
      for (const [what, value] of secrets) {
        // MicroK8s takes the join token only as an argument: by design the one value on a command line.
        if (what === 'join token') continue;
        assert.ok(!line.includes(value), `${what} on a command line: ${line.replace(value, '<secret>')}`);
      }
    }
    // The lock is gone, and it was the CLI's: the same file the editor takes.
    const id = clusterIdentity(t.spec, 'lab-gateways').id;
    assert.equal(existsSync(path.join(stateDirOf(t.spec), 'locks', `${id}.json`)), false);
  });

  /** A re-run of `operation` changes nothing: every step is skipped but the read-only ones. */
  async function assertAllDone(operation: string): Promise<void> {
    const again = await t.run(['run', operation, t.spec, ...withSecrets(), '--format', 'json']);
    assert.equal(again.status, 0, again.stderr);
    const states = stepStatuses(again.events);
    const readOnly = new Set(['preflight', 'kubeconfig']);
    for (const [step, byNode] of Object.entries(states)) {
      assert.equal(byNode[''], readOnly.has(step) ? 'succeeded' : 'skipped', `${operation} re-run: ${step}`);
    }
    assert.deepEqual(
      commandsOf(again.events).filter((c) => MUTATING.test(c)),
      [],
    );
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
