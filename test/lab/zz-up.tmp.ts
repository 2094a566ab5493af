import { createLab } from './index';
const lab = createLab(process.argv[2] ?? 'gclabhx');
const cmd = process.argv[3] ?? 'up';
(async () => {
  if (cmd === 'down') {
    await lab.down();
    return;
  }
  const t = Date.now();
  const info = await lab.up({
    nodes: Number(process.argv[4] ?? 3),
    state: (process.argv[5] ?? 'deployed') as 'deployed',
    subnetPrefix: process.argv[6] ?? '10.250.40',
  });
  console.log('up in', Date.now() - t, 'ms');
  const fs = await import('node:fs');
  const b64 = (p: string) => fs.readFileSync(p).toString('base64');
  const { kubeconfigText } = require('./kubeconfig') as typeof import('./kubeconfig');
  fs.writeFileSync(
    '/tmp/lab.kubeconfig',
    kubeconfigText(info.nodes[0]!.address, {
      caB64: b64(info.kube.caCertPath),
      clientCertB64: b64(info.kube.clientCertPath),
      clientKeyB64: b64(info.kube.clientKeyPath),
    }),
  );
  const snap = await lab.snapshot();
  console.log(snap.pods.length, 'pods');
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
