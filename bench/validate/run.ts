// Validation benchmark: `npx tsx bench/validate/run.ts`. Prints, not asserts (see docs/performance.md).
// (a) yaml parsing with ranges alone, (b) our full validation, (c) yaml-language-server 1.25 validating the
// same text against our schema; then the CLI's whole-process time next to `node -e 0`. Also, in the same
// rounds: (f) the fast parser alone and (b0) our validation with the fast parser switched off (all yaml).
//
// Fairness: the subjects run interleaved in every round (a load spike hits all of them alike), each after
// warm-up rounds, on the same text (a 3-node file 25 times per sample), and the median of RUNS rounds is shown both as wall time and as CPU time
// of this process (the CPU time is what to compare on a loaded machine). (a) is the fastest of three ways
// to parse with ranges. Before timing, each size is checked with mistakes in it: yaml-language-server must
// report as many schema errors as our structural codes (GC010-GC013), so (c) really validates, and it gets
// a new document version every run, so it never answers from its parse cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { cliBuild } from '../../scripts/node-bundles';
import { Composer, LineCounter, Parser, parseAllDocuments } from 'yaml';
import { getLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { clusterSchema, validateText } from '../../src/cluster-spec';
import { fastParse, fastParseDocuments } from '../../src/cluster-spec/fast-parse';
import { generateSpec } from './spec-generator';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const SIZES = (process.env.BENCH_SIZES ?? '3,300,3000').split(',').map(Number);
const STRUCTURAL = new Set(['GC010', 'GC011', 'GC012', 'GC013']);

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

interface Sample {
  wall: number;
  cpu: number;
}

/** The mean of `repeat` back-to-back calls: a small file's run is too short to time (and to carry GC) alone. */
async function measure(task: () => unknown, repeat: number): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < repeat; i++) await task();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wall: wall / repeat, cpu: (used.user + used.system) / 1000 / repeat };
}

/** Runs every task once per round, in a rotating order; returns the median wall and CPU time of each. */
async function interleaved(
  tasks: Record<string, () => unknown>,
  runs: number,
  warmups: number,
  repeat = 1,
): Promise<Record<string, Sample>> {
  const names = Object.keys(tasks);
  const samples: Record<string, Sample[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = -warmups; round < runs; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + Math.max(0, round)) % names.length] as string;
      const sample = await measure(tasks[name] as () => unknown, repeat);
      if (round >= 0) samples[name]?.push(sample);
    }
  }
  return Object.fromEntries(
    names.map((n) => [
      n,
      { wall: median(samples[n]!.map((s) => s.wall)), cpu: median(samples[n]!.map((s) => s.cpu)) },
    ]),
  );
}

function yamlLanguageService(): ReturnType<typeof getLanguageService> {
  const service = getLanguageService({
    schemaRequestService: () => Promise.reject(new Error('no schema requests in the benchmark')),
    workspaceContext: { resolveRelativePath: (relative) => relative },
  });
  service.configure({
    validate: true,
    completion: false,
    hover: false,
    schemas: [{ uri: 'file:///cluster.schema.json', fileMatch: ['*.yaml'], schema: clusterSchema as never }],
  });
  return service;
}

/** The spec with four structural mistakes: a wrong type, a bad enum, an unknown key, a missing field. */
function withMistakes(text: string): string {
  const lastNode = text.lastIndexOf('    - hostname: ');
  const lineEnd = text.indexOf('\n', lastNode);
  // The last node loses its hostname: its address becomes the item's first key.
  const broken = `${text.slice(0, lastNode)}    -${text.slice(lineEnd + 1 + '     '.length)}`;
  return broken
    .replace('port: 22', 'port: "22"')
    .replace('topology: ha', 'topology: HA')
    .replace('metadata:\n', 'metadata:\n  colour: blue\n');
}

async function main(): Promise<void> {
  const service = yamlLanguageService();
  let version = 0;
  const validateWithYamlls = (uri: string, text: string) =>
    service.doValidation(TextDocument.create(uri, 'yaml', ++version, text), false);

  const rows: string[] = [];
  for (const nodes of SIZES) {
    const text = generateSpec(nodes);
    const uri = `file:///bench/${nodes}/cluster.yaml`;
    const findings = validateText(text, 'cluster.yaml', { offline: true }).findings;
    if (findings.some((f) => f.severity === 'error'))
      throw new Error(`generated spec has errors: ${JSON.stringify(findings[0])}`);
    if ((await validateWithYamlls(uri, text)).length !== 0)
      throw new Error('yaml-language-server reports errors on the valid spec');
    // (c) must really validate against our schema, at this size: same structural errors as ours.
    const broken = withMistakes(text);
    const ours = validateText(broken, 'cluster.yaml', { offline: true }).findings.filter((f) =>
      STRUCTURAL.has(f.code),
    );
    const theirs = await validateWithYamlls(`file:///bench/${nodes}/broken.yaml`, broken);
    if (ours.length !== 4 || theirs.length !== ours.length)
      throw new Error(
        `structural errors differ: ours ${JSON.stringify(ours.map((f) => f.code))}, yaml-language-server ${JSON.stringify(theirs.map((d) => d.message))}`,
      );
    console.log(
      `${nodes} nodes: ${ours.length} structural errors from both on the spec with mistakes (${ours.map((f) => f.code).join(', ')} | ${theirs.map((d) => d.message.split('\n')[0]).join(' | ')})`,
    );

    const runs = nodes >= 3000 ? Math.max(RUNS, 30) : RUNS;
    const result = await interleaved(
      {
        parseLineCounter: () => parseAllDocuments(text, { lineCounter: new LineCounter() }),
        parseOffsets: () => parseAllDocuments(text),
        parserComposer: () => [...new Composer().compose(new Parser().parse(text))],
        ours: () => validateText(text, 'cluster.yaml', { offline: true }),
        oursViaYaml: () => {
          fastParse.enabled = false;
          try {
            return validateText(text, 'cluster.yaml', { offline: true });
          } finally {
            fastParse.enabled = true;
          }
        },
        fastParse: () => {
          if (!fastParseDocuments(text)) throw new Error('the fast parser declined the generated spec');
        },
        yamlls: () => validateWithYamlls(uri, text),
      },
      runs,
      nodes >= 3000 ? 3 : 5,
      nodes < 100 ? 25 : 1,
    );
    const parses = ['parseLineCounter', 'parseOffsets', 'parserComposer'] as const;
    // The floor is the variant with the least CPU time.
    const a = parses.map((p) => result[p]!).reduce((x, y) => (y.cpu < x.cpu ? y : x));
    const b = result.ours!;
    const c = result.yamlls!;
    const fmt = (s: Sample): string => `${s.wall.toFixed(1)} / ${s.cpu.toFixed(1)}`;
    const f = result.fastParse!;
    const b0 = result.oursViaYaml!;
    console.log(
      `  parse variants (wall / cpu ms): LineCounter ${fmt(result.parseLineCounter!)}, offsets only ${fmt(result.parseOffsets!)}, Parser+Composer ${fmt(result.parserComposer!)}`,
    );
    const ratio = (x: Sample, y: Sample): string =>
      `${(x.wall / y.wall).toFixed(2)} / ${(x.cpu / y.cpu).toFixed(2)}`;
    const row = `| ${nodes.toLocaleString('en')} | ${text.length.toLocaleString('en')} | ${fmt(a)} | ${fmt(f)} | ${fmt(b0)} | ${fmt(b)} | ${fmt(c)} | ${ratio(b0, b)} | ${ratio(c, b)} |`;
    console.log(row);
    rows.push(row);
  }
  console.log(`\nmedian of ${RUNS} interleaved rounds; each cell wall / CPU ms`);
  console.log(
    '| nodes | chars | (a) yaml parse | (f) fast parse | (b0) validateText, yaml only | (b) validateText | (c) yaml-language-server | (b0)/(b) | (c)/(b) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);

  const dir = mkdtempSync(join(tmpdir(), 'gateway-cluster-bench-'));
  try {
    // Built as scripts/build.ts builds dist/cli.js (and minified, as the packaged one is).
    const cli = join(dir, 'cli.js');
    await build(cliBuild(cli, { minify: process.env.BENCH_CLI_MINIFY !== '0' }));
    const file = join(dir, 'cluster.yaml');
    writeFileSync(file, generateSpec(3));
    const cliRuns = Math.max(10, Math.min(RUNS, 30));
    const times = await interleaved(
      {
        bare: () => spawnSync(process.execPath, ['-e', '0']),
        cli: () => {
          const result = spawnSync(process.execPath, [cli, 'validate', '--offline', file]);
          if (result.status !== 0) throw new Error(`CLI failed: ${String(result.stdout)}`);
        },
      },
      cliRuns,
      3,
    );
    const whole = times.cli!.wall;
    const bare = times.bare!.wall;
    console.log(
      `CLI whole process on the 3-node file: ${whole.toFixed(1)} ms; node -e 0: ${bare.toFixed(1)} ms; difference ${(whole - bare).toFixed(1)} ms (median of ${cliRuns}, interleaved)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
