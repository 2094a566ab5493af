// Activation benchmark (printed, not asserted): bundle size, .vsix size and file count, and activation time
// in code-server's real extension host (median of 5 cold starts, each a new extension host process), for
// Gateway Clusters and for an empty hello-world extension built and measured the same way in the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { ensureTools } from '../../scripts/ensure-tools';
import {
  REPO_ROOT,
  installExtension,
  makeTempDir,
  runTestsInServer,
  startCodeServer,
} from '../../scripts/code-server';
import type { Tools } from '../../scripts/ensure-tools';
import { ensurePackaged } from '../../test/e2e/support';
import type { ProbeResult } from './probe';
import { bundleForHost } from '../support/host-bench';

const COLD_STARTS = Number(process.env.GC_BENCH_RUNS ?? 5);

interface Subject {
  label: string;
  extensionId: string;
  vsix: string;
  /** The .vsix as code-server unpacks it: what is measured, loaded as the development extension. */
  folder?: string;
  bundle?: string;
}

interface Figures {
  bundleBytes: number;
  vsixBytes: number;
  vsixFiles: number;
  activationMs: number[];
  codeLoadingMs: number[];
  activateCallMs: number[];
  featuresRequireMs: number[];
  featuresTotalMs: number[];
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}`);
}

/** Number of entries in a zip (the .vsix), from its end-of-central-directory record. */
export function zipEntryCount(file: string): number {
  const data = fs.readFileSync(file);
  for (let offset = data.length - 22; offset >= Math.max(0, data.length - 65_557); offset--) {
    if (data.readUInt32LE(offset) === 0x06054b50) return data.readUInt16LE(offset + 10);
  }
  throw new Error(`${file} is not a zip file`);
}

/** An empty extension, built like ours (esbuild bundle, production, vsce package), in a temp folder. */
async function buildHelloWorld(): Promise<Subject> {
  const folder = makeTempDir('gc-bench-hello');
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    engines: { vscode: string };
  };
  fs.mkdirSync(path.join(folder, 'src'));
  fs.writeFileSync(
    path.join(folder, 'package.json'),
    JSON.stringify(
      {
        name: 'hello-world',
        displayName: 'Hello World',
        description: 'Empty extension: the activation baseline',
        version: '0.0.1',
        publisher: 'bench',
        license: 'MIT',
        engines: { vscode: manifest.engines.vscode },
        main: './dist/extension.js',
        activationEvents: [],
        contributes: { commands: [{ command: 'helloWorld.hello', title: 'Hello World' }] },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(folder, 'src', 'extension.ts'),
    [
      "import * as vscode from 'vscode';",
      'export function activate(context: vscode.ExtensionContext): void {',
      "  context.subscriptions.push(vscode.commands.registerCommand('helloWorld.hello', () => vscode.window.showInformationMessage('Hello')));",
      '}',
      'export function deactivate(): void {}',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(folder, 'README.md'), '# Hello World\n\nThe activation baseline.\n');
  fs.writeFileSync(path.join(folder, 'LICENSE'), 'MIT\n');
  fs.writeFileSync(path.join(folder, '.vscodeignore'), 'src/**\n**/*.map\n');
  const bundle = path.join(folder, 'dist', 'extension.js');
  await esbuild.build({
    entryPoints: [path.join(folder, 'src', 'extension.ts')],
    outfile: bundle,
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const vsix = path.join(folder, 'hello-world.vsix');
  const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  run(
    vsce,
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
    folder,
  );
  return { label: 'empty hello-world', extensionId: 'bench.hello-world', vsix };
}

function ourExtension(): Subject {
  if (process.env.GC_E2E_PREBUILT !== '1')
    fs.rmSync(path.join(REPO_ROOT, 'dist', 'gateway-cluster.vsix'), { force: true });
  // npm run package builds the production bundle (minified) and the .vsix from it.
  const vsix = ensurePackaged();
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
  };
  return { label: 'Gateway Clusters', extensionId: `${manifest.publisher}.${manifest.name}`, vsix };
}

/** Unpacks each .vsix the way code-server installs it, so the figures are those of the shipped files. */
function unpack(tools: Tools, subjects: Subject[], into: string): void {
  for (const subject of subjects) {
    installExtension(tools, subject.vsix, into, path.join(into, '.scratch'));
    const folderName = fs
      .readdirSync(into)
      .find((name) => name.toLowerCase().startsWith(`${subject.extensionId.toLowerCase()}-`));
    if (!folderName) throw new Error(`${subject.vsix} did not install into ${into}`);
    subject.folder = path.join(into, folderName);
    const main = (
      JSON.parse(fs.readFileSync(path.join(subject.folder, 'package.json'), 'utf8')) as { main: string }
    ).main;
    subject.bundle = path.resolve(subject.folder, main.endsWith('.js') ? main : `${main}.js`);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const tools = await ensureTools();
  const subjects = [ourExtension(), await buildHelloWorld()];
  const unpacked = makeTempDir('gc-bench-extensions');
  unpack(tools, subjects, unpacked);
  const probeDir = path.join(REPO_ROOT, 'out', 'bench-activation');
  fs.rmSync(probeDir, { recursive: true, force: true });
  await bundleForHost(path.join(__dirname, 'probe.ts'), path.join(probeDir, 'probe.js'));
  // One tests module per subject: the module tells the probe which extension to time.
  for (const [index, subject] of subjects.entries()) {
    fs.writeFileSync(
      path.join(probeDir, `probe-${index}.js`),
      `process.env.GC_BENCH_TARGET = ${JSON.stringify(subject.extensionId)};\nmodule.exports = require('./probe.js');\n`,
    );
  }

  const resultsFile = path.join(makeTempDir('gc-bench-results'), 'probe.json');
  const workspace = makeTempDir('gc-bench-workspace'); // empty: no workspaceContains activation
  const server = await startCodeServer(tools, {
    smokeTestDriver: true,
    env: { GC_BENCH_RESULTS: resultsFile },
  });
  const figures = new Map<Subject, Figures>(
    subjects.map((s) => [
      s,
      {
        bundleBytes: fs.statSync(s.bundle!).size,
        vsixBytes: fs.statSync(s.vsix).size,
        vsixFiles: zipEntryCount(s.vsix),
        activationMs: [],
        codeLoadingMs: [],
        activateCallMs: [],
        featuresRequireMs: [],
        featuresTotalMs: [],
      },
    ]),
  );
  try {
    // Alternate the subjects so that drift in machine load hits both alike. One run first, not counted, warms
    // the OS file cache and code-server's own caches.
    for (let round = 0; round <= COLD_STARTS; round++) {
      for (const [index, subject] of subjects.entries()) {
        const text = await runTestsInServer(tools, server, {
          extensionDevelopmentPath: subject.folder!,
          extensionTestsPath: path.join(probeDir, `probe-${index}.js`),
          workspace,
          resultsFile,
          timeoutMs: 180_000,
        });
        const probe = JSON.parse(text) as ProbeResult;
        if (probe.error) throw new Error(`${subject.label}: ${probe.error}`);
        if (probe.alreadyActive)
          throw new Error(`${subject.label} was already active: an activation event fired early`);
        if (round > 0) {
          const f = figures.get(subject)!;
          f.activationMs.push(probe.activationMs);
          f.codeLoadingMs.push(probe.codeLoadingMs ?? NaN);
          f.activateCallMs.push(probe.activateCallMs ?? NaN);
          if (probe.featuresTotalMs !== undefined) {
            f.featuresRequireMs.push(probe.featuresRequireMs ?? NaN);
            f.featuresTotalMs.push(probe.featuresTotalMs);
          }
        }
        process.stderr.write(
          `${round === 0 ? 'warm-up' : `run ${round}`} ${subject.label}: ${probe.activationMs.toFixed(1)} ms ` +
            `(VS Code marks: load ${probe.codeLoadingMs ?? '?'} ms, activate() ${probe.activateCallMs ?? '?'} ms)\n`,
        );
      }
    }
  } finally {
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }

  const rows = subjects.map((subject) => {
    const f = figures.get(subject)!;
    return [
      subject.label,
      kib(f.bundleBytes),
      kib(f.vsixBytes),
      String(f.vsixFiles),
      `${median(f.activationMs).toFixed(1)} ms`,
      `${median(f.codeLoadingMs)} ms`,
      `${median(f.activateCallMs)} ms`,
      f.activationMs.map((ms) => ms.toFixed(1)).join(', '),
    ];
  });
  const header = [
    'extension',
    'bundle',
    '.vsix',
    'files',
    'activation (median)',
    'of which: load code',
    'activate()',
    `all ${COLD_STARTS} runs (ms)`,
  ];
  const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
  console.log(`\n${table}\n`);
  const [ours, hello] = subjects.map((s) => median(figures.get(s)!.activationMs));
  console.log(
    `Activation difference: ${(ours! - hello!).toFixed(1)} ms (goal: within 5 ms of the empty extension).`,
  );
  const features = figures.get(subjects[0]!)!;
  if (features.featuresTotalMs.length)
    console.log(
      `Then, on the same thread right after activation: the features load in ${median(features.featuresTotalMs).toFixed(1)} ms ` +
        `(median; of which require ${median(features.featuresRequireMs).toFixed(1)} ms; runs: ` +
        `${features.featuresTotalMs.map((ms) => ms.toFixed(1)).join(', ')}).`,
    );
  const out = path.join(REPO_ROOT, 'test-results', 'bench-activation.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify(
      subjects.map((s) => ({ label: s.label, ...figures.get(s) })),
      null,
      2,
    ),
  );
  console.log(`Raw figures: ${path.relative(REPO_ROOT, out)}`);
  fs.rmSync(unpacked, { recursive: true, force: true });
  fs.rmSync(path.dirname(subjects[1]!.vsix), { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
