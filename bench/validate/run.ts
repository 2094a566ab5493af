// Validation benchmark: `npx tsx bench/validate/run.ts`. Prints, not asserts (see docs/performance.md).
// (a) yaml parsing with ranges alone, (b) our full validation, (c) yaml-language-server 1.25 validating the
// same text against our schema; then the CLI's whole-process time next to `node -e 0`. Last, the hostile
// case: a spec with 10,000 unknown keys under `spec` (BENCH_HOSTILE_KEYS), validated in-process against yaml's
// parse of the same text (with its own quadratic duplicate-key check, and without it), and by the CLI.
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
import { generateSpec, unknownKeysSpec } from './spec-generator';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const SIZES = (process.env.BENCH_SIZES ?? '3,300,3000').split(',').map(Number);
const STRUCTURAL = new Set(['GC010', 'GC011', 'GC012', 'GC013']);
const HOSTILE_KEYS = Number(process.env.BENCH_HOSTILE_KEYS ?? 10_000);

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
        // Not a floor candidate (yaml's parse is with its defaults), shown because ours parses this way and
        // then checks duplicate keys itself (src/cluster-spec/parse.ts).
        parseNoKeyCheck: () => parseAllDocuments(text, { uniqueKeys: false }),
        ours: () => validateText(text, 'cluster.yaml', { offline: true }),
        yamlls: () => validateWithYamlls(uri, text),
      },
      runs,
      nodes >= 3000 ? 3 : 5,
      nodes < 100 ? 100 : 1,
    );
    const parses = ['parseLineCounter', 'parseOffsets', 'parserComposer'] as const;
    // The floor is the variant with the least CPU time.
    const a = parses.map((p) => result[p]!).reduce((x, y) => (y.cpu < x.cpu ? y : x));
    const b = result.ours!;
    const c = result.yamlls!;
    const ms = (value: number): string => value.toFixed(value < 10 ? 2 : 1);
    const fmt = (s: Sample): string => `${ms(s.wall)} / ${ms(s.cpu)}`;
    console.log(
      `  parse variants (wall / cpu ms): LineCounter ${fmt(result.parseLineCounter!)}, offsets only ${fmt(result.parseOffsets!)}, Parser+Composer ${fmt(result.parserComposer!)}; without yaml's duplicate-key check ${fmt(result.parseNoKeyCheck!)}`,
    );
    const ratio = (x: Sample, y: Sample): string =>
      `${(x.wall / y.wall).toFixed(2)} / ${(x.cpu / y.cpu).toFixed(2)}`;
    const row = `| ${nodes.toLocaleString('en')} | ${text.length.toLocaleString('en')} | ${fmt(a)} | ${fmt(b)} | ${fmt(c)} | ${ratio(b, a)} | ${ratio(c, b)} |`;
    console.log(row);
    rows.push(row);
  }
  console.log(`\nmedian of ${RUNS} interleaved rounds; each cell wall / CPU ms`);
  console.log(
    '| nodes | chars | (a) yaml parse | (b) validateText | (c) yaml-language-server | (b)/(a), goal ≤ 1.5 | (c)/(b), goal ≥ 1 |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);

  const hostile = unknownKeysSpec(HOSTILE_KEYS);
  const hostileFindings = validateText(hostile, 'cluster.yaml', { offline: true }).findings;
  const counts = new Map<string, number>();
  for (const f of hostileFindings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  console.log(
    `\n${HOSTILE_KEYS.toLocaleString('en')} unknown keys under spec (${hostile.length.toLocaleString('en')} chars): ${[...counts].map(([code, n]) => `${n} ${code}`).join(', ')} ("${hostileFindings.find((f) => f.code === 'GC003')?.message.split(' (')[0] ?? ''}")`,
  );
  const hostileRuns = Math.max(5, Math.min(RUNS, 10));
  const hostileTimes = await interleaved(
    {
      yamlDefaults: () => parseAllDocuments(hostile),
      yamlNoKeyCheck: () => parseAllDocuments(hostile, { uniqueKeys: false }),
      ours: () => validateText(hostile, 'cluster.yaml', { offline: true }),
    },
    hostileRuns,
    1,
  );
  const ms = (s: Sample): string => `${s.wall.toFixed(0)} / ${s.cpu.toFixed(0)} ms`;
  console.log(
    `  validateText ${ms(hostileTimes.ours!)} (wall / CPU, goal < 500 ms); yaml's parse alone ${ms(hostileTimes.yamlDefaults!)} with its duplicate-key check, ${ms(hostileTimes.yamlNoKeyCheck!)} without it (median of ${hostileRuns}, interleaved)`,
  );

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
    const hostileFile = join(dir, 'hostile.cluster.yaml');
    writeFileSync(hostileFile, hostile);
    const hostileCli = await interleaved(
      {
        bare: () => spawnSync(process.execPath, ['-e', '0']),
        cli: () => {
          const result = spawnSync(process.execPath, [cli, 'validate', '--offline', hostileFile]);
          if (result.status !== 1) throw new Error(`CLI did not report errors: ${String(result.stdout)}`);
        },
      },
      hostileRuns,
      1,
    );
    console.log(
      `CLI whole process on the ${HOSTILE_KEYS.toLocaleString('en')}-key file: ${hostileCli.cli!.wall.toFixed(0)} ms; node -e 0: ${hostileCli.bare!.wall.toFixed(0)} ms (median of ${hostileRuns}, interleaved)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
