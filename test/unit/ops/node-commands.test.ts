// The batched preflight commands: the facts script runs in a real shell and its output parses back into
// each check's output and exit code; the ping script's answers parse.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import {
  CHECK_MARK,
  parsePreflightFacts,
  parseUnreachable,
  pingAllScript,
  preflightFactCommands,
  preflightFactsScript,
} from '../../../src/ops/node-commands';

describe('ops commands: batched preflight', () => {
  it('runs every check of the facts script in a real shell and parses each one back', () => {
    const command = preflightFactsScript(['localhost']);
    assert.ok('script' in command);
    const run = spawnSync('bash', ['-c', command.script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, run.stderr);
    const facts = parsePreflightFacts(run.stdout);
    assert.deepEqual(
      [...facts.keys()],
      preflightFactCommands(['localhost']).map(([name]) => name),
    );
    assert.deepEqual(facts.get('hostname'), { code: 0, output: os.hostname() });
    assert.match(facts.get('resolve')!.output, /\slocalhost(\s|$)/);
    assert.equal(facts.get('cpus')!.output.trim(), String(os.availableParallelism()));
    assert.match(facts.get('memory')!.output, /^MemTotal:\s+\d+ kB$/);
  });

  it('leaves out the name lookup without peers, and keeps a failing check as its exit code', () => {
    assert.ok(!preflightFactCommands([]).some(([name]) => name === 'resolve'));
    const facts = parsePreflightFacts(
      [
        `${CHECK_MARK} hostname`,
        'gateway-node',
        `${CHECK_MARK} hostname exit 0`,
        `${CHECK_MARK} timeSync`,
        'bash: line 1: timedatectl: command not found',
        `${CHECK_MARK} timeSync exit 127`,
        `${CHECK_MARK} sudo`,
        'sudo: a password is required',
      ].join('\n'),
    );
    assert.deepEqual(facts.get('hostname'), { code: 0, output: 'gateway-node' });
    assert.equal(facts.get('timeSync')?.code, 127);
    // A check cut off before its end marker is absent, not half-read.
    assert.equal(facts.has('sudo'), false);
  });

  it('pings every target at once, each word quoted, and reads which did not answer', () => {
    const command = pingAllScript(['gw-2', '10.250.2.13']);
    assert.ok('script' in command);
    assert.match(command.script, /^for t in gw-2 10\.250\.2\.13; do \(ping -c 1 -W 2 "\$t" /);
    assert.match(command.script, /& done; wait$/);
    assert.match((pingAllScript(["a'b"]) as { script: string }).script, /for t in 'a'\\''b'; do/);
    assert.deepEqual([...parseUnreachable('reachable gw-2\nunreachable 10.250.2.13\n')], ['10.250.2.13']);
  });
});
