// Profiles validateText on a generated spec: `node --cpu-prof --import tsx bench/validate/profile.ts [nodes] [runs]`.
import { validateText } from '../../src/cluster-spec';
import { generateSpec } from './spec-generator';

const nodes = Number(process.argv[2] ?? 3000);
const runs = Number(process.argv[3] ?? 20);
const text = generateSpec(nodes);
for (let i = 0; i < runs; i++) validateText(text, 'cluster.yaml', { offline: true });
