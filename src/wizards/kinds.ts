// The wizard panels beside the catalog's operations: each panel runs one operation; the guided flows of seed
// 001 run the operation that is theirs — migrating from a classic gateway registers the cluster with the same
// management profile, rolling back to classic de-registers it — between the steps the user does in the
// management platform (checklists whose boxes persist beside the spec). Data only: the webview imports it.
import { OPERATIONS, type OperationPlanName } from '../ops/catalog';
import type { WizardKind } from './protocol';

export type FlowKind = Extract<WizardKind, 'migrate' | 'rollback'>;

const FLOW_OPERATIONS: Record<FlowKind, OperationPlanName> = { migrate: 'register', rollback: 'deregister' };
const FLOW_TITLES: Record<FlowKind, string> = {
  migrate: 'Migrate from a Classic Gateway',
  rollback: 'Roll Back to Classic',
};

export const isFlow = (kind: WizardKind): kind is FlowKind => kind === 'migrate' || kind === 'rollback';

/** The catalog operation a panel runs. */
export function operationOf(kind: WizardKind): OperationPlanName {
  return isFlow(kind) ? FLOW_OPERATIONS[kind] : kind;
}

/** The panel's title; a load-balanced cluster's drill stops a gateway (its command says Gateway-Failure Drill). */
export function wizardTitle(kind: WizardKind, topology?: string): string {
  if (kind === 'drill' && topology === 'load-balanced') return 'Gateway-Failure Drill';
  return isFlow(kind) ? FLOW_TITLES[kind] : OPERATIONS[kind].title;
}

/** One item of a guided flow: the user's (a checkbox) or the extension's (the panel's run). */
export interface ChecklistItem {
  id: string;
  text: string;
  by: 'you' | 'extension';
  hint?: string;
}

/** Seed 001's procedures, in order. */
export const CHECKLISTS: Record<FlowKind, ChecklistItem[]> = {
  migrate: [
    {
      id: 'cluster',
      by: 'you',
      text: 'Build the gateway cluster (a single-node one is enough): Join Nodes, then Deploy Gateway Services.',
      hint: 'Validate Cluster checks it; it must not be registered yet.',
    },
    {
      id: 'profile',
      by: 'you',
      text: 'In the management platform, select the management profile of the classic gateway and copy its activation token.',
      hint: 'Setup › Management Profiles. Store the token in the field below.',
    },
    {
      id: 'deregister-classic',
      by: 'you',
      text: 'De-register the classic gateway from that management profile.',
      hint: 'A profile holds one gateway at a time: registering the cluster is refused until this is done.',
    },
    {
      id: 'register',
      by: 'extension',
      text: 'Register this cluster with the same management profile (Start below), until it is connected.',
    },
    {
      id: 'resume',
      by: 'you',
      text: "Check that discovery and monitoring resume: the classic gateway's configurations move to the cluster on their own within a few minutes.",
    },
  ],
  rollback: [
    {
      id: 'deregister',
      by: 'extension',
      text: 'De-register this cluster from its management profile (Start below), until the Gateway Manager reports disconnected.',
    },
    {
      id: 'register-classic',
      by: 'you',
      text: 'In the management platform, register a classic gateway with the same management profile in its place.',
      hint: 'No managed resource needs onboarding again, and no monitoring data is lost.',
    },
    { id: 'monitoring', by: 'you', text: 'Check that monitoring continues from the classic gateway.' },
  ],
};
