// What `npm run demo` prints once the editor is up: what to do in the browser for the lab's topology and
// state, and what the wizards' inputs expect in the lab. Secrets are never printed: for the load-balanced
// lab, the command that reads them from the lab's root-only lab.json.
import type { DemoLabArgs } from './demo-args';

export function nextSteps(lab: DemoLabArgs, labDir: string): string[] {
  return lab.topology === 'load-balanced' ? loadBalancedSteps(lab, labDir) : microk8sSteps(lab);
}

function microk8sSteps(lab: DemoLabArgs): string[] {
  const steps =
    lab.state === 'fresh'
      ? [
          'The three VMs are fresh (named gateway-node, not joined). In cluster.yaml, use the code lenses in order:',
          '  1. Preflight — checks every node (it lists what Join will fix: hostnames, /etc/hosts).',
          '  2. Join nodes — one Start renames the nodes, joins them and proves high availability.',
          '  3. Deploy — dns, metallb, storage and the Gateway Manager.',
          '  4. Register — the activation token; then open the Gateway Manager.',
        ]
      : lab.state === 'joined'
        ? ['The cluster is joined. Connect "lab-gateways" in the Clusters view; then Deploy and Register.']
        : ['The cluster is deployed. Connect "lab-gateways" in the Clusters view; Register is left to do.'];
  return [
    ...steps,
    'What the lab expects when a wizard asks:',
    '  sudo password: none needed (sudo works without one on the lab nodes)',
    '  Gateway Manager password: any, at least 8 characters',
    '  activation token: any (one starting with "invalid-" shows how a refused token looks)',
  ];
}

function loadBalancedSteps(lab: DemoLabArgs, labDir: string): string[] {
  const todo = {
    install: '  Install Gateways — uploads the package, runs setupGateway.sh with a 0600 response file.',
    lb: '  Configure Load Balancer — generates haproxy.cfg, checks it with haproxy -c, reloads, rolls back on failure.',
    agents: '  Configure Agents — points the agent app-1 at the load balancer.',
    tree: '  Expand lb-1 in the Clusters view: the frontends and each gateway UP/DOWN; drain, disable, enable a gateway; Compare haproxy.cfg with the Spec; Gateway-Failure Drill.',
  };
  const steps =
    lab.state === 'fresh'
      ? [
          'Three fresh gateway hosts (nothing installed) and lb-1 running Debian\'s default haproxy.cfg. From the spec\'s code lenses or the cluster "lab-mgw" in the Clusters view, in order:',
          todo.install,
          todo.lb,
          todo.agents,
          todo.tree,
        ]
      : lab.state === 'installed'
        ? [
            "The gateways are installed; lb-1 still runs Debian's default haproxy.cfg. In order:",
            todo.lb,
            todo.agents,
            todo.tree,
          ]
        : [
            'The gateways, haproxy.cfg and the agent are configured (a re-run finds each step done).',
            todo.tree,
          ];
  const read = (key: string): string => `sudo node -p "require('${labDir}/lab.json').info.${key}"`;
  return [
    ...steps,
    'What the lab expects when a wizard asks:',
    '  sudo password: none needed (sudo works without one on the lab hosts)',
    `  install key (secret lab-install-key): the lab's own; print it with  ${read('installKey')}`,
    `  gateway password (secret lab-gateway-password): ${read('gatewayPassword')}`,
  ];
}
