// The admin kubeconfig MicroK8s gives (`microk8s config`, and credentials/client.config that `microk8s
// kubectl` uses), for a node's own API server address.
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KubeCredentials {
  caB64: string;
  clientCertB64: string;
  clientKeyB64: string;
}

export function kubeconfigText(address: string, credentials: KubeCredentials): string {
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${credentials.caB64}`,
    `    server: https://${address}:16443`,
    '  name: microk8s-cluster',
    'contexts:',
    '- context:',
    '    cluster: microk8s-cluster',
    '    user: admin',
    '  name: microk8s',
    'current-context: microk8s',
    'kind: Config',
    'preferences: {}',
    'users:',
    '- name: admin',
    '  user:',
    `    client-certificate-data: ${credentials.clientCertB64}`,
    `    client-key-data: ${credentials.clientKeyB64}`,
    '',
  ].join('\n');
}

/**
 * Writes /var/snap/microk8s/current/credentials/client.config of a node (host side NODE_DIR/snap/…): root
 * and the lab user's group may read it, as MicroK8s' group `microk8s` may.
 */
export function writeNodeKubeconfig(nodeDir: string, text: string, gid: number): void {
  const dir = join(nodeDir, 'snap', 'current', 'credentials');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'client.config');
  writeFileSync(file, text, { mode: 0o640 });
  chownSync(file, 0, gid);
}
