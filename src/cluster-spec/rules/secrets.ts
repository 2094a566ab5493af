// GC150-GC151: secrets never live in the file; secret key names are valid. (Proxy credentials: rules/proxy.ts.)
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { otherHostPaths } from './hosts';

const SECRET_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** A secret key name made of the characters secret names allow. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100) || 'cluster';
}

export function checkSecrets(ctx: RuleContext): void {
  const cluster = safeName(ctx.string(['metadata', 'name']) ?? 'cluster');
  const places: Array<{
    path: Array<string | number>;
    inline: string;
    secretKey: string;
    suggestedName: string;
  }> = [
    {
      path: ['spec', 'ssh'],
      inline: 'password',
      secretKey: 'passwordSecret',
      suggestedName: `${cluster}-ssh-password`,
    },
    {
      path: ['spec', 'gatewayManager'],
      inline: 'password',
      secretKey: 'passwordSecret',
      suggestedName: `${cluster}-manager-password`,
    },
    {
      path: ['spec', 'registration'],
      inline: 'activationToken',
      secretKey: 'activationTokenSecret',
      suggestedName: `${cluster}-activation-token`,
    },
  ];
  const nodes = ctx.list(['spec', 'nodes']) ?? [];
  nodes.forEach((_, index) => {
    const hostname = ctx.string(['spec', 'nodes', index, 'hostname']);
    places.push({
      path: ['spec', 'nodes', index, 'ssh'],
      inline: 'password',
      secretKey: 'passwordSecret',
      suggestedName: `${cluster}-${safeName(hostname ?? `node-${index + 1}`)}-ssh-password`,
    });
  });
  for (const host of otherHostPaths(ctx)) {
    const hostname = ctx.string([...host, 'hostname']);
    places.push({
      path: [...host, 'ssh'],
      inline: 'password',
      secretKey: 'passwordSecret',
      suggestedName: `${cluster}-${safeName(hostname ?? String(host[1]))}-ssh-password`,
    });
  }
  places.push(
    {
      path: ['spec', 'gateway'],
      inline: 'installKey',
      secretKey: 'installKeySecret',
      suggestedName: `${cluster}-install-key`,
    },
    {
      path: ['spec', 'gateway'],
      inline: 'password',
      secretKey: 'passwordSecret',
      suggestedName: `${cluster}-gateway-password`,
    },
  );
  for (const place of places) {
    const block = ctx.value(place.path);
    if (block === null || typeof block !== 'object' || Array.isArray(block)) continue;
    if (Object.hasOwn(block, place.inline)) {
      ctx.report(
        'GC150',
        [...place.path, place.inline],
        'key',
        `"${place.inline}" is written inline in the file; move it into the editor's secret storage and refer to it with "${place.secretKey}".`,
        {
          fix: { kind: 'moveSecret', secretKey: place.secretKey, suggestedName: place.suggestedName },
        },
      );
    }
    checkSecretName(ctx, [...place.path, place.secretKey]);
  }
  // The proxy's credentials have no inline key of their own: inline, they are part of a URL (rules/proxy.ts).
  checkSecretName(ctx, ['spec', 'network', 'proxy', 'credentialsSecret']);
  checkSecretName(ctx, ['spec', 'agents', 'installKeySecret']);
}

function checkSecretName(ctx: RuleContext, path: Array<string | number>): void {
  const name = ctx.string(path);
  if (name === undefined || SECRET_NAME.test(name)) return;
  const cleaned = safeName(name);
  ctx.fail(
    'GC151',
    path,
    `${String(path[path.length - 1])} ${quote(name)} is not a valid secret key name; use 1-128 letters, digits, ".", "_" or "-".`,
    SECRET_NAME.test(cleaned) && cleaned !== 'cluster'
      ? { fix: { kind: 'replaceValue', value: cleaned } }
      : {},
  );
}
