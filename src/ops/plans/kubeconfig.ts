// Fetch the cluster's kubeconfig from node 1 into secret storage (it holds credentials: never the workspace).
import type { ClusterModel } from '../../cluster-spec/types';
import { cmd } from '../node-commands';
import { StepFailure } from '../errors';
import type { Step, StepContext } from '../plan';

async function answers(ctx: StepContext): Promise<boolean> {
  try {
    const api = await ctx.cluster();
    await api.listNodes(ctx.signal);
    return true;
  } catch {
    return false;
  }
}

export function kubeconfigStep(model: ClusterModel): Step {
  const node1 = model.nodes[0]!;
  return {
    id: 'kubeconfig',
    title: 'Fetch the cluster kubeconfig',
    checkText: 'a kubeconfig is stored for this cluster and the Kubernetes API answers with it',
    proofText: 'the Kubernetes API answers on one of the nodes (port 16443)',
    // Fetching it changes nothing on the cluster: a re-run of the CLI, which keeps the kubeconfig only in
    // memory, fetches it again without the proof steps after it counting that as a change.
    readOnly: true,
    async check(ctx) {
      return (await answers(ctx)) ? 'a stored kubeconfig reaches the Kubernetes API' : undefined;
    },
    async run(ctx) {
      const r = await ctx.exec(node1, cmd.config(), { secretOutput: true });
      const kubeconfig = r.stdout;
      if (!/clusters:/.test(kubeconfig) || !/server:/.test(kubeconfig)) {
        throw new StepFailure(
          `"microk8s config" on ${node1.hostname} did not print a kubeconfig.`,
          `Check "microk8s status" on ${node1.hostname}, then resume.`,
          { node: node1.hostname, command: 'microk8s config' },
        );
      }
      await ctx.storeKubeconfig(kubeconfig);
      if (!(await answers(ctx))) {
        throw new StepFailure(
          `The kubeconfig from ${node1.hostname} does not reach the Kubernetes API on any node (port 16443).`,
          'Check that MicroK8s runs and that port 16443 is open from this machine, then resume.',
        );
      }
      return 'kubeconfig kept as a secret (never in a file)';
    },
    preview: (p) => [
      {
        node: node1.hostname,
        command: p.show(cmd.config()),
        when: 'output kept in secret storage, never shown',
      },
    ],
  };
}
