import { parseAllDocuments, LineCounter, Parser, Composer } from 'yaml';
function gen(flow: boolean, size: number) {
let s = 'apiVersion: gateway-cluster/v1\nkind: GatewayCluster\nmetadata:\n  name: x\nspec:\n  nodes:\n';
let i = 0;
while (s.length < size) { s += `    - hostname: gw-${i}\n      address: 10.${(i>>16)&255}.${(i>>8)&255}.${i&255}\n      host: esxi-${i%7}\n` + (flow ? `      resources: { cpus: 4, memoryGiB: 8, diskGiB: 40 }\n` : `      resources:\n        cpus: 4\n`); i++; }
return s;
}
for (const size of [500_000, 1_000_000, 2_000_000]) for (const flow of [false, true]) {
const s = gen(flow, size);
let t = performance.now();
const lc = new LineCounter();
const docs = parseAllDocuments(s, { lineCounter: lc });
let t2 = performance.now();
const toks = [...new Parser().parse(s)];
let t3 = performance.now();
console.log(size, flow, 'parse', (t2 - t).toFixed(0), 'cst', (t3-t2).toFixed(0));
}
