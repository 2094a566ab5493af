// Maps a cursor position in (possibly half-written) block YAML to a spec path, by indentation. Completion and
// hover run on text that often does not parse yet, so this reads lines rather than the parser's tree.

export type PathSegment = string | number;

/** One structural token on a line: a list dash (`- `) or a mapping key (`key:`). */
export interface Opener {
  kind: 'dash' | 'key';
  /** 0-based column of the dash or of the key's first character. */
  col: number;
  key?: string;
  /** Column just after the key's colon. */
  colonEnd?: number;
  /** The rest of the line after `key:` or after the dash (comments stripped, trimmed). */
  rest: string;
  /** Column where `rest` starts. */
  restCol: number;
}

export interface LineShape {
  blank: boolean;
  openers: Opener[];
  /** Column of the first non-space character after any dashes. */
  contentCol: number;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],&*!|>%@`:-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?=\s|$)/;

function stripComment(text: string): string {
  // A `#` starts a comment at the start or after whitespace, outside quotes.
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      return text.slice(0, i);
    }
  }
  return text;
}

export function unquoteKey(raw: string): string {
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) return raw.slice(1, -1);
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2)
    return raw.slice(1, -1).replace(/''/g, "'");
  return raw;
}

export function shapeOf(line: string): LineShape {
  const openers: Opener[] = [];
  let col = line.length - line.trimStart().length;
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return { blank: true, openers, contentCol: col };
  for (;;) {
    if (line[col] === '-' && (col + 1 >= line.length || /\s/.test(line[col + 1] ?? ''))) {
      let next = col + 1;
      while (next < line.length && line[next] === ' ') next++;
      openers.push({ kind: 'dash', col, rest: stripComment(line.slice(next)).trim(), restCol: next });
      col = next;
      continue;
    }
    break;
  }
  const match = KEY.exec(line.slice(col));
  if (match?.[1]) {
    const colonEnd = col + match[0].length;
    let restCol = colonEnd;
    while (restCol < line.length && line[restCol] === ' ') restCol++;
    openers.push({
      kind: 'key',
      col,
      key: unquoteKey(match[1].trim()),
      colonEnd,
      rest: stripComment(line.slice(restCol)).trim(),
      restCol,
    });
  }
  return { blank: false, openers, contentCol: col };
}

export interface CursorContext {
  documentIndex: number;
  /**
   * 'key': the cursor writes a key (or a list item) into the collection at `path`.
   * 'value': the cursor writes the value of `path` (its last segment is the key or the item index).
   */
  kind: 'key' | 'value';
  path: PathSegment[];
  /** Keys already present in the mapping at `path` (kind 'key'). */
  existingKeys: string[];
  /** The word under the cursor, to be replaced by a completion. */
  word: { text: string; start: number; end: number };
  /** Column at which keys of the mapping at `path` sit (kind 'key'). */
  keyColumn: number;
  /** The cursor line starts a new list item (`- `) in the list at path[-1] (kind 'key'). */
  newListItem: boolean;
}

function documentIndexAt(lines: string[], line: number): { index: number; startLine: number } {
  let index = 0;
  let startLine = 0;
  let sawContent = false;
  for (let i = 0; i < line && i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (/^---(\s|$)/.test(text)) {
      if (sawContent) index++;
      sawContent = /^---\s+\S/.test(text) && !/^---\s+#/.test(text);
      startLine = i + 1;
    } else if (/^\.\.\.\s*$/.test(text)) {
      startLine = i + 1;
    } else if (text.trim() !== '' && !text.trimStart().startsWith('#') && !text.startsWith('%')) {
      sawContent = true;
    }
  }
  return { index, startLine };
}

/** Counts the earlier items of the list whose dash sits at column `dashCol`, up from `line`. */
function itemIndex(lines: string[], line: number, dashCol: number, startLine: number): number {
  let index = 0;
  for (let i = line - 1; i >= startLine; i--) {
    const shape = shapeOf(lines[i] ?? '');
    if (shape.blank) continue;
    const hasDash = shape.openers.some((o) => o.kind === 'dash' && o.col === dashCol);
    const outer = shape.openers.some((o) => o.col < dashCol);
    const owner = shape.openers.some((o) => o.kind === 'key' && o.col === dashCol);
    if (hasDash) {
      index++;
      if (outer) break;
      continue;
    }
    if (outer || owner || shape.contentCol < dashCol) break;
  }
  return index;
}

/**
 * The path of the collection that owns a node at column `col` on line `line`, considering on that line only
 * the openers left of `col`. `isDash` says the node is a list dash (compact lists may sit at their key's column).
 */
function ownerPath(
  lines: string[],
  line: number,
  col: number,
  isDash: boolean,
  startLine: number,
): PathSegment[] {
  const path: PathSegment[] = [];
  let limit = col;
  let dash = isDash;
  let i = line;
  let sameLine = true;
  while (i >= startLine) {
    const shape = shapeOf(lines[i] ?? '');
    let chosen: Opener | undefined;
    if (!shape.blank) {
      const usable = shape.openers.filter((o) => o.col < limit);
      chosen = usable[usable.length - 1];
      if (!chosen && dash && !sameLine) {
        // Compact list: `nodes:` followed by `- ...` at the same column.
        chosen = shape.openers.find((o) => o.kind === 'key' && o.col === limit && o.rest === '');
      }
    }
    if (chosen) {
      if (chosen.kind === 'key') {
        path.unshift(chosen.key ?? '');
        limit = chosen.col;
        dash = false;
      } else {
        path.unshift(itemIndex(lines, i, chosen.col, startLine));
        limit = chosen.col;
        dash = true;
      }
      // Openers further left on the same line are ancestors too.
      const left = shape.openers.filter((o) => o.col < limit);
      if (left.length > 0) {
        sameLine = true;
        continue;
      }
    }
    sameLine = false;
    i--;
  }
  return path;
}

/** Keys at column `col` in the mapping that holds line `line` (the cursor line itself excluded). */
function siblingKeys(
  lines: string[],
  line: number,
  col: number,
  startLine: number,
  upward: boolean,
): string[] {
  const keys: string[] = [];
  const collect = (shape: LineShape): 'stop' | 'go' => {
    if (shape.blank) return 'go';
    for (const o of shape.openers) if (o.kind === 'key' && o.col === col && o.key) keys.push(o.key);
    if (shape.openers.some((o) => o.col < col) || (shape.openers.length === 0 && shape.contentCol < col))
      return 'stop';
    return 'go';
  };
  for (let i = line - 1; upward && i >= startLine; i--) {
    const shape = shapeOf(lines[i] ?? '');
    if (/^(---|\.\.\.)(\s|$)/.test(lines[i] ?? '')) break;
    if (collect(shape) === 'stop') break;
  }
  for (let i = line + 1; i < lines.length; i++) {
    if (/^(---|\.\.\.)(\s|$)/.test(lines[i] ?? '')) break;
    const shape = shapeOf(lines[i] ?? '');
    if (shape.blank) continue;
    // A line left of us, or a new item of our own list, ends the mapping.
    if (shape.openers.some((o) => o.col < col) || shape.contentCol < col) break;
    for (const o of shape.openers) if (o.kind === 'key' && o.col === col && o.key) keys.push(o.key);
  }
  return keys;
}

function wordAround(line: string, character: number): { text: string; start: number; end: number } {
  let start = character;
  while (start > 0 && /[\w.@/:-]/.test(line[start - 1] ?? '')) start--;
  let end = character;
  while (end < line.length && /[\w.@/-]/.test(line[end] ?? '')) end++;
  // A key being typed never includes the colon that follows it.
  const text = line.slice(start, end);
  return { text, start, end };
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** What the cursor at (line, character) is writing, for completion. */
export function cursorContext(text: string, line: number, character: number): CursorContext {
  const lines = splitLines(text);
  const current = lines[line] ?? '';
  const before = current.slice(0, character);
  const { index: documentIndex, startLine } = documentIndexAt(lines, line);
  const shape = shapeOf(before);
  const keyOpener = shape.openers.find((o) => o.kind === 'key');
  if (keyOpener && keyOpener.colonEnd !== undefined && character >= keyOpener.colonEnd) {
    const path = [...ownerPath(lines, line, keyOpener.col, false, startLine), keyOpener.key ?? ''];
    let start = keyOpener.restCol;
    if (start > character) start = character;
    let end = character;
    while (end < current.length && !/[\s#]/.test(current[end] ?? '')) end++;
    return {
      documentIndex,
      kind: 'value',
      path,
      existingKeys: [],
      word: { text: current.slice(start, end), start, end },
      keyColumn: keyOpener.col,
      newListItem: false,
    };
  }
  // Writing a key or a list item: the node starts at the content column (after any dashes).
  const col = shape.blank && shape.openers.length === 0 ? before.length : shape.contentCol;
  const word = wordAround(current, character);
  const lastDash = [...shape.openers].reverse().find((o) => o.kind === 'dash');
  const path = ownerPath(lines, line, col, false, startLine);
  const newListItem = lastDash !== undefined && lastDash.restCol === col;
  return {
    documentIndex,
    kind: 'key',
    path,
    existingKeys: siblingKeys(lines, line, col, startLine, !newListItem),
    word: { text: word.text, start: Math.max(word.start, col), end: word.end },
    keyColumn: col,
    newListItem,
  };
}

export interface HoverTarget {
  kind: 'key' | 'value';
  path: PathSegment[];
  /** The scalar under the cursor (unquoted), for values. */
  value?: string;
  start: number;
  end: number;
}

/** The key or scalar value under the cursor, for hover. Flow collections are not looked into. */
export function hoverTarget(text: string, line: number, character: number): HoverTarget | undefined {
  const lines = splitLines(text);
  const current = lines[line] ?? '';
  const { startLine } = documentIndexAt(lines, line);
  const shape = shapeOf(current);
  if (shape.blank) return undefined;
  const keyOpener = shape.openers.find((o) => o.kind === 'key');
  if (keyOpener && keyOpener.colonEnd !== undefined) {
    const keyEnd = keyOpener.colonEnd - 1;
    if (character >= keyOpener.col && character <= keyEnd) {
      const path = [...ownerPath(lines, line, keyOpener.col, false, startLine), keyOpener.key ?? ''];
      return { kind: 'key', path, start: keyOpener.col, end: keyEnd };
    }
    if (
      character >= keyOpener.restCol &&
      character <= keyOpener.restCol + keyOpener.rest.length &&
      keyOpener.rest
    ) {
      if (/^[[{|>]/.test(keyOpener.rest)) return undefined;
      const path = [...ownerPath(lines, line, keyOpener.col, false, startLine), keyOpener.key ?? ''];
      return {
        kind: 'value',
        path,
        value: unquoteKey(keyOpener.rest),
        start: keyOpener.restCol,
        end: keyOpener.restCol + keyOpener.rest.length,
      };
    }
    return undefined;
  }
  const lastDash = shape.openers[shape.openers.length - 1];
  if (lastDash?.kind === 'dash' && lastDash.rest && character >= lastDash.restCol) {
    if (/^[[{|>]/.test(lastDash.rest) || character > lastDash.restCol + lastDash.rest.length)
      return undefined;
    const owner = ownerPath(lines, line, lastDash.col, true, startLine);
    return {
      kind: 'value',
      path: [...owner, itemIndex(lines, line, lastDash.col, startLine)],
      value: unquoteKey(lastDash.rest),
      start: lastDash.restCol,
      end: lastDash.restCol + lastDash.rest.length,
    };
  }
  return undefined;
}
