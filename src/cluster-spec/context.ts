// What a rule sees: the document's data, the paths whose values already failed their own check, and
// helpers that report findings with the contract's ranges.
import { quote, severityOf, type Code } from './codes';
import type { SpecDocument } from './document';
import { parseCidrOrRange, parseCidr, parseIPv4, type Interval } from './net';
import { nextFreeAddress, nextFreeHost, nextFreeHostname } from './suggest';
import type { ClusterModel, FixHint, Finding, Range, SpecPath, ValidateOptions } from './types';

export interface ReportExtras {
  fix?: FixHint;
  related?: Array<{ message: string; range: Range }>;
}

function pathKey(path: SpecPath): string {
  return path.join('\u0000');
}

/** Paths that failed, as a trie: a lookup walks the path once, with no key strings built per call. */
interface FailedTrie {
  failed: boolean;
  children: Map<string | number, FailedTrie> | undefined;
}

export class RuleContext {
  readonly findings: Finding[] = [];
  /** The model with defaults applied, for fix suggestions (next free address, hostname). */
  model: ClusterModel | undefined;
  private readonly failed: FailedTrie = { failed: false, children: undefined };
  private readonly parsed = new Map<string, number | Interval | undefined>();
  private suggestions: { address?: string; hostname?: string; host?: string; done: boolean } = {
    done: false,
  };

  constructor(
    readonly document: SpecDocument,
    readonly data: unknown,
    readonly options: ValidateOptions & { fileName: string },
  ) {}

  /** Marks the value at `path` as failing its own check, so dependent checks leave it alone. */
  markFailed(path: SpecPath): void {
    let node = this.failed;
    for (const segment of path) {
      node.children ??= new Map();
      let child = node.children.get(segment);
      if (!child) {
        child = { failed: false, children: undefined };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.failed = true;
  }

  hasFailed(path: SpecPath): boolean {
    let node: FailedTrie | undefined = this.failed;
    for (let i = 0; node && !node.failed && i < path.length; i++)
      node = node.children?.get(path[i] as string);
    return node?.failed === true;
  }

  /** The value at `path`, or undefined when it is absent or it (or a parent) failed its own check. */
  value(path: SpecPath): unknown {
    let current: unknown = this.data;
    let failed: FailedTrie | undefined = this.failed;
    if (failed.failed) return undefined;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] as string | number;
      if (current === null || typeof current !== 'object') return undefined;
      if (Array.isArray(current)) {
        if (typeof segment !== 'number') return undefined;
        current = current[segment];
      } else {
        if (typeof segment !== 'string' || !Object.hasOwn(current, segment)) return undefined;
        current = (current as Record<string, unknown>)[segment];
      }
      failed = failed?.children?.get(segment);
      if (failed?.failed) return undefined;
    }
    return current;
  }

  /**
   * The next free address and hostname for fix suggestions, computed once per document: each is linear in the
   * number of nodes, and a spec may carry a duplicate on every node.
   */
  freeValues(): { address?: string; hostname?: string; host?: string } {
    if (!this.suggestions.done) {
      const model = this.model;
      this.suggestions = {
        done: true,
        address: model ? nextFreeAddress(model) : undefined,
        hostname: model ? nextFreeHostname(model) : undefined,
        host: model ? nextFreeHost(model) : undefined,
      };
    }
    return this.suggestions;
  }

  string(path: SpecPath): string | undefined {
    const value = this.value(path);
    return typeof value === 'string' ? value : undefined;
  }

  number(path: SpecPath): number | undefined {
    const value = this.value(path);
    return typeof value === 'number' ? value : undefined;
  }

  list(path: SpecPath): unknown[] | undefined {
    const value = this.value(path);
    return Array.isArray(value) ? value : undefined;
  }

  has(path: SpecPath): boolean {
    const parent = this.value(path.slice(0, -1));
    const last = path[path.length - 1];
    return typeof parent === 'object' && parent !== null && last !== undefined && Object.hasOwn(parent, last);
  }

  report(
    code: Code,
    path: SpecPath,
    part: 'key' | 'value',
    message: string,
    extras: ReportExtras = {},
  ): void {
    this.push(code, this.document.nearestRange(path, part), message, path, extras);
  }

  reportMissing(code: Code, mappingPath: SpecPath, message: string, extras: ReportExtras = {}): void {
    const offsets = this.document.missingFieldOffsets(mappingPath);
    const range = offsets
      ? this.document.positions.range(offsets[0], offsets[1])
      : this.document.nearestRange(mappingPath, 'key');
    this.push(code, range, message, mappingPath, extras);
  }

  push(
    code: Code,
    range: Range,
    message: string,
    path: SpecPath | undefined,
    extras: ReportExtras = {},
  ): void {
    const finding: Finding = { code, severity: severityOf(code), message, range };
    if (path) finding.path = [...path];
    if (extras.related) finding.related = extras.related;
    if (extras.fix) finding.fix = extras.fix;
    this.findings.push(finding);
  }

  rangeOf(path: SpecPath, part: 'key' | 'value'): Range {
    return this.document.nearestRange(path, part);
  }

  /** An IPv4 address at `path`; reports GC102 (once) when it is not one. */
  ipv4(path: SpecPath, what: string): number | undefined {
    return this.memo(path, () => {
      const text = this.string(path);
      if (text === undefined) return undefined;
      const address = parseIPv4(text);
      if (address === undefined)
        this.fail(
          'GC102',
          path,
          `${what} ${quote(text)} is not a valid IPv4 address; write it as four decimal numbers 0-255, such as "172.25.252.11".`,
        );
      return address;
    }) as number | undefined;
  }

  /** An IPv4 CIDR at `path`; reports GC108 (once) when it is malformed. */
  cidr(path: SpecPath, what: string): Interval | undefined {
    return this.memo(path, () => {
      const text = this.string(path);
      if (text === undefined) return undefined;
      const interval = parseCidr(text);
      if (!interval)
        this.fail(
          'GC108',
          path,
          `${what} ${quote(text)} is not a valid IPv4 CIDR; write it as address/prefix, such as "172.25.252.0/24".`,
        );
      return interval;
    }) as Interval | undefined;
  }

  /** An IPv4 CIDR or `a-b` range at `path`; reports GC108 (once) when it is malformed. */
  cidrOrRange(path: SpecPath, what: string): Interval | undefined {
    return this.memo(path, () => {
      const text = this.string(path);
      if (text === undefined) return undefined;
      const interval = parseCidrOrRange(text);
      if (!interval)
        this.fail(
          'GC108',
          path,
          `${what} ${quote(text)} is neither an IPv4 CIDR nor a range; write "172.25.252.0/28" or "172.25.252.100-172.25.252.200" (first address not above the last).`,
        );
      return interval;
    }) as Interval | undefined;
  }

  /** Reports a value that fails its own check and keeps it out of dependent checks. */
  fail(code: Code, path: SpecPath, message: string, extras?: ReportExtras): void {
    this.report(code, path, 'value', message, extras);
    this.markFailed(path);
  }

  private memo(path: SpecPath, compute: () => number | Interval | undefined): number | Interval | undefined {
    const key = pathKey(path);
    if (this.parsed.has(key)) return this.parsed.get(key);
    const value = compute();
    this.parsed.set(key, value);
    return value;
  }
}
