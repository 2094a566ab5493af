// validateText: parse every document with ranges, check structure against the schema, build the model,
// then run the semantic rule families. Never throws: internal failures become findings.
import { isMap, isScalar, type Document } from 'yaml';
import type { Code } from './codes';
import { severityOf } from './codes';
import { RuleContext } from './context';
import { PositionMapper, SpecDocument } from './document';
import { buildModel } from './model';
import { capFindings, sortFindings } from './finding-cap';
import { parseDocuments } from './parse';
import { declaredKind, recognize, recognizeByScan } from './recognize';
import { checkAddresses } from './rules/addresses';
import { checkCharts } from './rules/charts';
import { checkFiles } from './rules/files';
import { checkGatewayInstall } from './rules/gateway-install';
import { checkLoadBalancer } from './rules/load-balancer';
import { checkTopologyFields } from './rules/topology-fields';
import { checkIpPool } from './rules/ip-pool';
import { checkNames } from './rules/names';
import { checkCidrs } from './rules/network';
import { checkProxy } from './rules/proxy';
import { checkRoles } from './rules/roles';
import { checkSecrets } from './rules/secrets';
import { checkSsh } from './rules/ssh';
import { checkStorage } from './rules/storage';
import { checkTopology } from './rules/topology';
import { checkStructure } from './structural';
import type {
  ClusterModel,
  Finding,
  Range,
  SpecDocumentInfo,
  SpecPath,
  ValidateOptions,
  ValidationResult,
} from './types';

/** A cluster spec is a few kilobytes; past this size the file is not parsed (memory and time stay bounded). */
export const MAX_SPEC_CHARS = 1024 * 1024;
/** Aliases expanded per document before it counts as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

export interface InternalValidateOptions extends ValidateOptions {
  /** The CLI's rule: only `kind: GatewayCluster` documents count, and a file without one is GC002. */
  requireKind?: boolean;
}

const RULE_FAMILIES: Array<[string, (ctx: RuleContext) => void]> = [
  ['names', checkNames],
  ['addresses', checkAddresses],
  ['topology', checkTopology],
  ['roles', checkRoles],
  ['IP pool', checkIpPool],
  ['storage', checkStorage],
  ['secrets', checkSecrets],
  ['proxy', checkProxy],
  ['CIDRs', checkCidrs],
  ['charts', checkCharts],
  ['SSH settings', checkSsh],
  ['files', checkFiles],
  ['topology fields', checkTopologyFields],
  ['load balancer', checkLoadBalancer],
  ['gateway install', checkGatewayInstall],
];

function finding(code: Code, range: Range, message: string): Finding {
  return { code, severity: severityOf(code), message, range };
}

const ORIGIN: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function describeError(error: unknown): string {
  return error instanceof Error
    ? (error.message.split('\n')[0]?.slice(0, 200) ?? error.name)
    : 'unknown error';
}

export function validateText(
  text: string,
  fileName: string,
  options: InternalValidateOptions = {},
): ValidationResult {
  try {
    return analyze(typeof text === 'string' ? text : '', fileName, options);
  } catch (error) {
    return {
      isSpec: true,
      documents: [],
      findings: [
        finding(
          'GC001',
          ORIGIN,
          `The file could not be checked (${describeError(error)}); simplify the YAML around the last change.`,
        ),
      ],
    };
  }
}

export function isSpecFile(fileName: string, text: string): boolean {
  try {
    if (text.length > MAX_SPEC_CHARS) return recognizeByScan(text, fileName);
    const docs = parseDocuments(text);
    return recognize(docs.map(declaredKind), fileName, false).isSpec;
  } catch {
    return false;
  }
}

function analyze(text: string, fileName: string, options: InternalValidateOptions): ValidationResult {
  if (text.length > MAX_SPEC_CHARS) return tooLarge(text, fileName, options);
  const docs = parseDocuments(text);
  const positions = new PositionMapper(text);
  const { isSpec, selected } = recognize(docs.map(declaredKind), fileName, options.requireKind === true);
  if (!isSpec && !options.requireKind) return { isSpec, documents: [], findings: [] };

  // Syntax errors belong to the file: every document's are reported.
  const perDocument: Finding[][] = docs.map((doc) =>
    doc.errors.map((error) =>
      finding(
        'GC001',
        positions.range(error.pos[0], error.pos[1]),
        `YAML syntax error: ${error.message.split('\n')[0] ?? error.code}; correct the YAML here.`,
      ),
    ),
  );
  const documents: SpecDocumentInfo[] = [];
  if (isSpec) {
    for (const index of selected) {
      const doc = docs[index] as Document.Parsed;
      const specDocument = new SpecDocument(doc, positions);
      const info = new DocumentInfo(index, specDocument);
      documents.push(info);
      if (doc.errors.length > 0) continue;
      checkDocument(specDocument, fileName, options, info, perDocument[index] as Finding[]);
    }
  }
  const findings: Finding[] = [];
  docs.forEach((doc, index) => {
    // The start is computed only when a document has too many findings: positions need a line index.
    const start = (): Range => positions.range(doc.range[0], doc.range[0]);
    for (const found of capFindings(perDocument[index] as Finding[], start)) findings.push(found);
  });
  if (!isSpec) {
    const start = docs[0] ? positions.range(docs[0].range[0], docs[0].range[0]) : ORIGIN;
    findings.push(
      finding(
        'GC002',
        start,
        `The file holds no "kind: GatewayCluster" document; add "apiVersion: gateway-cluster/v1" and "kind: GatewayCluster" or validate the right file.`,
      ),
    );
  }
  return { isSpec, documents, findings: sortFindings(findings) };
}

/**
 * One cluster document of a result. A class, not an object literal with a getter: V8 built such a literal
 * about 0.1 ms slower per call (a third of the parse of a 3-node spec, measured with bench/validate).
 */
class DocumentInfo implements SpecDocumentInfo {
  model: ClusterModel | undefined = undefined;
  private cachedRange: Range | undefined;

  constructor(
    readonly index: number,
    private readonly specDocument: SpecDocument,
  ) {}

  /** Computed when asked: positions need a line index of the whole text. */
  get range(): Range {
    return (this.cachedRange ??= this.specDocument.documentRange());
  }

  rangeOf(path: SpecPath, part?: 'key' | 'value' | 'node'): Range | undefined {
    return this.specDocument.rangeOf(path, part);
  }
}

function checkDocument(
  specDocument: SpecDocument,
  fileName: string,
  options: ValidateOptions,
  info: SpecDocumentInfo,
  findings: Finding[],
): void {
  const doc = specDocument.doc;
  const root = doc.contents;
  // An empty document (a new file) is not a cluster yet: nothing to report.
  if (root === null || (isScalar(root) && root.value === null)) return;
  if (!isMap(root)) {
    findings.push(
      finding(
        'GC011',
        specDocument.nearestRange([], 'value'),
        'A cluster spec must be a mapping of keys (apiVersion, kind, metadata, spec), not a list or a single value; start from the example.',
      ),
    );
    return;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    findings.push(
      finding(
        'GC001',
        specDocument.startRange(),
        `The document could not be read (${describeError(error)}); use fewer aliases or anchors.`,
      ),
    );
    return;
  }
  const ctx = new RuleContext(specDocument, data, { ...options, fileName });
  try {
    checkStructure(ctx);
  } catch (error) {
    findings.push(
      finding(
        'GC001',
        specDocument.startRange(),
        `The structure check failed (${describeError(error)}); please report this.`,
      ),
    );
  }
  try {
    ctx.model = buildModel(data);
    info.model = ctx.model;
  } catch {
    ctx.model = undefined;
  }
  for (const [family, rule] of RULE_FAMILIES) {
    try {
      rule(ctx);
    } catch (error) {
      findings.push(
        finding(
          'GC001',
          specDocument.startRange(),
          `The ${family} check failed (${describeError(error)}); please report this.`,
        ),
      );
    }
  }
  for (const found of ctx.findings) findings.push(found);
}

function tooLarge(text: string, fileName: string, options: InternalValidateOptions): ValidationResult {
  const isSpec = recognizeByScan(text, fileName);
  if (!isSpec && !options.requireKind) return { isSpec, documents: [], findings: [] };
  const firstLineEnd = Math.min(text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'), 200);
  const megabytes = (text.length / (1024 * 1024)).toFixed(1);
  const range: Range = {
    start: { line: 0, character: 0 },
    end: { line: 0, character: Math.max(0, firstLineEnd) },
  };
  return {
    isSpec,
    documents: [],
    findings: [
      finding(
        'GC001',
        range,
        `The file is ${megabytes} MiB, above the 1 MiB a cluster spec may have, so it was not parsed; split it or remove what does not belong.`,
      ),
    ],
  };
}
