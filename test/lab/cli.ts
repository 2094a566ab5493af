// `npm run lab -- up [--nodes N] [--state fresh|joined|deployed] [--name NAME] [--subnet X.Y.Z] [--time-scale F]`,
// `npm run lab -- down`, `npm run lab -- status`. Needs root. Prints no secrets (they live in lab.json, 0600).
import { createLab, type LabState } from './index';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const lab = createLab(option(args, '--name'));
  if (command === 'up') {
    const started = Date.now();
    const state = (option(args, '--state') ?? 'joined') as LabState;
    if (!['fresh', 'joined', 'deployed'].includes(state)) throw new Error(`unknown state ${state}`);
    const info = await lab.up({
      nodes: Number(option(args, '--nodes') ?? '3'),
      state,
      subnetPrefix: option(args, '--subnet'),
      sudoRequiresPassword: args.includes('--sudo-password'),
      timeScale:
        option(args, '--time-scale') === undefined ? undefined : Number(option(args, '--time-scale')),
    });
    console.log(`lab ${lab.name} is up (${state}, ${info.nodes.length} nodes) in ${Date.now() - started} ms`);
    for (const node of info.nodes) {
      console.log(
        `  node ${node.index}: ${node.address}  hostname ${node.hostname}  ssh ${info.user}@${node.address}  ${node.hostKeyFingerprint}`,
      );
    }
    console.log(`  identity file: ${info.clientKeyPath}   known_hosts: ${info.knownHostsPath}`);
    console.log(`  password and API token: ${info.dir}/lab.json (root only)   spec: ${info.specPath}`);
    console.log(
      `  try: ssh -i ${info.clientKeyPath} -o UserKnownHostsFile=${info.knownHostsPath} ${info.user}@${info.nodes[0]?.address} microk8s status`,
    );
    return 0;
  }
  if (command === 'down') {
    const started = Date.now();
    await lab.down();
    console.log(`lab ${lab.name} is down (${Date.now() - started} ms)`);
    return 0;
  }
  if (command === 'status') {
    const info = await lab.info();
    if (!info) {
      console.log(`lab ${lab.name} is not up`);
      return 1;
    }
    const snapshot = await lab.snapshot();
    console.log(`lab ${lab.name}: ${info.nodes.length} nodes on ${info.subnet}`);
    for (const node of snapshot.nodes) {
      console.log(
        `  ${node.name.padEnd(16)} ${node.address.padEnd(15)} ${node.ready ? 'Ready' : 'NotReady'}${node.unschedulable ? ',SchedulingDisabled' : ''}`,
      );
    }
    console.log(
      `  pods: ${snapshot.pods.length}, addons: dns=${snapshot.addons.dns} metallb=${snapshot.addons.metallb ?? 'off'}, releases: ${snapshot.releases.map((r) => r.name).join(', ') || 'none'}`,
    );
    return 0;
  }
  console.error(
    'usage: npm run lab -- up [--nodes N] [--state fresh|joined|deployed] [--name NAME] [--subnet X.Y.Z] [--time-scale F] | down | status',
  );
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
