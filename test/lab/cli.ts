// `npm run lab -- up [--topology microk8s|load-balanced] [--nodes N] [--agents N]
// [--state fresh|joined|deployed|installed|configured] [--name NAME] [--subnet X.Y.Z] [--time-scale F]`,
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
    const topology = option(args, '--topology') ?? 'microk8s';
    if (topology !== 'microk8s' && topology !== 'load-balanced')
      throw new Error(`unknown topology ${topology}`);
    const loadBalanced = topology === 'load-balanced';
    const state = (option(args, '--state') ?? (loadBalanced ? 'fresh' : 'joined')) as LabState;
    const states = loadBalanced ? ['fresh', 'installed', 'configured'] : ['fresh', 'joined', 'deployed'];
    if (!states.includes(state))
      throw new Error(`unknown state ${state} (${topology}: ${states.join(', ')})`);
    const info = await lab.up({
      topology,
      nodes: Number(option(args, '--nodes') ?? '3'),
      agents: option(args, '--agents') === undefined ? undefined : Number(option(args, '--agents')),
      state,
      subnetPrefix: option(args, '--subnet'),
      sudoRequiresPassword: args.includes('--sudo-password'),
      timeScale:
        option(args, '--time-scale') === undefined ? undefined : Number(option(args, '--time-scale')),
    });
    console.log(`lab ${lab.name} is up (${state}, ${info.nodes.length} nodes) in ${Date.now() - started} ms`);
    const hosts = [
      ...(info.loadBalancer ? [['load balancer', info.loadBalancer] as const] : []),
      ...info.nodes.map((node) => [loadBalanced ? 'gateway' : 'node', node] as const),
      ...(info.agents ?? []).map((node) => ['agent', node] as const),
    ];
    for (const [role, node] of hosts) {
      console.log(
        `  ${role} ${node.index}: ${node.address}  hostname ${node.hostname}  ssh ${info.user}@${node.address}  ${node.hostKeyFingerprint}`,
      );
    }
    console.log(`  identity file: ${info.clientKeyPath}   known_hosts: ${info.knownHostsPath}`);
    console.log(`  password and API token: ${info.dir}/lab.json (root only)   spec: ${info.specPath}`);
    const target = info.loadBalancer ?? info.nodes[0];
    const example = loadBalanced ? 'systemctl status haproxy' : 'microk8s status';
    if (loadBalanced)
      console.log(`  secrets for the spec: lab-install-key and lab-gateway-password in ${info.dir}/lab.json`);
    console.log(
      `  try: ssh -i ${info.clientKeyPath} -o UserKnownHostsFile=${info.knownHostsPath} ${info.user}@${target?.address} ${example}`,
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
    if (info.topology === 'load-balanced') {
      console.log(`lab ${lab.name}: load-balanced, ${info.nodes.length} gateways on ${info.subnet}`);
      return 0;
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
    'usage: npm run lab -- up [--topology microk8s|load-balanced] [--nodes N] [--agents N] [--state fresh|joined|deployed|installed|configured] [--name NAME] [--subnet X.Y.Z] [--time-scale F] | down | status',
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
