// Where the load-balanced operations keep things on a host, in one place: the gateway's and agent's install
// folders (the seed's), the response files (root-only, deleted after the setup), and what each operation
// applied (a record the product keeps, since a gateway does not tell which GatewayGroup it joined).

/** The product's folder on a gateway, agent or load balancer host: 0700, root's. */
export const STATE_DIR = '/var/lib/gateway-cluster';
export const GATEWAY_SETUP = '/opt/oracle/mgmt_agent/agent_inst/bin/setupGateway.sh';
export const AGENT_SETUP = '/opt/oracle/mgmt_agent/agent_inst/bin/setup.sh';
export const GATEWAY_PACKAGE = 'oracle.mgmt_gateway';
export const AGENT_PACKAGE = 'oracle.mgmt_agent';
export const GATEWAY_SERVICE = 'mgmt_gateway';
export const AGENT_SERVICE = 'mgmt_agent';

export const RESPONSE_FILE = {
  gateway: `${STATE_DIR}/gateway-setup.rsp`,
  agent: `${STATE_DIR}/agent-setup.rsp`,
};
export const APPLIED_FILE = { gateway: `${STATE_DIR}/gateway.applied`, agent: `${STATE_DIR}/agent.applied` };

/** What install applied to a gateway (configure-agents: to an agent), as `key=value` lines in a fixed order. */
export type Applied = Record<string, string>;

export function appliedText(applied: Applied): string {
  return (
    Object.keys(applied)
      .sort()
      .map((key) => `${key}=${applied[key] ?? ''}`)
      .join('\n') + '\n'
  );
}

export function parseApplied(text: string): Applied {
  const applied: Applied = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) applied[line.slice(0, at)] = line.slice(at + 1);
  }
  return applied;
}
