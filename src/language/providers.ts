// Completion, hover, quick fixes, outline and code lenses for specs: thin adapters over src/language/core and
// the spec core's validation (shared through the SpecService).
import * as vscode from 'vscode';
import type { Finding, FixHint, SpecDocumentInfo } from '../cluster-spec/types';
import { completionCandidates, type CompletionCandidate } from './core/completion-candidates';
import { planFix, type FixPlan, type TextEditLike } from './core/fix-edits';
import { keyHover, valueHover } from './core/hover-text';
import { outlineOf, type OutlineSymbol } from './core/outline';
import type { JsonSchema } from './core/schema-walk';
import { cursorContext, hoverTarget } from './core/yaml-locate';
import { DIAGNOSTIC_SOURCE, toRange } from './diagnostics';
import { clusterIdentity } from '../clusters/identity';
import type { SecretIndex } from '../clusters';
import { isSpecCandidate, loadSpecCore, type Analysis, type SpecService } from '../spec-service';

type SpecCore = Awaited<ReturnType<typeof loadSpecCore>>;

export const COMMAND_MOVE_SECRET = 'gatewayCluster.spec.moveSecretToStorage';
export const COMMAND_VALIDATE_DOCUMENT = 'gatewayCluster.spec.validateDocument';

function documentAt(analysis: Analysis, line: number): SpecDocumentInfo | undefined {
  const docs = analysis.result.documents;
  return (
    docs.find((d) => line >= d.range.start.line && line <= d.range.end.line) ??
    (docs.length === 1 ? docs[0] : undefined)
  );
}

function sameRange(a: Finding['range'], b: vscode.Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

function toTextEdit(edit: TextEditLike): vscode.TextEdit {
  return new vscode.TextEdit(toRange(edit.range), edit.newText);
}

const COMPLETION_KINDS: Record<CompletionCandidate['kind'], vscode.CompletionItemKind> = {
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  snippet: vscode.CompletionItemKind.Snippet,
  secret: vscode.CompletionItemKind.Reference,
};

export class SpecCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly specs: SpecService,
    private readonly secrets: SecretIndex,
  ) {}

  async provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.CompletionItem[] | undefined> {
    const text = document.getText();
    if (!isSpecCandidate(document.fileName, text)) return undefined;
    const spec = await loadSpecCore();
    // Recognition and free values may come from the last validation: typing must not wait for a new one.
    const analysis = this.specs.latest(document) ?? (await this.specs.analyze(document));
    if (!analysis) return undefined;
    const context = cursorContext(text, position.line, position.character);
    const last = context.path[context.path.length - 1];
    const inNodes = context.path[0] === 'spec' && context.path[1] === 'nodes';
    const wantsFreeValues =
      inNodes &&
      (context.path.length === 2 ||
        context.newListItem ||
        (context.kind === 'value' && (last === 'address' || last === 'hostname')));
    let nextFreeAddress: string | undefined;
    let nextFreeHostname: string | undefined;
    let nextFreeHost: string | undefined;
    const model = analysis.result.documents.find((d) => d.index === context.documentIndex)?.model;
    if (wantsFreeValues) {
      if (model) {
        nextFreeAddress = spec.nextFreeAddress(model);
        nextFreeHostname = spec.nextFreeHostname(model);
        nextFreeHost = spec.nextFreeHost(model);
      }
    }
    const line = document.lineAt(position.line).text;
    const candidates = completionCandidates({
      schema: spec.clusterSchema as JsonSchema,
      context,
      // Only this cluster's secrets: a spec reaches nothing stored for another cluster.
      secretNames: model?.name ? this.secrets.names(clusterIdentity(document.uri.fsPath, model.name)) : [],
      nextFreeAddress,
      nextFreeHostname,
      nextFreeHost,
      lineIndent: line.length - line.trimStart().length,
      valueAt: (path) => (path.join('.') === 'spec.topology' ? model?.topology : undefined),
    });
    const replace = new vscode.Range(position.line, context.word.start, position.line, context.word.end);
    const needsSpace = context.kind === 'value' && line[context.word.start - 1] === ':';
    return candidates.map((c) => {
      const item = new vscode.CompletionItem(c.label, COMPLETION_KINDS[c.kind]);
      const insert = needsSpace ? ` ${c.insertText}` : c.insertText;
      item.insertText = c.snippet ? new vscode.SnippetString(insert) : insert;
      item.range = replace;
      item.keepWhitespace = true;
      if (c.detail) item.detail = c.detail;
      if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
      if (c.sortText) item.sortText = c.sortText;
      if (c.retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
      return item;
    });
  }
}

export class SpecHoverProvider implements vscode.HoverProvider {
  constructor(private readonly specs: SpecService) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const analysis = await this.specs.analyze(document);
    if (!analysis) return undefined;
    const spec = await loadSpecCore();
    const target = hoverTarget(analysis.text, position.line, position.character);
    if (!target) return undefined;
    const schema = spec.clusterSchema as JsonSchema;
    const model = documentAt(analysis, position.line)?.model;
    const markdown =
      target.kind === 'value'
        ? (valueHover(target.value ?? '', target.path, model) ?? keyHover(schema, target.path))
        : keyHover(schema, target.path);
    if (!markdown) return undefined;
    return new vscode.Hover(
      new vscode.MarkdownString(markdown),
      new vscode.Range(position.line, target.start, position.line, target.end),
    );
  }
}

/** The fix hint for a finding: the core's, or one computed here from the model for the codes that need one. */
export function fixFor(
  finding: Finding,
  doc: SpecDocumentInfo | undefined,
  spec: SpecCore,
): FixHint | undefined {
  const model = doc?.model;
  if (finding.fix) return finding.fix;
  if (!model) return undefined;
  if (finding.code === 'GC101') {
    const value = spec.nextFreeHostname(model);
    return value ? { kind: 'replaceValue', value } : undefined;
  }
  if (finding.code === 'GC103') {
    const value = spec.nextFreeAddress(model);
    return value ? { kind: 'replaceValue', value } : undefined;
  }
  if (finding.code === 'GC106' && model.network.floatingIp) {
    return { kind: 'replaceValue', value: `${model.network.floatingIp}/32` };
  }
  return undefined;
}

/** GC105 sits on floatingIp but its fix sets metallbRange: re-target a CIDR replacement to that value. */
function retarget(finding: Finding, doc: SpecDocumentInfo | undefined, fix: FixHint | undefined): Finding {
  if (finding.code !== 'GC105' || fix?.kind !== 'replaceValue' || !fix.value.includes('/')) return finding;
  const range = doc?.rangeOf(['spec', 'network', 'metallbRange'], 'value');
  return range ? { ...finding, range } : finding;
}

export function planFor(analysis: Analysis, finding: Finding, spec: SpecCore): FixPlan | undefined {
  const doc = documentAt(analysis, finding.range.start.line);
  let fix = fixFor(finding, doc, spec);
  if (finding.code === 'GC105' && !fix && doc?.model?.network.floatingIp) {
    fix = { kind: 'replaceValue', value: `${doc.model.network.floatingIp}/32` };
  }
  return planFix(analysis.text, retarget(finding, doc, fix), doc, fix);
}

export class SpecCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly specs: SpecService) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const analysis = await this.specs.analyze(document);
    if (!analysis || analysis.version !== document.version) return [];
    const spec = await loadSpecCore();
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const code =
        typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
      const finding = analysis.result.findings.find(
        (f) => f.code === code && sameRange(f.range, diagnostic.range),
      );
      if (!finding) continue;
      const plan = planFor(analysis, finding, spec);
      if (!plan) continue;
      const action = new vscode.CodeAction(plan.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      if (plan.secret) {
        // The value goes to secret storage first, then leaves the file: a command, not a plain edit.
        action.command = {
          title: plan.title,
          command: COMMAND_MOVE_SECRET,
          arguments: [document.uri.toString(), finding.code, finding.range],
        };
      } else {
        const edit = new vscode.WorkspaceEdit();
        edit.set(document.uri, plan.edits.map(toTextEdit));
        action.edit = edit;
      }
      actions.push(action);
    }
    return actions;
  }
}

const SYMBOL_KINDS: Record<OutlineSymbol['kind'], vscode.SymbolKind> = {
  cluster: vscode.SymbolKind.Module,
  nodes: vscode.SymbolKind.Array,
  node: vscode.SymbolKind.Object,
  network: vscode.SymbolKind.Namespace,
  storage: vscode.SymbolKind.Package,
  charts: vscode.SymbolKind.Package,
  loadBalancer: vscode.SymbolKind.Interface,
  frontend: vscode.SymbolKind.Event,
  gateway: vscode.SymbolKind.Package,
  agents: vscode.SymbolKind.Array,
};

function toSymbol(symbol: OutlineSymbol): vscode.DocumentSymbol {
  const out = new vscode.DocumentSymbol(
    symbol.name,
    symbol.detail,
    SYMBOL_KINDS[symbol.kind],
    toRange(symbol.range),
    toRange(symbol.selectionRange),
  );
  out.children = symbol.children.map(toSymbol);
  return out;
}

export class SpecSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly specs: SpecService) {}

  async provideDocumentSymbols(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    const analysis = await this.specs.analyze(document);
    if (!analysis) return [];
    return analysis.result.documents
      .map((doc) => outlineOf(doc))
      .filter((s): s is OutlineSymbol => s !== undefined)
      .map(toSymbol);
  }
}

/** The operations a spec's lenses open, each in its wizard panel (src/wizards). */
export const SPEC_OPERATIONS = [
  {
    title: '$(checklist) Preflight',
    command: 'gatewayCluster.cluster.preflight',
    tooltip: 'Check every node (read-only)',
  },
  {
    title: '$(debug-start) Join nodes',
    command: 'gatewayCluster.cluster.join',
    tooltip: 'Rename hosts and join the nodes into one cluster',
  },
  {
    title: '$(cloud-upload) Deploy',
    command: 'gatewayCluster.cluster.deploy',
    tooltip: 'Enable dns and metallb, install storage and the Gateway Manager',
  },
  {
    title: '$(plug) Register',
    command: 'gatewayCluster.cluster.register',
    tooltip: 'Register the cluster with its activation token',
  },
] as const;

/** The lenses of a load-balanced spec (seed 003): install, configure the load balancer, then the agents. */
export const LOAD_BALANCED_OPERATIONS = [
  {
    title: '$(cloud-download) Install gateways',
    command: 'gatewayCluster.cluster.install',
    tooltip: 'Upload and install the gateway package on each gateway and set it up with its response file',
  },
  {
    title: '$(settings-gear) Configure load balancer',
    command: 'gatewayCluster.cluster.configureLb',
    tooltip: 'Write haproxy.cfg from the spec, check it with haproxy -c, reload without dropping connections',
  },
  {
    title: '$(radio-tower) Configure agents',
    command: 'gatewayCluster.cluster.configureAgents',
    tooltip: 'Point the management agents at the load balancer',
  },
] as const;

export class SpecCodeLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly specs: SpecService) {}

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const analysis = await this.specs.analyze(document);
    if (!analysis) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const doc of analysis.result.documents) {
      const top = new vscode.Range(doc.range.start.line, 0, doc.range.start.line, 0);
      lenses.push(
        new vscode.CodeLens(top, {
          title: '$(check) Validate',
          tooltip: 'Run the same check as `gateway-cluster validate` and report the counts',
          command: COMMAND_VALIDATE_DOCUMENT,
          arguments: [document.uri.toString()],
        }),
      );
      const operations = doc.model?.topology === 'load-balanced' ? LOAD_BALANCED_OPERATIONS : SPEC_OPERATIONS;
      for (const operation of operations) {
        lenses.push(
          new vscode.CodeLens(top, {
            title: operation.title,
            tooltip: operation.tooltip,
            command: operation.command,
            arguments: [document.uri, doc.index],
          }),
        );
      }
    }
    return lenses;
  }
}
