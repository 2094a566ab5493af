// Specs the language tests put a cursor in. They share the header on lines 0–4; the tests number the
// body's lines from 5 on.
const HEADER = [
  'apiVersion: gateway-cluster/v1',
  'kind: GatewayCluster',
  'metadata:',
  '  name: dc1',
  'spec:',
];

/** The header, then `body` (one string a line), joined with newlines. */
export function specWith(...body: string[]): string {
  return [...HEADER, ...body].join('\n');
}
