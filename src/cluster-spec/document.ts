// A parsed YAML document with source ranges: finds the node behind any spec path, for findings and fixes.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { Position, Range, SpecPath } from './types';

type Offsets = readonly [number, number];

/** Mappings up to this many items are searched directly; larger ones through a key index. */
const INDEXED_MAP_SIZE = 16;

/**
 * Converts offsets to 0-based LSP positions, clamped to the text so a range never leaves the document. The
 * line starts come from the text itself: yaml's LineCounter only sees the newlines the lexer reports, and
 * misses some inside tokens it recovers from after an error.
 */
export class PositionMapper {
  /** Built on the first position asked for: a valid spec reports none. */
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.text.length));
    const lineStarts = (this.lineStarts ??= this.indexLines());
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] as number) <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - (lineStarts[low] as number) };
  }

  private indexLines(): number[] {
    const starts = [0];
    for (let at = this.text.indexOf('\n'); at !== -1; at = this.text.indexOf('\n', at + 1))
      starts.push(at + 1);
    return starts;
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }
}

interface Located {
  pair?: Pair;
  node?: Node;
}

function scalarKey(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) {
    const value = key.value;
    if (typeof value === 'symbol') return '<<';
    return value === null ? '' : String(value);
  }
  return undefined;
}

/** The YAML node at `path`, with the pair that holds it when its parent is a mapping. */
export class SpecDocument {
  constructor(
    readonly doc: Document.Parsed,
    readonly positions: PositionMapper,
  ) {}

  get root(): Node | undefined {
    return (this.doc.contents as Node | null) ?? undefined;
  }

  private resolve(node: unknown, budget: { left: number }): Node | undefined {
    let current = node;
    // Alias chains are followed a bounded number of times: anchors may form cycles in broken input.
    while (isAlias(current) && budget.left-- > 0) current = current.resolve(this.doc);
    return isAlias(current) ? undefined : (current as Node | undefined);
  }

  /**
   * The first pair of each key of a large mapping, built on its first lookup: without it, reporting every key
   * of a mapping with thousands of unknown keys scanned the mapping once per key (quadratic).
   */
  private readonly keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    if (map.items.length <= INDEXED_MAP_SIZE) {
      for (const item of map.items) if (isPair(item) && scalarKey(item) === key) return item;
      return undefined;
    }
    let index = this.keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        const name = isPair(item) ? scalarKey(item) : undefined;
        if (name !== undefined && !index.has(name)) index.set(name, item as Pair);
      }
      this.keyIndex.set(map, index);
    }
    return index.get(key);
  }

  private childOf(parent: Node, segment: string | number, budget: { left: number }): Located | undefined {
    if (isMap(parent)) {
      const key = String(segment);
      const pair = key === '<<' ? undefined : this.pairOf(parent, key);
      if (pair) return { pair, node: (pair.value as Node | null) ?? undefined };
      // Merge keys (`<<: *base`): the value comes from the merged mapping(s).
      const merges = this.pairOf(parent, '<<')
        ? parent.items.filter((item): item is Pair => isPair(item) && scalarKey(item) === '<<')
        : [];
      for (const merge of merges) {
        const source = this.resolve(merge.value, budget);
        const sources = isSeq(source) ? source.items.map((item) => this.resolve(item, budget)) : [source];
        for (const candidate of sources) {
          if (candidate && isMap(candidate) && budget.left-- > 0) {
            const found = this.childOf(candidate, segment, budget);
            if (found) return found;
          }
        }
      }
      return undefined;
    }
    if (isSeq(parent) && typeof segment === 'number') {
      const item = parent.items[segment];
      return item === undefined ? undefined : { node: (item as Node | null) ?? undefined };
    }
    return undefined;
  }

  /** Locates `path`; returns undefined when any segment is missing. */
  locate(path: SpecPath): Located | undefined {
    const budget = { left: 1000 };
    let located: Located = { node: this.root };
    for (const segment of path) {
      const parent = this.resolve(located.node, budget);
      if (!parent) return undefined;
      const next = this.childOf(parent, segment, budget);
      if (!next) return undefined;
      located = next;
    }
    return located;
  }

  /** The text of the scalar at `path` as written (e.g. `1.0` where the value is the number 1). */
  scalarSource(path: SpecPath): string | undefined {
    const node = this.locate(path)?.node;
    const source = isScalar(node) ? (node as { source?: unknown }).source : undefined;
    return typeof source === 'string' && source.length <= 60 ? source : undefined;
  }

  /** Source range of `path`: its key, its value, or the whole pair ('node'). */
  rangeOf(path: SpecPath, part: 'key' | 'value' | 'node' = 'node'): Range | undefined {
    const offsets = this.offsetsOf(path, part);
    return offsets && this.positions.range(offsets[0], offsets[1]);
  }

  offsetsOf(path: SpecPath, part: 'key' | 'value' | 'node'): Offsets | undefined {
    const located = this.locate(path);
    if (!located) return undefined;
    const keyRange = (located.pair?.key as Node | null | undefined)?.range;
    const valueRange = located.node?.range;
    if (part === 'key') {
      if (keyRange) return [keyRange[0], keyRange[1]];
      // A list item or the root has no key: its value stands in for it.
      return valueRange ? [valueRange[0], valueRange[1]] : undefined;
    }
    if (part === 'value') {
      if (valueRange && valueRange[1] > valueRange[0]) return [valueRange[0], valueRange[1]];
      // An empty value (`key:`) has no extent; the key shows where it is.
      if (keyRange) return [keyRange[0], keyRange[1]];
      return valueRange ? [valueRange[0], valueRange[1]] : undefined;
    }
    const start = keyRange?.[0] ?? valueRange?.[0];
    const end = valueRange?.[1] ?? keyRange?.[1];
    return start === undefined || end === undefined ? undefined : [start, Math.max(start, end)];
  }

  /**
   * Where a missing field is reported: the key of the mapping that lacks it, or, for a list item or the root
   * mapping, its first key (the whole item when it has none).
   */
  missingFieldOffsets(mappingPath: SpecPath): Offsets | undefined {
    const last = mappingPath[mappingPath.length - 1];
    if (mappingPath.length > 0 && typeof last === 'string') return this.offsetsOf(mappingPath, 'key');
    const located = this.locate(mappingPath);
    const node = this.resolve(located?.node, { left: 100 });
    if (node && isMap(node)) {
      const first = node.items.find(isPair);
      const range = (first?.key as Node | null | undefined)?.range;
      if (range) return [range[0], range[1]];
    }
    return this.offsetsOf(mappingPath, 'value');
  }

  /** The nearest range for `path`: climbs to the closest ancestor that exists, then the document start. */
  nearestRange(path: SpecPath, part: 'key' | 'value' | 'node'): Range {
    for (let length = path.length; length >= 0; length--) {
      const offsets = this.offsetsOf(path.slice(0, length), length === path.length ? part : 'key');
      if (offsets) return this.positions.range(offsets[0], offsets[1]);
    }
    return this.startRange();
  }

  /** The document's first line (or its start) — the place for findings about the document as a whole. */
  startRange(): Range {
    const start = this.root?.range?.[0] ?? this.doc.range[0];
    return this.positions.range(start, start);
  }

  documentRange(): Range {
    return this.positions.range(this.doc.range[0], this.doc.range[2]);
  }
}
