// A fast parser for the YAML subset cluster specs use: block mappings and sequences, compact `- key: value`
// items, single-line plain and quoted scalars, comments, blank lines and `---`. It builds real `yaml` nodes
// with the ranges, types and values `parseAllDocuments(text, { merge: true, uniqueKeys: true })` gives, so
// everything downstream works unchanged; for anything else it returns undefined and the caller uses `yaml`.
// A differential unit test holds the two equal (test/unit/cluster-spec/fast-parse.test.ts).
//
// The ranges' third offsets follow how yaml's parser attaches comment lines: a comment line indented deeper
// than the collection holding a scalar extends that scalar; other trailing comment and blank lines stay with
// the innermost collection whose indent they reach, or move outwards, up to the document's end.
// Comments are not attached to nodes (commentBefore, comment, spaceBefore): nothing downstream reads them.
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isScalar, type Node } from 'yaml';

const OPTIONS = { merge: true, prettyErrors: false, uniqueKeys: true } as const;

/** Characters that send the whole text to `yaml`: tabs, CR, controls, BOM, NEL, line separators, surrogates. */
// eslint-disable-next-line no-control-regex
const UNSUPPORTED_CHARS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff]/;

const BLANK = 0;
const COMMENT = 1;
const CONTENT = 2;
const DOC_START = 3;

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const SQUOTE = 39;
const DQUOTE = 34;

/** Plain scalars that start with none of these are strings in the core schema (checked by the unit test). */
const MAYBE_NOT_STRING = new Set('-+.0123456789~nNtTfF<'.split('').map((c) => c.charCodeAt(0)));
/** Indicators a plain scalar may not start with (`-` is handled apart: it may start `-1`). */
const NOT_PLAIN_START = new Set('?:,[]{}#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));

/** Thrown on anything outside the subset; the text then goes to yaml. */
class Unsupported extends Error {}

interface Trailing {
  /** Deepest indent of a comment line among the trailing lines, -1 when there is none. */
  maxCommentIndent: number;
  /** Offset where the trailing lines (and the next line's indentation) end. */
  end: number;
}

type ScalarTagLike = {
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  resolve: (value: string, onError: (message: string) => void, options: unknown) => unknown;
};

class FastParser {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  private readonly kinds: number[] = [];
  private count = 0;
  /** Trailing lines after the last scalar, not yet claimed by a collection (yaml's start-only item). */
  private pending: Trailing | null = null;
  private doc!: Document.Parsed;
  private tags: ScalarTagLike[] = [];
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): Document.Parsed[] {
    this.indexLines();
    const docs: Document.Parsed[] = [];
    let line = this.nextContent(0);
    while (line < this.count) {
      let docOffset: number;
      let docStart = false;
      if (this.kinds[line] === DOC_START) {
        docOffset = this.starts[line] as number;
        docStart = true;
        this.checkMarkerLine(line);
        line = this.nextContent(line + 1);
        // An empty document: its empty scalar's position is left to yaml.
        if (line >= this.count || this.kinds[line] === DOC_START) throw new Unsupported();
      } else docOffset = this.starts[line] as number;
      if (this.indents[line] !== 0) throw new Unsupported();
      const doc = new Document(undefined, OPTIONS) as unknown as Document.Parsed;
      if (docStart) doc.directives.docStart = true;
      this.doc = doc;
      this.tags = doc.schema.tags as unknown as ScalarTagLike[];
      this.pending = null;
      const root = this.parseNodeAt(line, 0);
      line = root.next;
      if (line < this.count && this.kinds[line] !== DOC_START) throw new Unsupported();
      const contentEnd = (root.node.range as [number, number, number])[2];
      const pending = this.pending as Trailing | null; // set by the parse above
      const end = pending ? pending.end : contentEnd;
      this.pending = null;
      doc.contents = root.node as Document.Parsed['contents'];
      doc.range = [docOffset, contentEnd, end];
      docs.push(doc);
    }
    return docs;
  }

  private indexLines(): void {
    const text = this.text;
    let start = 0;
    for (;;) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      let at = start;
      while (at < end && text.charCodeAt(at) === SPACE) at++;
      let kind: number;
      if (at === end) kind = BLANK;
      else {
        const c = text.charCodeAt(at);
        if (c === HASH) kind = COMMENT;
        else if (
          at === start &&
          (c === DASH || c === 46) &&
          text.startsWith(c === DASH ? '---' : '...', at)
        ) {
          const after = text.charCodeAt(at + 3);
          // `---x` is a scalar and `...` ends a document: both are left to yaml.
          if (c !== DASH || !(at + 3 === end || after === SPACE)) throw new Unsupported();
          kind = DOC_START;
        } else if (at === start && c === 37 /* % */) throw new Unsupported();
        else kind = CONTENT;
      }
      this.starts.push(start);
      this.ends.push(end);
      this.indents.push(at - start);
      this.kinds.push(kind);
      this.count++;
      if (end >= text.length) break;
      start = end + 1;
    }
  }

  /** `---` may be followed only by spaces and a comment. */
  private checkMarkerLine(line: number): void {
    const start = (this.starts[line] as number) + 3;
    const rest = this.restOfLine(line, start);
    if (rest !== (this.ends[line] as number)) throw new Unsupported();
  }

  private nextContent(line: number): number {
    while (line < this.count && (this.kinds[line] as number) <= COMMENT) line++;
    return line;
  }

  /** Offset just past the line's newline (or the text's end on the last line). */
  private afterLine(line: number): number {
    const end = this.ends[line] as number;
    return end < this.text.length ? end + 1 : end;
  }

  /** Where the token that ends a run of trailing lines starts: the next line's content, a `---`, or EOF. */
  private tokenStart(line: number): number {
    if (line >= this.count) return this.text.length;
    return (
      (this.starts[line] as number) + (this.kinds[line] === DOC_START ? 0 : (this.indents[line] as number))
    );
  }

  /**
   * Skips spaces from `at`; then only a comment (after a space) or the line's end may follow. Returns the
   * offset of the line's end; throws on anything else.
   */
  private restOfLine(line: number, at: number): number {
    const text = this.text;
    const end = this.ends[line] as number;
    const from = at;
    while (at < end && text.charCodeAt(at) === SPACE) at++;
    if (at === end) return end;
    if (text.charCodeAt(at) === HASH && at > from) return end;
    if (text.charCodeAt(at) === HASH && at === from && text.charCodeAt(at - 1) === SPACE) return end;
    throw new Unsupported();
  }

  private isSeqIndicator(at: number, lineEnd: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    return at + 1 === lineEnd || this.text.charCodeAt(at + 1) === SPACE;
  }

  /** The offset of a key's `:` on the line from `at`, or -1 when the text there is not an implicit key. */
  private keyColon(at: number, lineEnd: number): number {
    const text = this.text;
    for (let i = at; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) {
        if (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE) return i;
      } else if (c === HASH && i > at && text.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  /** A block collection starting at line `line`, column `col` (a compact item may start mid-line). */
  private parseNodeAt(line: number, col: number): { node: Node; next: number } {
    if (++this.depth > 200) throw new Unsupported();
    const at = (this.starts[line] as number) + col;
    const end = this.ends[line] as number;
    let result: { node: Node; next: number };
    if (this.isSeqIndicator(at, end)) result = this.parseSeq(line, col);
    else if (this.keyColon(at, end) !== -1) result = this.parseMap(line, col);
    else throw new Unsupported(); // a scalar on its own line (or a multi-line one)
    this.depth--;
    return result;
  }

  private parseMap(firstLine: number, indent: number): { node: Node; next: number } {
    const text = this.text;
    const map = new YAMLMap(this.doc.schema);
    const keys = new Set<string>();
    let line = firstLine;
    let last: Node | undefined;
    let next: number;
    for (;;) {
      const lineStart = this.starts[line] as number;
      const lineEnd = this.ends[line] as number;
      const keyStart = lineStart + indent;
      const colon = this.keyColon(keyStart, lineEnd);
      if (colon === -1) throw new Unsupported();
      let keyEnd = colon;
      while (keyEnd > keyStart && text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
      if (colon - keyStart > 1000) throw new Unsupported();
      const first = text.charCodeAt(keyStart);
      if (first === SQUOTE || first === DQUOTE || NOT_PLAIN_START.has(first)) throw new Unsupported();
      if (first === DASH && keyEnd === keyStart + 1) throw new Unsupported();
      const keySource = text.slice(keyStart, keyEnd);
      const key = this.plainScalar(keySource, keyStart, keyEnd, keyEnd, true);
      if (typeof key.value !== 'string' || keys.has(key.value)) throw new Unsupported();
      keys.add(key.value);
      this.pending = null; // trailing lines before this key are its own
      let value: Node;
      let after = colon + 1;
      while (after < lineEnd && text.charCodeAt(after) === SPACE) after++;
      if (after === lineEnd || text.charCodeAt(after) === HASH) {
        if (text.charCodeAt(after) === HASH && after === colon + 1) throw new Unsupported();
        const following = this.nextContent(line + 1);
        const kind = following < this.count ? this.kinds[following] : -1;
        const followingIndent = this.indents[following] ?? -1;
        const followingAt = (this.starts[following] ?? 0) + followingIndent;
        if (
          kind === CONTENT &&
          (followingIndent > indent ||
            (followingIndent === indent && this.isSeqIndicator(followingAt, this.ends[following] as number)))
        ) {
          const nested = this.parseNodeAt(following, followingIndent);
          value = nested.node;
          next = nested.next;
        } else {
          // A `---` at column 0 counts as the next key of a mapping at column 0 (yaml splits its lines too).
          const atNextKey =
            (kind === CONTENT && followingIndent === indent) || (kind === DOC_START && indent === 0);
          value = this.emptyScalar(line, colon, after, following, indent, atNextKey);
          this.pending = null;
          next = following;
        }
      } else {
        const scalar = this.inlineScalar(line, after, indent);
        value = scalar.node;
        next = scalar.next;
      }
      map.items.push(new Pair(key, value));
      last = value;
      if (next >= this.count || this.kinds[next] === DOC_START) break;
      const nextIndent = this.indents[next] as number;
      if (nextIndent < indent) break;
      if (nextIndent > indent) throw new Unsupported();
      if (this.isSeqIndicator((this.starts[next] as number) + indent, this.ends[next] as number))
        throw new Unsupported();
      line = next;
    }
    map.range = this.collectionRange(firstLine, indent, last);
    return { node: map, next };
  }

  private parseSeq(firstLine: number, indent: number): { node: Node; next: number } {
    const text = this.text;
    const seq = new YAMLSeq(this.doc.schema);
    let line = firstLine;
    let last: Node | undefined;
    let next: number;
    for (;;) {
      const lineStart = this.starts[line] as number;
      const lineEnd = this.ends[line] as number;
      const dash = lineStart + indent;
      // Trailing lines before a later `-` are that item's start: a comment there counts for an empty item.
      const leading = this.pending as Trailing | null;
      const leadingComment = line !== firstLine && leading !== null && leading.maxCommentIndent >= 0;
      this.pending = null;
      let after = dash + 1;
      while (after < lineEnd && text.charCodeAt(after) === SPACE) after++;
      let value: Node;
      if (after === lineEnd || text.charCodeAt(after) === HASH) {
        if (text.charCodeAt(after) === HASH && after === dash + 1) throw new Unsupported();
        const following = this.nextContent(line + 1);
        if (
          following < this.count &&
          this.kinds[following] === CONTENT &&
          (this.indents[following] as number) > indent
        ) {
          const nested = this.parseNodeAt(following, this.indents[following] as number);
          value = nested.node;
          next = nested.next;
        } else {
          value = this.emptyScalar(line, dash, after, following, indent, false, leadingComment);
          this.pending = null;
          next = following;
        }
      } else if (
        text.charCodeAt(after) !== 91 &&
        text.charCodeAt(after) !== 123 &&
        (this.isSeqIndicator(after, lineEnd) || this.keyColon(after, lineEnd) !== -1)
      ) {
        const c = text.charCodeAt(after);
        if (c === SQUOTE || c === DQUOTE || NOT_PLAIN_START.has(c)) throw new Unsupported();
        const nested = this.parseNodeAt(line, after - lineStart);
        value = nested.node;
        next = nested.next;
      } else {
        const scalar = this.inlineScalar(line, after, indent);
        value = scalar.node;
        next = scalar.next;
      }
      seq.items.push(value);
      last = value;
      if (next >= this.count || this.kinds[next] === DOC_START) break;
      const nextIndent = this.indents[next] as number;
      if (nextIndent < indent) break;
      if (nextIndent > indent) throw new Unsupported();
      // A line at this indent that is not an item ends a sequence that is a mapping's value.
      if (!this.isSeqIndicator((this.starts[next] as number) + indent, this.ends[next] as number)) break;
      line = next;
    }
    seq.range = this.collectionRange(firstLine, indent, last);
    return { node: seq, next };
  }

  /** A block collection's range: from its first item's indent to its last item's end, plus trailing lines. */
  private collectionRange(firstLine: number, indent: number, last: Node): [number, number, number] {
    const valueEnd = (last.range as [number, number, number])[2];
    return [(this.starts[firstLine] as number) + indent, valueEnd, this.closeCollection(indent, valueEnd)];
  }

  /**
   * yaml keeps trailing lines in a closing collection (extending its range) when one of their comments
   * reaches its indent; otherwise they move to the parent, and from the root to the document's end.
   */
  private closeCollection(indent: number, valueEnd: number): number {
    const pending = this.pending;
    if (pending && indent > 0 && pending.maxCommentIndent >= indent) {
      this.pending = null;
      return pending.end;
    }
    return valueEnd;
  }

  /**
   * The null scalar of `key:` or `-` with nothing after it. yaml places it after the indicator and its
   * spaces; when comments follow, its range runs to the end of the lines it took (see yaml's resolveBlockMap:
   * a following key at the same indent takes the lines from the second newline on).
   */
  private emptyScalar(
    line: number,
    indicator: number,
    after: number,
    following: number,
    indent: number,
    atNextKey: boolean,
    leadingComment = false,
  ): Scalar {
    const text = this.text;
    let pos = indicator + 1;
    while (pos < after && text.charCodeAt(pos) === SPACE) pos++;
    let hasComment = leadingComment || text.charCodeAt(after) === HASH;
    let end = this.tokenStart(following);
    // Newlines counted after the last comment indented deeper than the mapping (as yaml counts them).
    const newlines: number[] = [];
    if (atNextKey) {
      if ((this.ends[line] as number) < text.length) newlines.push(this.ends[line] as number);
      for (let l = line + 1; l < following; l++) {
        if (this.kinds[l] === COMMENT && (this.indents[l] as number) > indent) newlines.length = 0;
        if ((this.ends[l] as number) < text.length) newlines.push(this.ends[l] as number);
      }
    }
    const cut = newlines.length >= 2 ? (newlines[1] as number) : -1;
    if (cut !== -1) end = cut;
    for (let l = line + 1; l < following && !hasComment; l++)
      if (this.kinds[l] === COMMENT && (cut === -1 || (this.ends[l] as number) <= cut)) hasComment = true;
    const scalar = this.plainScalar('', pos, pos, pos, false);
    if (hasComment) (scalar.range as [number, number, number])[2] = end;
    return scalar;
  }

  /**
   * A scalar (or a one-line flow collection) written after `key: ` or `- `; then only a comment may follow
   * on its line.
   */
  private inlineScalar(
    line: number,
    at: number,
    indent: number,
  ): { node: Scalar | YAMLMap | YAMLSeq; next: number } {
    const text = this.text;
    const lineEnd = this.ends[line] as number;
    const c = text.charCodeAt(at);
    let scalar: Scalar | YAMLMap | YAMLSeq;
    if (c === 91 /* [ */ || c === 123 /* { */) {
      const flow = this.flowCollection(at, lineEnd);
      this.restOfLine(line, flow.end);
      scalar = flow.node;
    } else if (c === SQUOTE || c === DQUOTE) {
      const quoted = this.quotedScalar(at, lineEnd);
      this.restOfLine(line, (quoted.range as [number, number, number])[1]);
      scalar = quoted;
    } else {
      if (NOT_PLAIN_START.has(c)) throw new Unsupported();
      if (c === DASH && (at + 1 === lineEnd || text.charCodeAt(at + 1) === SPACE)) throw new Unsupported();
      let end = lineEnd;
      for (let i = at; i < lineEnd; i++) {
        const ch = text.charCodeAt(i);
        if (ch === HASH && text.charCodeAt(i - 1) === SPACE) {
          end = i;
          break;
        }
        if (ch === COLON && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) throw new Unsupported();
      }
      while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
      scalar = this.plainScalar(text.slice(at, end), at, end, end, false);
    }
    // Its own line, then comment lines indented deeper than its collection (yaml's parser adds them to the
    // scalar), then the rest of the trailing lines, which stay pending for the collections.
    let extended = this.afterLine(line);
    let l = line + 1;
    for (let k = line + 1; k < this.count; k++) {
      const kind = this.kinds[k];
      if (kind === BLANK) continue;
      if (kind !== COMMENT || (this.indents[k] as number) <= indent) break;
      extended = this.afterLine(k);
      l = k + 1;
    }
    (scalar.range as [number, number, number])[2] = extended;
    let maxCommentIndent = -1;
    for (; l < this.count && (this.kinds[l] as number) <= COMMENT; l++)
      if (this.kinds[l] === COMMENT) maxCommentIndent = Math.max(maxCommentIndent, this.indents[l] as number);
    const next = l;
    const end = this.tokenStart(next);
    this.pending = extended < end ? { maxCommentIndent, end } : null;
    // A deeper line after a scalar continues it (a multi-line scalar) or is an error.
    if (next < this.count && this.kinds[next] === CONTENT && (this.indents[next] as number) > indent)
      throw new Unsupported();
    return { node: scalar, next };
  }

  private quotedScalar(at: number, lineEnd: number): Scalar {
    const single = this.text.charCodeAt(at) === SQUOTE;
    const quoted = single ? this.singleQuoted(at, lineEnd) : this.doubleQuoted(at, lineEnd);
    const scalar = new Scalar(quoted.value);
    scalar.range = [at, quoted.end, quoted.end];
    scalar.source = quoted.value;
    scalar.type = single ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
    return scalar;
  }

  /** `[a, b]` or `{ k: v, k2: v2 }` on one line, of plain or quoted scalars; `end` is after the bracket. */
  private flowCollection(at: number, lineEnd: number): { node: YAMLMap | YAMLSeq; end: number } {
    const text = this.text;
    const isMap = text.charCodeAt(at) === 123;
    const close = isMap ? 125 : 93;
    const collection = isMap ? new YAMLMap(this.doc.schema) : new YAMLSeq(this.doc.schema);
    collection.flow = true;
    const keys = new Set<string>();
    let i = this.skipSpaces(at + 1, lineEnd);
    while (text.charCodeAt(i) !== close) {
      if (i >= lineEnd) throw new Unsupported();
      let key: Scalar | undefined;
      if (isMap) {
        const keyEnd = this.flowPlainEnd(i, lineEnd, true);
        if (text.charCodeAt(keyEnd) !== COLON || text.charCodeAt(keyEnd + 1) !== SPACE)
          throw new Unsupported();
        key = this.plainScalar(text.slice(i, keyEnd), i, keyEnd, keyEnd, true);
        if (typeof key.value !== 'string' || keys.has(key.value)) throw new Unsupported();
        keys.add(key.value);
        i = this.skipSpaces(keyEnd + 1, lineEnd);
      }
      const c = text.charCodeAt(i);
      let value: Scalar;
      if (c === SQUOTE || c === DQUOTE) value = this.quotedScalar(i, lineEnd);
      else {
        const end = this.flowPlainEnd(i, lineEnd, false);
        value = this.plainScalar(text.slice(i, end), i, end, end, false);
      }
      const range = value.range as [number, number, number];
      i = this.skipSpaces(range[1], lineEnd);
      range[2] = i;
      if (key) (collection as YAMLMap).items.push(new Pair(key, value));
      else (collection as YAMLSeq).items.push(value);
      const next = text.charCodeAt(i);
      if (next === 44 /* , */) i = this.skipSpaces(i + 1, lineEnd);
      else if (next !== close) throw new Unsupported();
    }
    collection.range = [at, i + 1, i + 1];
    return { node: collection, end: i + 1 };
  }

  /** The end of a plain scalar inside a flow collection (before `,`, `]`, `}` and trailing spaces). */
  private flowPlainEnd(at: number, lineEnd: number, atKey: boolean): number {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (NOT_PLAIN_START.has(first) || first === SPACE) throw new Unsupported();
    if (first === DASH) {
      const after = text.charCodeAt(at + 1);
      if (at + 1 >= lineEnd || after === SPACE || after === 44 || after === 93 || after === 125)
        throw new Unsupported();
    }
    let i = at;
    for (; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === 44 || c === 93 || c === 125) break;
      if (c === 91 || c === 123 || c === HASH) throw new Unsupported();
      if (c === COLON) {
        const after = text.charCodeAt(i + 1);
        if (after === SPACE || after === 44 || after === 93 || after === 125 || i + 1 >= lineEnd) {
          if (atKey) break;
          throw new Unsupported();
        }
      }
    }
    let end = i;
    while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
    if (end === at) throw new Unsupported();
    return end;
  }

  private skipSpaces(at: number, lineEnd: number): number {
    while (at < lineEnd && this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  private plainScalar(source: string, start: number, valueEnd: number, end: number, atKey: boolean): Scalar {
    let scalar: Scalar | undefined;
    if (source.length === 0 || MAYBE_NOT_STRING.has(source.charCodeAt(0))) {
      if (source === '<<') throw new Unsupported();
      for (const tag of this.tags) {
        if ((tag.default === true || (atKey && tag.default === 'key')) && tag.test?.test(source)) {
          let failed = false;
          const resolved = tag.resolve(
            source,
            () => {
              failed = true;
            },
            this.doc.options,
          );
          if (failed) throw new Unsupported();
          scalar = isScalar(resolved) ? resolved : new Scalar(resolved);
          if (tag.format) scalar.format = tag.format;
          break;
        }
      }
    }
    scalar ??= new Scalar(source);
    scalar.range = [start, valueEnd, end];
    scalar.source = source;
    scalar.type = Scalar.PLAIN;
    return scalar;
  }

  private singleQuoted(at: number, lineEnd: number): { value: string; end: number } {
    const text = this.text;
    let value = '';
    let from = at + 1;
    for (;;) {
      const close = text.indexOf("'", from);
      if (close === -1 || close >= lineEnd) throw new Unsupported();
      value += text.slice(from, close);
      if (text.charCodeAt(close + 1) === SQUOTE) {
        value += "'";
        from = close + 2;
      } else return { value, end: close + 1 };
    }
  }

  private doubleQuoted(at: number, lineEnd: number): { value: string; end: number } {
    const text = this.text;
    let value = '';
    let from = at + 1;
    for (let i = from; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === DQUOTE) return { value: value + text.slice(from, i), end: i + 1 };
      if (c !== 92 /* \ */) continue;
      value += text.slice(from, i);
      const e = text[i + 1];
      if (e === undefined || i + 1 >= lineEnd) throw new Unsupported();
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        value += simple;
        i += 1;
      } else {
        const length = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
        const hex = text.slice(i + 2, i + 2 + length);
        if (length === 0 || i + 2 + length > lineEnd || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length)
          throw new Unsupported();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new Unsupported();
        value += String.fromCodePoint(code);
        i += 1 + length;
      }
      from = i + 1;
    }
    throw new Unsupported();
  }
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/**
 * The documents `parseAllDocuments(text, { merge: true, prettyErrors: false, uniqueKeys: true })` returns,
 * built directly, or undefined when the text uses YAML beyond the subset (the caller then uses yaml).
 */
export function fastParseDocuments(text: string): Document.Parsed[] | undefined {
  if (UNSUPPORTED_CHARS.test(text)) return undefined;
  try {
    return new FastParser(text).parse();
  } catch {
    // Unsupported syntax, a deep nesting overflow or anything unforeseen: yaml decides.
    return undefined;
  }
}

/** Switch for tests and benchmarks: false sends every text to yaml. */
export const fastParse = { enabled: true };

/** For the unit test: it checks that MAYBE_NOT_STRING still covers the schema's non-string tags. */
export const FAST_PARSE_INTERNALS = { MAYBE_NOT_STRING, options: OPTIONS };
