// Commands on a load-balanced cluster's load balancer and its servers: drain, disable and enable a gateway
// through the runtime API (`set server BACKEND/NAME state drain|maint|ready`, under the cluster's lock), the
// generated configuration beside the running one, the runtime API's stats, a refresh, and the wizards of the
// load-balanced operations (install, configure-lb, configure-agents, the drill on a gateway).
import * as vscode from 'vscode';
import type { ServerAdminState } from '../clusters';
import { requireTrust } from '../editor/trust';
import { modelOf } from '../tree/elements';
import { pickLoadBalancer, pickServer } from '../tree/lb-pickers';
import { runWithProgress } from './progress';
import type { CommandFactory } from './types';

const WORDS: Record<ServerAdminState, { title: string; verb: string; confirm?: string }> = {
  drain: {
    title: 'Drain',
    verb: 'Draining',
    confirm: 'HAProxy sends it no new connections; the ones it has finish. Enable it to take traffic again.',
  },
  maint: {
    title: 'Disable',
    verb: 'Disabling',
    confirm: 'HAProxy puts it in maintenance: no traffic and no health checks until you enable it.',
  },
  ready: { title: 'Enable', verb: 'Enabling' },
};

const setServerState =
  (state: ServerAdminState): CommandFactory =>
  (ctx) =>
  async (arg, options) => {
    const words = WORDS[state];
    if (!requireTrust(words.title)) return false;
    const server = await pickServer(ctx.tree.provider, arg);
    if (!server) return false;
    const context = server.backend.lb.cluster.context;
    if (words.confirm && (options as { confirmed?: boolean } | undefined)?.confirmed !== true) {
      const answer = await vscode.window.showWarningMessage(
        `${words.title} ${server.name} on the load balancer of ${context.model.name}?`,
        { modal: true, detail: words.confirm },
        words.title,
      );
      if (answer !== words.title) return false;
    }
    const ok = await runWithProgress(ctx, `${words.verb} ${server.name}`, async () => {
      await context.withLock(`${words.title.toLowerCase()} ${server.name}`, () =>
        context.loadBalancer.setServerState(server.name, state),
      );
      return true;
    });
    return ok === true;
  };

export const drainServer = setServerState('drain');
export const disableServer = setServerState('maint');
export const enableServer = setServerState('ready');

export const refreshLoadBalancer: CommandFactory = (ctx) => async (arg) => {
  const lb = await pickLoadBalancer(ctx.tree.provider, arg);
  if (lb) await lb.cluster.context.loadBalancer.refresh();
};

/** The load balancer's hostname, as the spec names it. */
const hostOf = (lb: { cluster: Parameters<typeof modelOf>[0] }): string =>
  modelOf(lb.cluster).loadBalancer?.hostname ?? 'load balancer';

/** The running haproxy.cfg (left) and the one configure-lb would write from the spec (right). */
export const showConfig: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Compare haproxy.cfg')) return undefined;
  const lb = await pickLoadBalancer(ctx.tree.provider, arg);
  if (!lb) return undefined;
  const name = modelOf(lb.cluster).name;
  const live = lb.cluster.context.loadBalancer;
  const host = hostOf(lb);
  const running = ctx.tree.lbDocuments.uriFor(name, host, live, 'running');
  const generated = ctx.tree.lbDocuments.uriFor(name, host, live, 'generated');
  ctx.tree.lbDocuments.refresh(running);
  ctx.tree.lbDocuments.refresh(generated);
  await vscode.commands.executeCommand(
    'vscode.diff',
    running,
    generated,
    `haproxy.cfg on ${host} ↔ generated from the spec`,
  );
  return { running, generated };
};

export const openStats: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Open Stats')) return undefined;
  const lb = await pickLoadBalancer(ctx.tree.provider, arg);
  if (!lb) return undefined;
  const uri = ctx.tree.lbDocuments.uriFor(
    modelOf(lb.cluster).name,
    hostOf(lb),
    lb.cluster.context.loadBalancer,
    'stats',
  );
  ctx.tree.lbDocuments.refresh(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  return uri;
};

/** The drill on a gateway, from its server in the tree (or picked). */
export const openServerDrill: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Drill')) return;
  const server = await pickServer(ctx.tree.provider, arg);
  if (!server) return;
  const cluster = server.backend.lb.cluster;
  const specUri = vscode.Uri.parse(cluster.specUri);
  await ctx.specs.ensure(specUri);
  await ctx.wizards.open('drill', specUri, cluster.context.documentIndex, { node: server.name });
};
