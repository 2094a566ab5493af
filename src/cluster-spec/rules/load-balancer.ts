// GC202-GC207, GC209-GC210 for spec.loadBalancer: its host is not a gateway, each frontend port is used once,
// the backend serves the spec's gateways, the pass-through pitfall (`ssl` on the server lines), health checks
// over TLS that verify (or say they do not), and plain paths and names for haproxy.cfg.
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { isCheckPath, isHaproxyName, isHostPath } from '../grammars';
import { frontendName } from '../load-balanced-types';
import { formatIPv4 } from '../net';
import { checkHostName, checkSubnet, specNodeUses } from './hosts';
import { isMicroK8sTopology } from './topology-fields';

const LB = ['spec', 'loadBalancer'];
type Path = Array<string | number>;

export function checkLoadBalancer(ctx: RuleContext): void {
  const block = ctx.value(LB);
  if (block === null || typeof block !== 'object' || Array.isArray(block) || isMicroK8sTopology(ctx)) return;
  checkHost(ctx);
  const frontendNames = checkFrontends(ctx);
  checkBackend(ctx, frontendNames);
  checkHealthCheck(ctx);
  for (const key of ['statsSocket', 'configPath']) checkHostPath(ctx, [...LB, key], key);
}

function checkHost(ctx: RuleContext): void {
  const hostname = checkHostName(ctx, [...LB, 'hostname'], 'Hostname of the load balancer');
  const addressPath = [...LB, 'address'];
  const address = ctx.ipv4(addressPath, 'Address of the load balancer');
  const uses = specNodeUses(ctx);
  const clash = (path: Path, what: string, text: string, index: number, field: string): void =>
    ctx.report(
      'GC202',
      path,
      'value',
      `The load balancer's ${what} ${quote(text)} is also node ${index + 1}'s: the load balancer runs on a host of its own, in front of the gateways; give it its own ${what}.`,
      {
        related: [
          {
            message: `node ${index + 1} (a gateway) uses ${quote(text)}`,
            range: ctx.rangeOf(['spec', 'nodes', index, field], 'value'),
          },
        ],
      },
    );
  if (hostname !== undefined) {
    const index = uses.hostnames.get(hostname);
    if (index !== undefined) clash([...LB, 'hostname'], 'hostname', hostname, index, 'hostname');
  }
  if (address === undefined) return;
  const index = uses.addresses.get(address);
  if (index !== undefined) clash(addressPath, 'address', formatIPv4(address), index, 'address');
  else checkSubnet(ctx, addressPath, address, 'Address of the load balancer');
}

/** GC203 and the frontends' names (GC210); returns the names in use, for the backend's. */
function checkFrontends(ctx: RuleContext): Map<string, number> {
  const frontends = ctx.list([...LB, 'frontends']) ?? [];
  const sshPort = ctx.number([...LB, 'ssh', 'port']) ?? ctx.number(['spec', 'ssh', 'port']) ?? (22 as number);
  const listening: Array<{ index: number; port: number; bind: number | undefined }> = [];
  const names = new Map<string, number>();
  frontends.forEach((_, index) => {
    const path = [...LB, 'frontends', index];
    const port = ctx.number([...path, 'port']);
    const bindPath = [...path, 'bind'];
    const bind = ctx.has(bindPath) ? ctx.ipv4(bindPath, `bind of frontend ${index + 1}`) : undefined;
    if (ctx.has(bindPath) && bind === undefined) return;
    if (port !== undefined) {
      const earlier = listening.find((l) => l.port === port && sameAddress(l.bind, bind));
      if (earlier) {
        ctx.report(
          'GC203',
          [...path, 'port'],
          'value',
          `Port ${port} is already a frontend's (frontend ${earlier.index + 1}); HAProxy cannot listen on it twice: use another port.`,
          {
            related: [
              {
                message: `frontend ${earlier.index + 1} listens on ${port}`,
                range: ctx.rangeOf([...LB, 'frontends', earlier.index, 'port'], 'value'),
              },
            ],
          },
        );
      } else if (port === sshPort) {
        ctx.report(
          'GC203',
          [...path, 'port'],
          'value',
          `Port ${port} is the load balancer host's SSH port; HAProxy cannot listen on it too: use another port.`,
        );
      } else listening.push({ index, port, bind });
    }
    const namePath = [...path, 'name'];
    const written = ctx.string(namePath);
    const name = written ?? (port !== undefined ? frontendName(port) : undefined);
    if (written !== undefined && !isHaproxyName(written)) {
      ctx.fail('GC210', namePath, nameMessage(`Frontend name ${quote(written)}`));
      return;
    }
    if (name === undefined) return;
    const first = names.get(name);
    if (first !== undefined && written !== undefined) {
      ctx.report(
        'GC210',
        namePath,
        'value',
        `Frontend name ${quote(name)} is already frontend ${first + 1}'s; give each frontend its own name.`,
      );
    } else if (first === undefined) names.set(name, index);
  });
  return names;
}

function sameAddress(a: number | undefined, b: number | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

function nameMessage(what: string): string {
  return `${what} is not an HAProxy name; use 1-64 letters, digits, "-", "_", "." or ":".`;
}

function checkBackend(ctx: RuleContext, frontendNames: Map<string, number>): void {
  const backend = [...LB, 'backend'];
  const namePath = [...backend, 'name'];
  const name = ctx.string(namePath);
  if (name !== undefined) {
    if (!isHaproxyName(name)) ctx.fail('GC210', namePath, nameMessage(`Backend name ${quote(name)}`));
    else if (frontendNames.has(name))
      ctx.report(
        'GC210',
        namePath,
        'value',
        `Backend name ${quote(name)} is also frontend ${(frontendNames.get(name) ?? 0) + 1}'s; HAProxy's frontends and backends share one namespace: rename one.`,
      );
  }
  const hostnames = specNodeUses(ctx).hostnames;
  const seen = new Set<string>();
  (ctx.list([...backend, 'servers']) ?? []).forEach((_, index) => {
    const path = [...backend, 'servers', index];
    const server = ctx.string(path);
    if (server === undefined) return;
    if (!hostnames.has(server)) {
      ctx.report(
        'GC204',
        path,
        'value',
        `Server ${quote(server)} is not a gateway of this spec; the backend's servers are the hostnames in spec.nodes (${[...hostnames.keys()].join(', ') || 'none yet'}).`,
      );
    } else if (seen.has(server)) {
      ctx.report('GC204', path, 'value', `Server ${quote(server)} is listed twice; list each gateway once.`);
    }
    seen.add(server);
  });
  if (ctx.value([...backend, 'ssl']) === true) {
    ctx.report(
      'GC205',
      [...backend, 'ssl'],
      'value',
      "`ssl` on the server lines would wrap the agents' TLS, which the load balancer passes through, in a second TLS session the gateways do not expect; remove it: health checks use TLS through healthCheck (check-ssl).",
      { fix: { kind: 'replaceValue', value: 'false' } },
    );
  }
}

function checkHealthCheck(ctx: RuleContext): void {
  const check = [...LB, 'healthCheck'];
  const type = ctx.string([...check, 'type']) ?? 'https';
  checkHostPath(ctx, [...check, 'caFile'], 'caFile');
  const pathPath = [...check, 'path'];
  const path = ctx.string(pathPath);
  if (path !== undefined && !isCheckPath(path)) {
    ctx.fail(
      'GC209',
      pathPath,
      `Health check path ${quote(path)} is not a plain URL path; start with "/" and use letters, digits and ". _ ~ % / : @ + = , ? -".`,
    );
  }
  if (type !== 'https' || ctx.hasFailed(check)) return;
  const verifyPath = [...check, 'verify'];
  const verify = ctx.string(verifyPath) ?? 'required';
  if (verify === 'none') {
    ctx.report(
      'GC207',
      verifyPath,
      'value',
      'The health check does not verify the gateways\' certificates ("verify: none"): anything that answers on the port counts as a healthy gateway; give caFile and use "verify: required".',
      { fix: { kind: 'replaceValue', value: 'required' } },
    );
  } else if (verify === 'required' && !ctx.has([...check, 'caFile'])) {
    const hasBlock = ctx.value(check) !== undefined;
    ctx.reportMissing(
      'GC206',
      hasBlock ? check : LB,
      'The health check runs over TLS with "verify: required" but names no caFile to verify the gateways\' certificates with; add caFile (a file on the load balancer host), or write "verify: none" to check without verifying.',
      {
        fix: hasBlock
          ? { kind: 'insertField', key: 'caFile', placeholder: '/etc/haproxy/gateway-ca.pem' }
          : {
              kind: 'insertField',
              key: 'healthCheck',
              placeholder: '{ caFile: /etc/haproxy/gateway-ca.pem }',
            },
      },
    );
  }
}

function checkHostPath(ctx: RuleContext, path: Path, what: string): void {
  const text = ctx.string(path);
  if (text === undefined || isHostPath(text)) return;
  ctx.fail(
    'GC209',
    path,
    `${what} ${quote(text)} is not a plain absolute path; use "/"-separated names of letters, digits, ".", "_", "+", "@" or "-".`,
  );
}
