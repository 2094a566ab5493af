// The fake `microk8s helm3`: release bookkeeping in the lab state; charts are never downloaded.
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from '../types';
import { flagValue, flagValues, nodePath, parseSet, positional, valuesHavePassword } from './args';
import type { CommandContext } from './context';

function chartName(ref: string): string {
  const base = ref.replace(/\/+$/, '').split('/').pop() ?? ref;
  return base
    .replace(/\.tgz$/, '')
    .replace(/-\d+\.\d+\.\d+.*$/, '')
    .replace(/:.*$/, '');
}

function chartVersion(ref: string, args: string[], fallback: string): string {
  return (
    flagValue(args, '--version') ??
    /-(\d+\.\d+\.\d+[^/]*?)(?:\.tgz)?$/.exec(ref)?.[1] ??
    /:(\d+\.\d+\.\d+.*)$/.exec(ref)?.[1] ??
    fallback
  );
}

function yamlOf(value: Record<string, unknown>, indent: string): string {
  return Object.entries(value)
    .map(([k, v]) =>
      typeof v === 'object' && v !== null
        ? `${indent}${k}:\n${yamlOf(v as Record<string, unknown>, `${indent}  `)}`
        : `${indent}${k}: ${String(v)}`,
    )
    .join('\n');
}

function helmDate(iso: string): string {
  return iso.replace('T', ' ').replace('Z', ' +0000 UTC');
}

export async function helm(ctx: CommandContext, cluster: Cluster, args: string[]): Promise<number> {
  const { io, model, config } = ctx;
  const valueFlags = [
    '-n',
    '--namespace',
    '--version',
    '-f',
    '--values',
    '--set',
    '--set-string',
    '--timeout',
    '-o',
    '--output',
    '--kubeconfig',
    '--repo',
    '--untardir',
  ];
  const [sub, ...rest] = positional(args, valueFlags);
  const namespace = flagValue(args, '-n', '--namespace') ?? 'default';
  const valuesFiles = flagValues(args, '-f', '--values');
  // Values on stdin (how secrets arrive): read, checked for a password, never kept or logged.
  const stdinValues = valuesFiles.includes('-') ? await io.readAll() : undefined;
  switch (sub) {
    case 'version':
      io.out(
        'version.BuildInfo{Version:"v3.9.1+unreleased", GitCommit:"", GitTreeState:"", GoVersion:"go1.22.4"}\n',
      );
      return 0;
    case 'repo':
      if (rest[0] === 'add') io.out(`"${rest[1] ?? ''}" has been added to your repositories\n`);
      else if (rest[0] === 'update')
        io.out(
          'Hang tight while we grab the latest from your chart repositories...\nUpdate Complete. ⎈Happy Helming!⎈\n',
        );
      return 0;
    case 'pull': {
      const ref = rest[0] ?? '';
      const version = chartVersion(ref, args, config.chartsVersion);
      if (args.includes('--untar'))
        untarChart(ctx, chartName(ref), version, flagValue(args, '--untardir') ?? '.');
      io.out(
        `Pulled: ${ref.replace(/^oci:\/\//, '')}:${version}\nDigest: sha256:${randomBytes(32).toString('hex')}\n`,
      );
      return 0;
    }
    case 'install':
    case 'upgrade': {
      const [name, ref] = rest;
      if (!name || !ref) {
        io.err(`Error: "helm ${sub}" requires 2 arguments\n`);
        return 1;
      }
      const existing = cluster.releases.find((r) => r.name === name && r.namespace === namespace);
      const failed = existing && sub === 'upgrade' ? 'UPGRADE FAILED' : 'INSTALLATION FAILED';
      const fail = (message: string): number => {
        io.err(`Error: ${failed}: ${message}\n`);
        return 1;
      };
      if (sub === 'install' && existing) {
        io.err('Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n');
        return 1;
      }
      if (sub === 'upgrade' && !existing && !args.includes('--install') && !args.includes('-i')) {
        io.err(`Error: UPGRADE FAILED: "${name}" has no deployed releases\n`);
        return 1;
      }
      const chart = chartName(ref);
      if (ref.startsWith('/') || ref.startsWith('.')) {
        const local = nodePath(ctx, ref);
        if (local !== undefined && !existsSync(join(local, 'Chart.yaml')))
          return fail(`path "${ref}" not found`);
      }
      let passwordGiven = stdinValues !== undefined && valuesHavePassword(stdinValues);
      for (const file of valuesFiles) {
        if (file === '-') continue;
        const local = nodePath(ctx, file);
        if (local === undefined) continue;
        let text: string;
        try {
          text = readFileSync(local, 'utf8');
        } catch {
          return fail(`open ${file}: no such file or directory`);
        }
        if (valuesHavePassword(text)) passwordGiven = true;
      }
      const values: Record<string, string> = {};
      for (const [key, value] of flagValues(args, '--set', '--set-string').flatMap(parseSet)) {
        // A secret on the command line still counts as given, but the lab keeps no copy.
        if (/password|token|secret/i.test(key)) passwordGiven = true;
        else values[key] = value;
      }
      if (args.includes('--reuse-values') && existing) {
        Object.assign(values, { ...existing.values, ...values });
        passwordGiven ||= existing.passwordGiven;
      }
      const haValues = valuesFiles.some((f) => f !== '-' && /(^|\/)cluster\.ya?ml$/.test(f));
      if (
        chart === 'gateway-persistent-storage' &&
        haValues &&
        (!values['nfs.server'] || !values['nfs.path'])
      ) {
        return fail(
          'execution error at (gateway-persistent-storage/templates/deployment.yaml:31:22): nfs.server and nfs.path are required with the ha values (cluster.yaml)',
        );
      }
      if (chart === 'gateway-manager' && !passwordGiven) {
        return fail(
          'execution error at (gateway-manager/templates/secret.yaml:9:28): secrets.defaultPassword is required',
        );
      }
      const release = model.installRelease(
        cluster,
        name,
        namespace,
        chart,
        chartVersion(ref, args, config.chartsVersion),
        { values, passwordGiven },
      );
      if (sub === 'upgrade') {
        io.out(
          existing
            ? `Release "${name}" has been upgraded. Happy Helming!\n`
            : `Release "${name}" does not exist. Installing it now.\n`,
        );
      }
      io.out(
        `NAME: ${name}\nLAST DEPLOYED: ${new Date(release.updated).toUTCString()}\nNAMESPACE: ${namespace}\nSTATUS: deployed\nREVISION: ${release.revision}\nTEST SUITE: None\n`,
      );
      return 0;
    }
    case 'list':
    case 'ls': {
      const all = args.includes('-A') || args.includes('--all-namespaces');
      const releases = cluster.releases.filter((r) => all || r.namespace === namespace);
      const output = flagValue(args, '-o', '--output');
      if (output === 'json') {
        io.out(
          JSON.stringify(
            releases.map((r) => ({
              name: r.name,
              namespace: r.namespace,
              revision: String(r.revision),
              updated: helmDate(r.updated),
              status: 'deployed',
              chart: `${r.chart}-${r.version}`,
              app_version: r.version,
            })),
          ) + '\n',
        );
        return 0;
      }
      const rows = [['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION']];
      for (const r of releases)
        rows.push([
          r.name,
          r.namespace,
          String(r.revision),
          helmDate(r.updated),
          'deployed',
          `${r.chart}-${r.version}`,
          r.version,
        ]);
      io.out(table(rows, '\t'));
      return 0;
    }
    case 'status': {
      const release = cluster.releases.find((r) => r.name === rest[0] && r.namespace === namespace);
      if (!release) {
        io.err('Error: release: not found\n');
        return 1;
      }
      io.out(
        `NAME: ${release.name}\nLAST DEPLOYED: ${new Date(release.updated).toUTCString()}\nNAMESPACE: ${namespace}\nSTATUS: deployed\nREVISION: ${release.revision}\nTEST SUITE: None\n`,
      );
      return 0;
    }
    case 'get': {
      // `helm get values NAME [-o json]`: the user-supplied values (the lab keeps the --set pairs).
      if (rest[0] !== 'values') {
        io.err(`Error: unknown command "${rest[0] ?? ''}" for "helm get"\n`);
        return 1;
      }
      const release = cluster.releases.find((r) => r.name === rest[1] && r.namespace === namespace);
      if (!release) {
        io.err('Error: release: not found\n');
        return 1;
      }
      const nested: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(release.values)) {
        const path = key.split('.');
        let at = nested;
        for (const part of path.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
        at[path[path.length - 1]!] = value;
      }
      const empty = Object.keys(nested).length === 0;
      if (flagValue(args, '-o', '--output') === 'json')
        io.out(`${empty ? 'null' : JSON.stringify(nested)}\n`);
      else io.out(`USER-SUPPLIED VALUES:\n${empty ? 'null' : yamlOf(nested, '')}\n`);
      return 0;
    }
    case 'uninstall':
    case 'delete': {
      const name = rest[0] ?? '';
      if (!model.uninstallRelease(cluster, name, namespace)) {
        io.err(`Error: uninstall: Release not loaded: ${name}: release: not found\n`);
        return 1;
      }
      io.out(`release "${name}" uninstalled\n`);
      return 0;
    }
    default:
      io.err(`Error: unknown command "${sub ?? ''}" for "helm"\n`);
      return 1;
  }
}

/** `helm pull --untar`: a small chart folder on the node (Chart.yaml, values.yaml, cluster.yaml). */
function untarChart(ctx: CommandContext, chart: string, version: string, untarDir: string): void {
  const base = nodePath(ctx, untarDir);
  if (base === undefined) return;
  const dir = join(base, chart);
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'Chart.yaml': `apiVersion: v2\nname: ${chart}\nversion: ${version}\nappVersion: "${version}"\ntype: application\n`,
    'values.yaml':
      chart === 'gateway-manager' ? 'secrets:\n  defaultPassword: ""\n' : 'nfs:\n  server: ""\n  path: ""\n',
    'cluster.yaml':
      chart === 'gateway-manager'
        ? 'replicaCount: 1\nha: true\n'
        : 'ha: true\nstorageClass:\n  defaultClass: true\n',
  };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  // The caller must be able to remove what it pulled (the deploy script's `rm -rf` trap).
  if (ctx.uid > 0) {
    for (const path of [dir, ...Object.keys(files).map((f) => join(dir, f))]) {
      try {
        chownSync(path, ctx.uid, ctx.uid);
      } catch {
        // the folder vanished meanwhile
      }
    }
  }
}

function table(rows: string[][], separator = '   '): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return (
    rows
      .map((r) =>
        r
          .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
          .join(separator)
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
