// Register / de-register through the Kubernetes API: the Secret gateway-registration and the Gateway
// Manager's answer in the ConfigMap gateway-registration-status (pending → connecting → connected | failed).
import type { ClusterModel } from '../../cluster-spec/types';
import { NAMESPACE, REGISTRATION_SECRET, REGISTRATION_STATUS } from '../node-commands';
import { StepFailure } from '../errors';
import type { ConfigMapInfo } from '../ports';
import type { Plan, Step } from '../plan';
import { kubeconfigStep } from './kubeconfig';
import { assertUsable } from './validate';

export interface RegisterOptions {
  /** No answer within this time ends the step as timed out (10 minutes by contract). */
  timeoutMs: number;
  /** The migration's register (OperationArgs.migration): a check that the cluster is not registered yet. */
  migration?: boolean;
}

export const REGISTRATION_STATE = 'register.state';

function registerStep(model: ClusterModel, o: RegisterOptions): Step {
  const tokenKey = model.registration?.activationTokenSecret ?? '';
  const profile = model.registration?.managementProfile;
  return {
    id: 'register',
    title: profile ? `Register with the management profile "${profile}"` : 'Register the cluster',
    checkText: `the Secret ${REGISTRATION_SECRET} holds the same token and ${REGISTRATION_STATUS} says connected`,
    proofText: `${REGISTRATION_STATUS} reaches state connected`,
    async check(ctx) {
      const api = await ctx.cluster();
      const token = await ctx.secret(tokenKey, 'the activation token');
      const [secret, status] = await Promise.all([
        api.readSecret(NAMESPACE, REGISTRATION_SECRET),
        api.readConfigMap(NAMESPACE, REGISTRATION_STATUS),
      ]);
      return secret?.activationToken === token && status?.data.state === 'connected'
        ? 'already registered (connected)'
        : undefined;
    },
    async run(ctx) {
      const api = await ctx.cluster();
      const token = await ctx.secret(tokenKey, 'the activation token');
      const before = await api.readConfigMap(NAMESPACE, REGISTRATION_STATUS);
      await api.applySecret(NAMESPACE, REGISTRATION_SECRET, { activationToken: token });
      ctx.log(`Secret ${REGISTRATION_SECRET} written; waiting for the Gateway Manager`);
      let lastState: string | undefined;
      const final = await ctx
        .waitFor<ConfigMapInfo | undefined>(
          'the Gateway Manager to answer the registration',
          (onValue, onError) => api.watchConfigMap(NAMESPACE, REGISTRATION_STATUS, onValue, onError),
          (cm) => {
            // A state left from an earlier attempt is not an answer to this one.
            if (!cm || (before && cm.resourceVersion === before.resourceVersion)) return false;
            const state = cm.data.state;
            if (state && state !== lastState) {
              lastState = state;
              ctx.shared.set(REGISTRATION_STATE, state);
              ctx.log(`state: ${state}${cm.data.message ? ` (${cm.data.message})` : ''}`);
            }
            if (state === 'failed') {
              return new StepFailure(
                // Its message ends a sentence of ours: one full stop, whether or not it brings its own.
                `The Gateway Manager refused the registration: ${(cm.data.message ?? 'no message').replace(/[.\s]+$/, '')}.`,
                'Check the activation token (copy it again from Setup › Management Profiles), store it with "Change", then resume.',
              );
            }
            return state === 'connected';
          },
          o.timeoutMs,
        )
        .catch((err: unknown) => {
          if (err instanceof StepFailure && /^Timed out/.test(err.message)) {
            throw new StepFailure(
              `No answer from the Gateway Manager within ${Math.round(o.timeoutMs / 60_000)} minutes (last state: ${lastState ?? 'none'}).`,
              `Check that the gateway-manager pods run and that the cluster reaches the internet, then resume.`,
            );
          }
          throw err;
        });
      return `connected${final?.data.message ? `: ${final.data.message}` : ''}`;
    },
    preview: () => [],
  };
}

/** The migration's first item says the cluster must not be registered yet: refused when it is. */
function notRegisteredStep(model: ClusterModel, refuse: boolean): Step {
  return {
    id: 'not-registered',
    title: 'Check that the cluster is not registered yet',
    readOnly: true,
    checkText: 'this migration registered the cluster itself (its own checklist item is ticked)',
    proofText: `${REGISTRATION_STATUS} is absent or says anything but connected`,
    async check() {
      return refuse ? undefined : 'this migration registered it';
    },
    async run(ctx) {
      const status = await (await ctx.cluster()).readConfigMap(NAMESPACE, REGISTRATION_STATUS);
      const state = status?.data.state;
      if (state === 'connected')
        throw new StepFailure(
          `${model.name} is registered already (${REGISTRATION_STATUS} says connected): a migration starts from a cluster that is not registered yet.`,
          "To give it a classic gateway's management profile, roll it back first (Roll Back to Classic), then migrate. If this migration registered it (its run ended before the Gateway Manager answered), it is done: check that discovery and monitoring resume.",
        );
      return state ? `not registered (${state})` : 'not registered';
    },
    preview: () => [
      { node: 'Kubernetes API', command: `read ConfigMap ${NAMESPACE}/${REGISTRATION_STATUS}` },
    ],
  };
}

function deregisterStep(o: RegisterOptions): Step {
  return {
    id: 'deregister',
    title: 'De-register the cluster',
    checkText: `no Secret ${REGISTRATION_SECRET} and ${REGISTRATION_STATUS} says disconnected (or is absent)`,
    proofText: `${REGISTRATION_STATUS} reaches state disconnected`,
    async check(ctx) {
      const api = await ctx.cluster();
      const [secret, status] = await Promise.all([
        api.readSecret(NAMESPACE, REGISTRATION_SECRET),
        api.readConfigMap(NAMESPACE, REGISTRATION_STATUS),
      ]);
      return !secret && (!status || status.data.state === 'disconnected') ? 'not registered' : undefined;
    },
    async run(ctx) {
      const api = await ctx.cluster();
      await api.deleteSecret(NAMESPACE, REGISTRATION_SECRET);
      await ctx.waitFor<ConfigMapInfo | undefined>(
        'the Gateway Manager to disconnect',
        (onValue, onError) => api.watchConfigMap(NAMESPACE, REGISTRATION_STATUS, onValue, onError),
        (cm) => !cm || cm.data.state === 'disconnected',
        o.timeoutMs,
      );
      return 'disconnected';
    },
    preview: () => [],
  };
}

export function registerPlan(model: ClusterModel, options: RegisterOptions): Plan {
  assertUsable(model, 'register');
  return {
    operation: 'register',
    cluster: model.name,
    model,
    steps: [
      kubeconfigStep(model),
      ...(options.migration !== undefined ? [notRegisteredStep(model, options.migration)] : []),
      registerStep(model, options),
    ],
  };
}

export function deregisterPlan(model: ClusterModel, options: RegisterOptions): Plan {
  assertUsable(model, 'deregister');
  return {
    operation: 'deregister',
    cluster: model.name,
    model,
    steps: [kubeconfigStep(model), deregisterStep(options)],
  };
}
