// The cluster contexts of a workspace, kept in step with the spec files' validation results: a context is
// created when a document becomes a cluster, updated in place when its spec changes, and replaced when its
// identity changes (another metadata.name is another cluster, with its own secrets).
import type { Finding, ValidationResult } from '../cluster-spec/types';
import { ClusterContext, type ClusterEnvironment } from './context';
import { clusterIdentity } from './identity';
import { Emitter } from './live/emitter';

/** One spec file's latest validation. */
export interface SpecFileResult {
  /** The file's URI as the host names it (the editor's Uri string; the CLI's path). */
  uri: string;
  /** The file's path on disk. */
  specPath: string;
  result: ValidationResult;
}

export interface RegistryChange {
  /** Keys of contexts that appeared, changed their spec, or went away. */
  added: string[];
  changed: string[];
  removed: string[];
}

export function clusterKey(uri: string, documentIndex: number): string {
  return `${uri}#${documentIndex}`;
}

/** The findings that lie inside one document of a multi-document file. */
export function findingsOfDocument(result: ValidationResult, index: number): Finding[] {
  const doc = result.documents.find((d) => d.index === index);
  if (!doc || result.documents.length === 1) return result.findings;
  const { start, end } = doc.range;
  return result.findings.filter((f) => f.range.start.line >= start.line && f.range.start.line <= end.line);
}

export class ClusterRegistry {
  private readonly contexts = new Map<string, ClusterContext>();
  private readonly changes = new Emitter<RegistryChange>();
  readonly onDidChange = this.changes.event;

  constructor(private readonly env: ClusterEnvironment) {}

  get(key: string): ClusterContext | undefined {
    return this.contexts.get(key);
  }

  /** Every cluster, in file and document order. */
  all(): ClusterContext[] {
    return [...this.contexts.entries()]
      .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
      .map(([, context]) => context);
  }

  keyOf(context: ClusterContext): string | undefined {
    for (const [key, c] of this.contexts) if (c === context) return key;
    return undefined;
  }

  /** The contexts of one spec file. */
  ofFile(uri: string): ClusterContext[] {
    return this.all().filter((c) => this.keyOf(c)?.startsWith(`${uri}#`));
  }

  /** Applies a file's new validation: its clusters appear, change or go. */
  update(file: SpecFileResult): void {
    const change: RegistryChange = { added: [], changed: [], removed: [] };
    const seen = new Set<string>();
    if (file.result.isSpec) {
      for (const doc of file.result.documents) {
        if (!doc.model) continue;
        const key = clusterKey(file.uri, doc.index);
        seen.add(key);
        const spec = {
          specPath: file.specPath,
          documentIndex: doc.index,
          model: doc.model,
          findings: findingsOfDocument(file.result, doc.index),
        };
        const existing = this.contexts.get(key);
        if (existing && existing.identity.id === clusterIdentity(file.specPath, doc.model.name).id) {
          existing.update(spec);
          change.changed.push(key);
          continue;
        }
        if (existing) {
          void existing.dispose();
          change.removed.push(key);
        }
        this.contexts.set(key, new ClusterContext(spec, this.env));
        change.added.push(key);
      }
    }
    for (const key of [...this.contexts.keys()]) {
      if (key.startsWith(`${file.uri}#`) && !seen.has(key)) this.drop(key, change);
    }
    this.fire(change);
  }

  /** The file is gone: its clusters go with it. */
  remove(uri: string): void {
    const change: RegistryChange = { added: [], changed: [], removed: [] };
    for (const key of [...this.contexts.keys()]) if (key.startsWith(`${uri}#`)) this.drop(key, change);
    this.fire(change);
  }

  private drop(key: string, change: RegistryChange): void {
    void this.contexts.get(key)?.dispose();
    this.contexts.delete(key);
    change.removed.push(key);
  }

  private fire(change: RegistryChange): void {
    if (change.added.length + change.changed.length + change.removed.length > 0) this.changes.fire(change);
  }

  async dispose(): Promise<void> {
    const all = [...this.contexts.values()];
    this.contexts.clear();
    this.changes.dispose();
    await Promise.all(all.map((c) => c.dispose()));
  }
}
