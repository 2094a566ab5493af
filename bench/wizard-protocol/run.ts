// Wizard protocol validation, printed (none asserts): how long the webview takes to check the largest view
// the host sends (every step with the output the panel keeps), next to structuredClone of the same message —
// the copy postMessage makes of it anyway — measured in the same run, interleaved; and the host's check of
// the webview's small messages.
import { performance } from 'node:perf_hooks';
import type { WizardView } from '../../src/wizards/protocol';
import { isWizardView, parseHostMessage, parseWebviewMessage } from '../../src/wizards/protocol';
import { initialView, OUTPUT_LIMIT } from '../../src/wizards/state';

const STEPS = Number(process.env.STEPS ?? 40);
const NODES = 10;
const ROUNDS = 15;

function largeView(): WizardView {
  return {
    ...initialView('deploy', {
      cluster: 'bench',
      specLabel: 'cluster.yaml',
      managerUrl: 'https://10.0.0.5:5480',
    }),
    phase: 'running',
    mode: 'run',
    runId: 'run-1',
    transcript: true,
    steps: Array.from({ length: STEPS }, (_, s) => ({
      id: `step-${s}`,
      title: `Step number ${s}`,
      state: 'succeeded' as const,
      durationMs: 5,
      note: 'done',
      nodes: Array.from({ length: NODES }, (_, n) => ({
        name: `gw-${n}`,
        state: 'succeeded' as const,
        durationMs: 3,
      })),
      output: Array.from({ length: OUTPUT_LIMIT }, (_, i) => ({
        stream: i % 7 ? ('stdout' as const) : ('command' as const),
        text: `line ${i} `.padEnd(100, 'x'),
        node: `gw-${i % NODES}`,
      })),
      outputDropped: 12,
    })),
    findings: Array.from({ length: 100 }, (_, i) => ({
      node: `gw-${i % NODES}`,
      severity: 'warning' as const,
      message: 'swap is on',
      fixId: `fix-${i}`,
    })),
    fixes: Array.from({ length: 100 }, (_, i) => ({ id: `fix-${i}`, node: 'gw-1', label: 'Turn swap off' })),
  };
}

const view = largeView();
const message = { type: 'state', view, specUri: 'file:///w/cluster.yaml', sentAt: 5 };
const small = Array.from({ length: 1000 }, (_, i) =>
  i % 2 ? { type: 'command', name: 'start' } : { type: 'input', key: 'sudoPassword', value: `pw-${i}` },
);

const subjects: Array<[string, () => unknown, number]> = [
  ['(r) structuredClone of the message (reference)', () => structuredClone(message), 10],
  ['(p) parseHostMessage (webview, each snapshot)', () => parseHostMessage(message), 10],
  ['(g) isWizardView (host, restoring a panel)', () => isWizardView(view), 10],
  ['(w) parseWebviewMessage × 1000 small messages', () => small.every((m) => parseWebviewMessage(m)), 1],
];

const samples = new Map<string, number[]>(subjects.map(([name]) => [name, []]));
for (let round = -3; round < ROUNDS; round++) {
  // Rotate the order each round, so a load spike hits every subject alike; the first rounds warm up.
  for (let k = 0; k < subjects.length; k++) {
    const [name, run, reps] = subjects[(k + round + 3) % subjects.length]!;
    const t = performance.now();
    for (let i = 0; i < reps; i++) if (!run()) throw new Error(`${name} rejected its input`);
    if (round >= 0) samples.get(name)!.push((performance.now() - t) / reps);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const reference = median(samples.get(subjects[0]![0])!);
console.log(
  `view: ${STEPS} steps × ${OUTPUT_LIMIT} output lines, ${NODES} nodes each, 100 findings: ` +
    `${(JSON.stringify(message).length / 1e6).toFixed(2)} MB as JSON; median of ${ROUNDS} rounds`,
);
for (const [name] of subjects) {
  const ms = median(samples.get(name)!);
  console.log(`${name.padEnd(50)} ${ms.toFixed(3).padStart(8)} ms  ${(ms / reference).toFixed(2)}× (r)`);
}
