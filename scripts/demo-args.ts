// `npm run demo`'s command line, parsed without side effects (unit-tested in test/unit/scripts/).
import type { LabState } from '../test/lab/api';

export type DemoTopology = 'microk8s' | 'load-balanced';

/** The lab states each topology starts from (the lab's own: test/lab/cli.ts), and the demo's default. */
export const DEMO_STATES: Record<DemoTopology, readonly LabState[]> = {
  microk8s: ['fresh', 'joined', 'deployed'],
  'load-balanced': ['fresh', 'installed', 'configured'],
};
const DEFAULT_STATE: Record<DemoTopology, LabState> = { microk8s: 'joined', 'load-balanced': 'fresh' };

export interface DemoLabArgs {
  topology: DemoTopology;
  state: LabState;
  /** MicroK8s only: multiplies the lab's Kubernetes timings, in (0, 1]. */
  timeScale?: number;
}

export interface DemoArgs {
  port: number;
  /** Absent with `--no-lab`: the editor features only. */
  lab?: DemoLabArgs;
}

const VALUED = ['--port', '--state', '--topology', '--time-scale'] as const;
type Valued = (typeof VALUED)[number];

export const DEMO_USAGE =
  'usage: npm run demo -- [--port N] [--topology microk8s|load-balanced] ' +
  '[--state fresh|joined|deployed (microk8s) | fresh|installed|configured (load-balanced)] ' +
  '[--time-scale F (microk8s)] | [--port N] --no-lab';

/** Parses the arguments after `npm run demo --`; throws an Error whose message says what to type instead. */
export function parseDemoArgs(argv: readonly string[], env: { PORT?: string } = {}): DemoArgs {
  const values: Partial<Record<Valued, string>> = {};
  let noLab = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-lab') {
      noLab = true;
      continue;
    }
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (!(VALUED as readonly string[]).includes(name!))
      throw new Error(`unknown argument ${arg}\n${DEMO_USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || value.startsWith('--'))
      throw new Error(`${name} needs a value\n${DEMO_USAGE}`);
    values[name as Valued] = value;
  }
  const port = parsePort(values['--port'] ?? env.PORT);
  if (noLab) {
    const labOnly = (['--topology', '--state', '--time-scale'] as const).filter(
      (f) => values[f] !== undefined,
    );
    if (labOnly.length > 0)
      throw new Error(
        `--no-lab starts no lab, so ${labOnly.join(' and ')} cannot apply: drop one or the other`,
      );
    return { port };
  }
  const topology = values['--topology'] ?? 'microk8s';
  if (topology !== 'microk8s' && topology !== 'load-balanced')
    throw new Error(`invalid --topology ${topology}: use microk8s or load-balanced`);
  const states = DEMO_STATES[topology];
  const state = (values['--state'] ?? DEFAULT_STATE[topology]) as LabState;
  if (!states.includes(state)) {
    const other = (Object.keys(DEMO_STATES) as DemoTopology[]).find((t) => DEMO_STATES[t].includes(state));
    throw new Error(
      `invalid --state ${state} for the ${topology} topology: use ${listed(states)}` +
        (other ? ` (${state} is a state of --topology ${other})` : ''),
    );
  }
  const rawScale = values['--time-scale'];
  if (rawScale === undefined) return { port, lab: { topology, state } };
  if (topology !== 'microk8s')
    throw new Error(
      "--time-scale scales the MicroK8s lab's Kubernetes timings: the load-balanced topology has none",
    );
  const timeScale = Number(rawScale);
  if (!(timeScale > 0 && timeScale <= 1))
    throw new Error(`invalid --time-scale ${rawScale}: use a number in (0, 1]`);
  return { port, lab: { topology, state, timeScale } };
}

function parsePort(raw: string | undefined): number {
  const port = Number(raw ?? 8080);
  if (!/^\d+$/.test(raw ?? '8080') || port < 1 || port > 65535)
    throw new Error(`invalid port ${raw}: use a number from 1 to 65535`);
  return port;
}

/** "a, b or c" */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
