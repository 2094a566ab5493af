// The fake Gateway Manager's registration controller (operations.md, Register): while the gateway-manager
// release is installed, the Secret `gateway-registration` (key activationToken) in `default` moves the
// ConfigMap `gateway-registration-status` through pending → connecting → connected, or to failed with a
// message for a token the lab marks invalid; deleting the Secret moves it to disconnected.
// The token is compared, never logged or copied anywhere else.
import type { LabModel } from './model';
import type { Cluster, Json } from './types';

export const REGISTRATION_NAMESPACE = 'default';
export const REGISTRATION_SECRET = 'gateway-registration';
export const REGISTRATION_STATUS = 'gateway-registration-status';
export const INVALID_TOKEN_MESSAGE = 'Activation token is invalid or expired.';
export const MISSING_TOKEN_MESSAGE = 'The Secret gateway-registration has no activationToken.';
/** The management platform refuses a second gateway on a profile (the lab's words; seed 001's order). */
export const PROFILE_IN_USE_MESSAGE =
  'The management profile already has a registered gateway (a classic gateway). De-register it from the profile first.';

export type GatewayManagerEvent =
  | { kind: 'secret'; namespace: string; name: string; deleted: boolean }
  | { kind: 'installed'; namespace: string }
  | { kind: 'uninstalled'; namespace: string };

/** Pending timers of the registration in progress, per cluster. */
const sequences = new WeakMap<Cluster, NodeJS.Timeout[]>();

function cancel(cluster: Cluster): void {
  for (const timer of sequences.get(cluster) ?? []) {
    clearTimeout(timer);
    cluster.timers.delete(timer);
  }
  sequences.set(cluster, []);
}

function managerInstalled(cluster: Cluster): boolean {
  return cluster.releases.some(
    (r) => r.chart === 'gateway-manager' && r.namespace === REGISTRATION_NAMESPACE,
  );
}

function setStatus(model: LabModel, cluster: Cluster, data: Record<string, string>): void {
  const existing = model.getObject(cluster, 'configmaps', REGISTRATION_NAMESPACE, REGISTRATION_STATUS);
  const object: Json = existing
    ? structuredClone(existing)
    : {
        metadata: {
          name: REGISTRATION_STATUS,
          namespace: REGISTRATION_NAMESPACE,
          labels: {
            'app.kubernetes.io/name': 'gateway-manager',
            'app.kubernetes.io/component': 'registration',
          },
        },
      };
  object.data = { ...data, updated: new Date().toISOString() };
  model.putObject(cluster, 'configmaps', object);
}

function tokenOf(secret: Json | undefined): string | undefined {
  const data = (secret?.data ?? {}) as Record<string, unknown>;
  const encoded = data.activationToken;
  if (typeof encoded !== 'string') return undefined;
  return Buffer.from(encoded, 'base64').toString('utf8').trim();
}

function isInvalid(model: LabModel, token: string): boolean {
  const prefix = model.config.invalidTokenPrefix ?? 'invalid-';
  return model.invalidTokens.has(token) || (prefix !== '' && token.startsWith(prefix));
}

/** Runs the states one after the other, `stepMs` apart; a new event cancels the rest. */
function sequence(model: LabModel, cluster: Cluster, states: Array<Record<string, string>>): void {
  cancel(cluster);
  const stepMs = model.config.registrationStepMs ?? 300;
  const timers: NodeJS.Timeout[] = [];
  states.forEach((data, i) => {
    // The first answer comes quickly (the controller's watch fires), the rest at the step's pace.
    const at = i === 0 ? Math.min(50, stepMs) : Math.min(50, stepMs) + i * stepMs;
    timers.push(model.clusterTimer(cluster, at, () => setStatus(model, cluster, data)));
  });
  sequences.set(cluster, timers);
}

function register(model: LabModel, cluster: Cluster): void {
  const secret = model.getObject(cluster, 'secrets', REGISTRATION_NAMESPACE, REGISTRATION_SECRET);
  const token = tokenOf(secret);
  if (!token) {
    sequence(model, cluster, [{ state: 'pending' }, { state: 'failed', message: MISSING_TOKEN_MESSAGE }]);
    return;
  }
  const outcome = isInvalid(model, token)
    ? { state: 'failed', message: INVALID_TOKEN_MESSAGE }
    : model.classicRegistered
      ? { state: 'failed', message: PROFILE_IN_USE_MESSAGE }
      : { state: 'connected', message: 'Connected to the management profile.' };
  sequence(model, cluster, [{ state: 'pending' }, { state: 'connecting' }, outcome]);
}

/** The controller's reaction to a change it watches. Never throws. */
export function gatewayManagerReact(model: LabModel, cluster: Cluster, event: GatewayManagerEvent): void {
  if (event.namespace !== REGISTRATION_NAMESPACE) return;
  if (event.kind === 'uninstalled') {
    cancel(cluster);
    return;
  }
  if (!managerInstalled(cluster) || model.registrationStalled) return;
  if (event.kind === 'installed') {
    if (model.getObject(cluster, 'secrets', REGISTRATION_NAMESPACE, REGISTRATION_SECRET))
      register(model, cluster);
    return;
  }
  if (event.name !== REGISTRATION_SECRET) return;
  if (event.deleted) sequence(model, cluster, [{ state: 'disconnected' }]);
  else register(model, cluster);
}

/** The cluster's registration is connected (the profile is in use by the cluster). */
export function clusterConnected(model: LabModel, cluster: Cluster): boolean {
  return registrationSnapshot(model, cluster)?.state === 'connected';
}

/** The registration state for snapshot(): state and message only (no token). */
export function registrationSnapshot(
  model: LabModel,
  cluster: Cluster,
): { state: string; message?: string } | null {
  const status = model.getObject(cluster, 'configmaps', REGISTRATION_NAMESPACE, REGISTRATION_STATUS);
  const data = (status?.data ?? undefined) as Record<string, string> | undefined;
  if (!data?.state) return null;
  return data.message ? { state: data.state, message: data.message } : { state: data.state };
}
