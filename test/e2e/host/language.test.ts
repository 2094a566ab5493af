// Language features of cluster.yaml in the real extension host: diagnostics, completion, hover, quick fixes,
// outline, lenses, workspace validation, and the edit → diagnostics latency for large specs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { bigSpec } from './big-spec';

const BROKEN = [
  'apiVersion: gateway-cluster/v1', // 0
  'kind: GatewayCluster', // 1
  'metadata:', // 2
  '  name: lang-test', // 3
  'spec:', // 4
  '  topolgy: ha', // 5
  '  nodes:', // 6
  '    - hostname: gw-1', // 7
  '      address: 10.0.0.11', // 8
  '      host: esxi-a', // 9
  '    - hostname: gw-1', // 10
  '      address: 10.0.0.11', // 11
  '      host: esxi-b', // 12
  '    - hostname: gw-3', // 13
  '      address: 10.0.0.13', // 14
  '      host: esxi-c', // 15
  '  network:', // 16
  '    subnet: 10.0.0.0/24', // 17
  '    floatingIp: 10.0.0.5', // 18
  '    metallbRange: 10.0.0.9/32', // 19
  '    proxy:', // 20
  '      http: http://proxy.example.com:3128', // 21
  '  storage:', // 22
  '    nfs: { server: nfs.example.com, path: /shared/lang-test }', // 23
  '  charts:', // 24
  '    version: 0.9.6', // 25
  '  gatewayManager:', // 26
  '    password: hunter2', // 27
  '', // 28
].join('\n');

const created: string[] = [];

function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a workspace folder');
  return folder.uri.fsPath;
}

function writeSpec(name: string, text: string, dir = workspaceDir()): vscode.Uri {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  created.push(file);
  return vscode.Uri.file(file);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'gateway-cluster');
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function summary(d: vscode.Diagnostic): string {
  const r = d.range;
  return `${codeOf(d)} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

async function openSpec(name: string, text: string): Promise<{ uri: vscode.Uri; editor: vscode.TextEditor }> {
  const uri = writeSpec(name, text);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
    preview: false,
  });
  return { uri, editor };
}

/** Waits until the diagnostics of `uri` satisfy `ready`, after running `action`. */
async function diagnosticsAfter(
  uri: vscode.Uri,
  action: () => Thenable<unknown> | void,
  ready: (d: vscode.Diagnostic[]) => boolean,
  timeoutMs = 20_000,
  what = 'diagnostics',
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`${what} not ready: ${ours(uri).map(summary).join(', ')}`));
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const now = ours(uri);
      if (ready(now)) {
        clearTimeout(timer);
        listener.dispose();
        resolve(now);
      }
    });
    void Promise.resolve(action()).then(() => {
      const now = ours(uri);
      if (ready(now)) {
        clearTimeout(timer);
        listener.dispose();
        resolve(now);
      }
    });
  });
}

async function completionLabels(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    position,
  );
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    position,
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

async function quickFix(uri: vscode.Uri, code: string, title: RegExp): Promise<vscode.CodeAction> {
  const diagnostic = ours(uri).find((d) => codeOf(d) === code);
  assert.ok(diagnostic, `${code} is shown`);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `a quick fix for ${code} among ${actions.map((a) => a.title).join(', ')}`);
  return action;
}

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.equal(await vscode.workspace.applyEdit(action.edit), true);
  if (action.command)
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

describe('cluster.yaml language features', function () {
  this.timeout(120_000);

  before(async () => {
    const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'gateway-cluster');
    assert.ok(extension);
    await extension.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const file of created) fs.rmSync(file, { force: true });
  });

  it('shows the exact diagnostics, with source, linked code and related information', async () => {
    const uri = writeSpec('lang-diagnostics.cluster.yaml', BROKEN);
    const diagnostics = await diagnosticsAfter(
      uri,
      async () => vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri)),
      (d) => d.length >= 6,
    );
    assert.deepEqual(diagnostics.map(summary).sort(), [
      'GC010 5:2-5:9',
      'GC101 10:16-10:20',
      'GC103 11:15-11:24',
      'GC106 19:18-19:29',
      'GC150 27:4-27:12',
      'GC160 20:4-20:9',
    ]);
    const duplicate = diagnostics.find((d) => codeOf(d) === 'GC101');
    assert.equal(duplicate?.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(
      duplicate?.relatedInformation?.map((r) => [
        r.location.uri.toString(),
        r.location.range.start.line,
        r.location.range.start.character,
      ]),
      [[uri.toString(), 7, 16]],
    );
    const code = duplicate?.code;
    assert.ok(typeof code === 'object');
    assert.match(code.target.path, /docs\/cluster-spec\.md$/);
    assert.equal(code.target.fragment, 'gc101');
    assert.equal(diagnostics.find((d) => codeOf(d) === 'GC150')?.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('completes keys not yet present, enum values, secret names and a whole node', async () => {
    const text = [
      'apiVersion: gateway-cluster/v1', // 0
      'kind: GatewayCluster', // 1
      'metadata:', // 2
      '  name: lang-complete', // 3
      'spec:', // 4
      '  topology: ', // 5
      '  nodes:', // 6
      '    - hostname: gw-1', // 7
      '      address: 10.0.0.11', // 8
      '    ', // 9
      '  network:', // 10
      '    subnet: 10.0.0.0/24', // 11
      '    floatingIp: 10.0.0.5', // 12
      '    ', // 13
      '',
    ].join('\n');
    const { uri } = await openSpec('lang-complete.cluster.yaml', text);
    const network = await completionLabels(uri, new vscode.Position(13, 4));
    for (const key of ['dhcpRange', 'metallbRange', 'proxy', 'gateway'])
      assert.ok(network.includes(key), key);
    assert.ok(!network.includes('subnet') && !network.includes('floatingIp'), 'present keys are not offered');
    const topology = await completionLabels(uri, new vscode.Position(5, 12));
    assert.ok(topology.includes('ha') && topology.includes('single-node'));
    const nodes = await completionLabels(uri, new vscode.Position(9, 4));
    assert.ok(nodes.includes('node'), 'the node snippet');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      new vscode.Position(9, 4),
    );
    const node = list.items.find((i) => i.label === 'node');
    assert.equal(node?.detail, 'gw-2 at 10.0.0.2');
  });

  it('hovers with the schema description and default, and facts about addresses and CIDRs', async () => {
    const { uri } = await openSpec('lang-hover.cluster.yaml', BROKEN);
    const key = await hoverText(uri, new vscode.Position(17, 6));
    assert.match(key, /\*\*spec\.network\.subnet\*\*/);
    const cidr = await hoverText(uri, new vscode.Position(17, 14));
    assert.match(cidr, /First address `10\.0\.0\.0`, last address `10\.0\.0\.255`: 256 addresses/);
    const address = await hoverText(uri, new vscode.Position(14, 17));
    assert.match(address, /inside `subnet` 10\.0\.0\.0\/24/);
    assert.match(address, /Held by node 3: `gw-3`/);
  });

  it('quick fixes GC010, GC101, GC103, GC106 and GC160 edit the text', async () => {
    const { uri, editor } = await openSpec('lang-fixes.cluster.yaml', BROKEN);
    await diagnosticsAfter(
      uri,
      () => undefined,
      (d) => d.length >= 6,
    );
    const expectations: Array<[string, RegExp, number, string]> = [
      ['GC010', /^Change to 'topology'$/, 5, '  topology: ha'],
      ['GC101', /^Replace with 'gw-2'$/, 10, '    - hostname: gw-2'],
      ['GC103', /^Replace with '10\.0\.0\.2'$/, 11, '      address: 10.0.0.2'],
      ['GC106', /^Replace with '10\.0\.0\.5\/32'$/, 19, '    metallbRange: 10.0.0.5/32'],
      ['GC160', /^Add proxy 'https: /, 22, '      https: http://proxy.example.com:3128'],
    ];
    for (const [code, title, line, expected] of expectations) {
      const action = await quickFix(uri, code, title);
      await diagnosticsAfter(
        uri,
        () => apply(action),
        (d) => !d.some((x) => codeOf(x) === code),
      );
      assert.equal(editor.document.lineAt(line).text, expected, code);
    }
    assert.deepEqual(ours(uri).map(codeOf), ['GC150']);
  });

  it('quick fix GC150 moves the inline secret into secret storage and out of the file', async () => {
    const { uri, editor } = await openSpec('lang-secret.cluster.yaml', BROKEN);
    await diagnosticsAfter(
      uri,
      () => undefined,
      (d) => d.some((x) => codeOf(x) === 'GC150'),
    );
    const action = await quickFix(
      uri,
      'GC150',
      /^Move the secret to secret storage as 'lang-test-manager-password'$/,
    );
    await diagnosticsAfter(
      uri,
      () => apply(action),
      (d) => !d.some((x) => codeOf(x) === 'GC150'),
    );
    assert.equal(editor.document.lineAt(27).text, '    passwordSecret: lang-test-manager-password');
    assert.ok(!editor.document.getText().includes('hunter2'), 'gone from the document');
    const deadline = Date.now() + 10_000;
    while (fs.readFileSync(uri.fsPath, 'utf8').includes('hunter2') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(!fs.readFileSync(uri.fsPath, 'utf8').includes('hunter2'), 'gone from the file on disk');
    assert.equal(
      await vscode.commands.executeCommand(
        'gatewayCluster.test.readSecret',
        uri.fsPath,
        'lang-test',
        'lang-test-manager-password',
      ),
      'hunter2',
    );
    // The name is now offered for *Secret keys.
    const labels = await completionLabels(uri, new vscode.Position(27, 20));
    assert.ok(labels.includes('lang-test-manager-password'));
  });

  it('outlines cluster → nodes → network, storage, charts, and shows the lenses', async () => {
    const { uri } = await openSpec('lang-outline.cluster.yaml', BROKEN);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      uri,
    );
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0]?.name, 'lang-test');
    assert.deepEqual(
      symbols[0]?.children.map((c) => c.name),
      ['nodes', 'network', 'storage', 'charts'],
    );
    assert.deepEqual(
      symbols[0]?.children[0]?.children.map((n) => `${n.name} ${n.detail}`),
      ['gw-1 10.0.0.11', 'gw-1 10.0.0.11', 'gw-3 10.0.0.13'],
    );
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    );
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      [
        '$(check) Validate',
        '$(checklist) Preflight',
        '$(debug-start) Join nodes',
        '$(cloud-upload) Deploy',
        '$(plug) Register',
      ],
    );
    // The operation lenses open the wizards for this very spec.
    assert.deepEqual(
      lenses.slice(1).map((l) => [l.command?.command, String(l.command?.arguments?.[0])]),
      ['preflight', 'join', 'deploy', 'register'].map((op) => [
        `gatewayCluster.cluster.${op}`,
        uri.toString(),
      ]),
    );
    const findings = await vscode.commands.executeCommand<unknown[]>(
      lenses[0]?.command?.command ?? '',
      ...(lenses[0]?.command?.arguments ?? []),
    );
    assert.equal(findings.length, 6, 'Validate runs the CLI check');
  });

  it('validates specs that are not open, keeps them current, and clears closed documents', async () => {
    const uri = writeSpec('lang-disk.cluster.yaml', BROKEN);
    await diagnosticsAfter(
      uri,
      () => undefined,
      (d) => d.length === 6,
      20_000,
      'a spec on disk',
    );
    const fixedText = BROKEN.replace('topolgy', 'topology');
    await diagnosticsAfter(
      uri,
      () => fs.writeFileSync(uri.fsPath, fixedText),
      (d) => d.length === 5,
      20_000,
      'a spec changed on disk',
    );
    const result = await vscode.commands.executeCommand<{ specs: number; errors: number }>(
      'gatewayCluster.spec.validateAll',
    );
    assert.ok(result.specs >= 1 && result.errors >= 4);

    // A spec outside the workspace: its diagnostics leave with its editor.
    const outside = writeSpec(
      'outside.cluster.yaml',
      BROKEN,
      fs.mkdtempSync(path.join(os.tmpdir(), 'gc-lang-')),
    );
    await diagnosticsAfter(
      outside,
      async () => vscode.window.showTextDocument(await vscode.workspace.openTextDocument(outside)),
      (d) => d.length === 6,
    );
    await diagnosticsAfter(
      outside,
      () => vscode.commands.executeCommand('workbench.action.closeActiveEditor'),
      (d) => d.length === 0,
      20_000,
      'a closed spec',
    );
  });

  it('follows edits of a 300-node spec (the latency is measured by bench/language)', async () => {
    const { uri, editor } = await openSpec('lang-big.cluster.yaml', bigSpec(300));
    await diagnosticsAfter(
      uri,
      () => undefined,
      (d) => d.length === 0,
      60_000,
    );
    const line = 7 + 3 * 150;
    const original = editor.document.lineAt(line).text;
    await diagnosticsAfter(
      uri,
      () => editor.edit((b) => b.replace(editor.document.lineAt(line).range, '    - hostname: gw-1')),
      (d) => d.some((x) => codeOf(x) === 'GC101'),
      60_000,
    );
    await diagnosticsAfter(
      uri,
      () => editor.edit((b) => b.replace(editor.document.lineAt(line).range, original)),
      (d) => d.length === 0,
      60_000,
    );
  });
});
