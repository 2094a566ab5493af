// The steps install (gateways) and configure-agents (agents) share, after seed 003: look at each host, upload
// and install the package where it is missing, and run the setup script with a response file that is written
// 0600, holds the secrets (from secret storage, on stdin, never on a command line) and is deleted afterwards
// whatever happens. What each host was set up with is recorded there (`*.applied`), so a re-run tells "already
// done" from drift: a gateway joins its group, an agent its gateway, once; a change needs a reinstall.
import { basename } from 'node:path';
import type { NodeModel } from '../../cluster-spec/types';
import { responseFile } from '../../encode/response-file';
import { StepFailure } from '../errors';
import { lbCmd, type Role } from '../lb-commands';
import { parsePreflightFacts } from '../node-commands';
import type { PreviewContext, Step, StepContext } from '../plan';
import type { PlannedCommand } from '../records';
import { AGENT_PACKAGE, GATEWAY_PACKAGE, appliedText, parseApplied, type Applied } from './gateway-files';

export interface HostFacts {
  installed: boolean;
  /** `rpm -q`'s answer: the package's full name, or why not. */
  rpm: string;
  active: boolean;
  /** What the product applied there, if it did. */
  applied?: Applied;
}

const FACTS = { gateway: 'install.facts', agent: 'configure-agents.facts' };
const PACKAGE_NAME: Record<Role, string> = { gateway: GATEWAY_PACKAGE, agent: AGENT_PACKAGE };
const WHAT: Record<Role, string> = { gateway: 'gateway', agent: 'agent' };

export function factsOf(ctx: StepContext, role: Role, node: NodeModel): HostFacts | undefined {
  return (ctx.shared.get(FACTS[role]) as Map<string, HostFacts> | undefined)?.get(node.hostname);
}

export interface Expected {
  /** The values the host must have been set up with (the applied record's), and how to say a difference. */
  applied: Applied;
  /** Keys whose difference needs a reinstall (the rest are only reported). */
  fixed: readonly string[];
  uninstallHint: (node: NodeModel) => string;
}

/** Each host's package, service and record, in one command; refuses a host set up differently. */
export function factsStep(role: Role, hosts: readonly NodeModel[], expected: Expected): Step {
  return {
    id: 'facts',
    title: `Look at the ${WHAT[role]}s`,
    nodes: hosts,
    parallel: true,
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: `each ${WHAT[role]} is either not set up yet or set up as the spec says`,
    async run(ctx, node) {
      const facts = parsePreflightFacts(
        (await ctx.exec(node!, lbCmd.hostFacts(role), { quiet: true })).stdout,
      );
      const rpm = facts.get('rpm');
      const applied = facts.get('applied');
      const found: HostFacts = {
        installed: rpm?.code === 0,
        rpm: (rpm?.output ?? '').trim(),
        active: facts.get('active')?.code === 0,
        ...(applied?.code === 0 ? { applied: parseApplied(applied.output) } : {}),
      };
      let all = ctx.shared.get(FACTS[role]) as Map<string, HostFacts> | undefined;
      if (!all) ctx.shared.set(FACTS[role], (all = new Map()));
      all.set(node!.hostname, found);
      const differs = Object.entries(expected.applied).filter(
        ([key, value]) => found.applied?.[key] !== undefined && found.applied[key] !== value,
      );
      for (const [key, value] of differs)
        ctx.log(`differs: ${key} was ${found.applied?.[key]}, the spec asks for ${value}`, node);
      const blocking = differs.filter(([key]) => expected.fixed.includes(key));
      if (blocking.length)
        throw new StepFailure(
          `${node!.hostname} was set up with ${blocking.map(([key]) => `${key} ${found.applied?.[key]}`).join(', ')}; the spec asks for ${blocking.map(([key, value]) => `${key} ${value}`).join(', ')}. A ${WHAT[role]} takes these once, at setup.`,
          expected.uninstallHint(node!),
          { node: node!.hostname },
        );
      if (!found.installed) return `${PACKAGE_NAME[role]} is not installed`;
      return `${found.rpm}${found.active ? ', running' : ', not running'}${found.applied ? ' (set up by Gateway Clusters)' : ''}`;
    },
    preview: (p, node) => [{ node: node!.hostname, command: p.show(lbCmd.hostFacts(role)) }],
  };
}

/** Uploads the package over SFTP into a private folder, installs it with rpm (root), removes the folder. */
export function packageStep(role: Role, hosts: readonly NodeModel[], packagePath: string | undefined): Step {
  const name = packagePath === undefined ? undefined : basename(packagePath.replace(/\\/g, '/'));
  return {
    id: 'package',
    title: `Upload and install the ${WHAT[role]} package`,
    nodes: hosts,
    parallel: true,
    checkText: `rpm -q ${PACKAGE_NAME[role]} says it is installed`,
    proofText: `rpm -ivh exits 0 ("${WHAT[role] === 'gateway' ? 'Gateway' : 'Agent'} install successfully")`,
    async check(ctx, node) {
      const facts = factsOf(ctx, role, node!);
      return facts?.installed ? `${facts.rpm} is installed` : undefined;
    },
    async run(ctx, node) {
      if (packagePath === undefined || name === undefined)
        throw new StepFailure(
          `The agent is not installed on ${node!.hostname} and the spec names no agents.package to install it from.`,
          `Add agents.package (the agent .rpm from Observability & Management › Management Agents › Downloads and Keys) to cluster.yaml, or install the agent on ${node!.hostname} yourself, then resume.`,
          { node: node!.hostname },
        );
      const dir = (await ctx.exec(node!, lbCmd.makeUploadDir())).stdout.trim();
      if (!/^\/tmp\/gateway-cluster\.[A-Za-z0-9]+$/.test(dir))
        throw new StepFailure(
          `mktemp on ${node!.hostname} printed "${dir}", not a folder.`,
          'Check /tmp on the host.',
        );
      try {
        await ctx.upload(node!, packagePath, `${dir}/${name}`, 0o644);
        await ctx.exec(node!, lbCmd.installPackage(`${dir}/${name}`), { sudo: true, timeoutMs: 15 * 60_000 });
      } finally {
        await ctx.exec(node!, lbCmd.removeUploadDir(dir), { cleanup: true, okCodes: 'any' });
      }
      return `installed ${name}`;
    },
    preview: (p, node) => {
      const h = node!.hostname;
      const dir = '$DIR';
      const when = `when rpm -q ${PACKAGE_NAME[role]} says it is not installed`;
      if (packagePath === undefined || name === undefined)
        return [{ node: h, command: `(fails: no agents.package to install from)`, when }];
      return [
        { node: h, command: `DIR=$(${p.show(lbCmd.makeUploadDir())})`, when },
        { node: h, command: `sftp put ${packagePath} ${h}:${dir}/${name} (mode 0644)`, when },
        { node: h, command: p.show(lbCmd.installPackage(`${dir}/${name}`)), sudo: true, when },
        { node: h, command: p.show(lbCmd.removeUploadDir(dir)), when: 'afterwards, whatever happened' },
      ];
    },
  };
}

export interface SetupSpec {
  role: Role;
  hosts: readonly NodeModel[];
  /** The setup script the package installs. */
  script: string;
  /** The response file's entries; secrets come from ctx.secret (registered with the masker). */
  entries(ctx: StepContext): Promise<Array<[string, string]>>;
  /** The entries as the dry run shows them (secrets as placeholders). */
  previewEntries(p: PreviewContext): Array<[string, string]>;
  expected: Expected;
  /** The response file's values the operator gives in the panel, for what to do when the script refuses one. */
  inputs: string;
}

/** Writes the response file (0600, on stdin), runs the setup script as root, deletes the file, records. */
export function setupStep(spec: SetupSpec): Step {
  const { role, expected } = spec;
  const describe = Object.entries(expected.applied)
    .filter(([key]) => expected.fixed.includes(key))
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  return {
    id: 'setup',
    title: `Set the ${WHAT[role]} up (${basename(spec.script)}, response file 0600, then deleted)`,
    nodes: spec.hosts,
    parallel: true,
    checkText: `the ${WHAT[role]} runs and was set up with ${describe}`,
    proofText: `${basename(spec.script)} exits 0; the response file is gone`,
    async check(ctx, node) {
      const facts = factsOf(ctx, role, node!);
      if (!facts?.applied || !facts.active) return undefined;
      return sameAsApplied(facts, expected) ? `runs, set up with ${describe}` : undefined;
    },
    async run(ctx, node) {
      // Set up already with the spec's values (its record says so), only its service stopped: the script
      // would refuse a second setup, so the service is started instead.
      const facts = factsOf(ctx, role, node!);
      if (facts?.applied && !facts.active && sameAsApplied(facts, expected)) {
        await ctx.exec(node!, lbCmd.serviceStart(role), { sudo: true });
        return `set up with ${describe} already; its stopped service started`;
      }
      let text: string;
      try {
        text = responseFile(await spec.entries(ctx));
      } catch (error) {
        if (error instanceof StepFailure) throw error;
        throw new StepFailure(
          `The response file for ${node!.hostname} cannot be written: ${error instanceof Error ? error.message : String(error)}`,
          'A secret or value with a line break, a control character, a backslash or surrounding blanks cannot go into a response file: change it, then resume.',
          { node: node!.hostname },
        );
      }
      const label = `(the response file, ${text.split('\n').length - 1} lines; secrets not recorded)`;
      await ctx.exec(node!, lbCmd.writeResponseFile(role), { sudo: true, stdin: text, stdinLabel: label });
      try {
        await ctx.exec(node!, lbCmd.setup(spec.script, role), {
          sudo: true,
          timeoutMs: 15 * 60_000,
          explain: (result) => setupRefusal(spec, node!, result),
        });
      } finally {
        // The seed: "Please make sure that you delete … or store it in a secure location."
        await ctx.exec(node!, lbCmd.removeResponseFile(role), { sudo: true, cleanup: true });
      }
      await ctx.exec(node!, lbCmd.writeApplied(role), {
        sudo: true,
        stdin: appliedText(expected.applied),
        stdinLabel: `(what was applied: ${Object.keys(expected.applied).join(', ')})`,
      });
      return `set up with ${describe}`;
    },
    preview: (p, node) => {
      const h = node!.hostname;
      const entries = spec.previewEntries(p);
      const commands: PlannedCommand[] = [
        {
          node: h,
          command: p.show(lbCmd.serviceStart(role)),
          sudo: true,
          when: `instead of the rest, when the ${WHAT[role]} was set up with these values and only its service stopped`,
        },
        {
          node: h,
          command: p.show(lbCmd.writeResponseFile(role)),
          sudo: true,
          stdin: entries.map(([key, value]) => `${key}=${value}`).join('\n'),
        },
        { node: h, command: p.show(lbCmd.setup(spec.script, role)), sudo: true },
        {
          node: h,
          command: p.show(lbCmd.removeResponseFile(role)),
          sudo: true,
          when: 'afterwards, whatever happened',
        },
        {
          node: h,
          command: p.show(lbCmd.writeApplied(role)),
          sudo: true,
          stdin: appliedText(expected.applied),
        },
      ];
      return commands;
    },
  };
}

function sameAsApplied(facts: HostFacts, expected: Expected): boolean {
  return Object.entries(expected.applied).every(([key, value]) => facts.applied?.[key] === value);
}

/**
 * The setup script's own last word as the failure (it says why: a refused install key, wrong credentials, a
 * host already set up), and what to do about either kind of cause.
 */
function setupRefusal(
  spec: SetupSpec,
  node: NodeModel,
  result: { code: number | null; stdout: string; stderr: string },
): { message: string; hint: string } {
  const lastLine = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .pop();
  const said = lastLine(result.stderr) ?? lastLine(result.stdout);
  return {
    message: `${basename(spec.script)} failed on ${node.hostname} (exit ${result.code ?? 'by a signal'})${said ? `: ${said}` : '.'}`,
    hint: `If it refuses a value of the response file — ${spec.inputs} — store the right one with its Change button in this panel (or fix cluster.yaml), then resume; otherwise fix the cause on ${node.hostname}, then resume.`,
  };
}
