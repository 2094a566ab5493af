// Turns the spec core's fix hints into text edits. Pure: the editor adapter wraps them in a WorkspaceEdit.
import { parse as parseYaml } from 'yaml';
import { withoutCredentials } from '../../cluster-spec/proxy-url';
import type { Finding, FixHint, Range, SpecPath } from '../../cluster-spec/types';
import { shapeOf, splitLines } from './yaml-locate';

export interface TextEditLike {
  range: Range;
  newText: string;
}

export interface FixPlan {
  title: string;
  edits: TextEditLike[];
  /** For moveSecret: what to store (the adapter stores it before applying the edits). */
  secret?: { name: string; value: string };
}

/** Source ranges of a document, as the spec core gives them. */
export interface RangeLookup {
  rangeOf(path: SpecPath, part?: 'key' | 'value' | 'node'): Range | undefined;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function isBlankOrComment(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

function textIn(lines: string[], range: Range): string {
  if (range.start.line === range.end.line) {
    return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  }
  const parts = [(lines[range.start.line] ?? '').slice(range.start.character)];
  for (let i = range.start.line + 1; i < range.end.line; i++) parts.push(lines[i] ?? '');
  parts.push((lines[range.end.line] ?? '').slice(0, range.end.character));
  return parts.join('\n');
}

/**
 * An edit adding `key: value` to the mapping whose key (or, for a list item, first key) sits at `anchor`.
 * `root` adds to the document's top-level mapping instead.
 */
export function insertIntoMapping(
  text: string,
  anchor: { line: number; character: number },
  entry: string,
  root = false,
): TextEditLike | undefined {
  const lines = splitLines(text);
  if (root) {
    // End of the document that holds the anchor: before the next `---`, after the last content line.
    let last = anchor.line;
    for (let i = anchor.line; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (i > anchor.line && /^(---|\.\.\.)(\s|$)/.test(line)) break;
      if (!isBlankOrComment(line)) last = i;
    }
    const end = (lines[last] ?? '').length;
    return {
      range: { start: { line: last, character: end }, end: { line: last, character: end } },
      newText: `\n${entry}`,
    };
  }
  const keyLine = lines[anchor.line] ?? '';
  const shape = shapeOf(keyLine);
  const key = shape.openers.find((o) => o.kind === 'key' && o.col === anchor.character);
  if (!key) return undefined;
  const dash = [...shape.openers].reverse().find((o) => o.kind === 'dash' && o.col < key.col);
  let ownerCol: number;
  let childCol: number | undefined;
  if (key.rest.startsWith('{')) {
    // Flow mapping on one line: add before its closing brace.
    const close = keyLine.lastIndexOf('}');
    if (close < 0) return undefined;
    const inner = keyLine.slice(keyLine.indexOf('{', key.restCol) + 1, close).trim();
    const start = keyLine.slice(0, close).trimEnd().length;
    return {
      range: { start: { line: anchor.line, character: start }, end: { line: anchor.line, character: close } },
      newText: inner === '' ? ` ${entry} ` : `, ${entry} `,
    };
  } else if (key.rest === '' || key.rest.startsWith('&')) {
    // A block mapping under this key.
    ownerCol = key.col;
  } else if (dash) {
    // A list item whose first key carries a scalar: the item is the mapping.
    ownerCol = dash.col;
    childCol = key.col;
  } else {
    return undefined;
  }
  let last = anchor.line;
  for (let i = anchor.line + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isBlankOrComment(line)) continue;
    if (indentOf(line) <= ownerCol) break;
    childCol ??= shapeOf(line).openers[0]?.col ?? indentOf(line);
    last = i;
  }
  childCol ??= ownerCol + 2;
  const end = (lines[last] ?? '').length;
  return {
    range: { start: { line: last, character: end }, end: { line: last, character: end } },
    newText: `\n${' '.repeat(childCol)}${entry}`,
  };
}

function scalarText(value: string): string {
  return /^[A-Za-z0-9_./:@-][\w./:@ -]*$/.test(value) && !/\s$/.test(value) && !/: /.test(value)
    ? value
    : JSON.stringify(value);
}

function entryText(key: string, value: string): string {
  return value === '' ? `${key}:` : `${key}: ${value}`;
}

function isRootMapping(finding: Finding, key: string): boolean {
  const path = finding.path;
  if (!path) return false;
  return path.length === 0 || (path.length === 1 && path[0] === key);
}

/** The quick fix for one finding, or undefined when it has none the editor can apply. */
export function planFix(
  text: string,
  finding: Finding,
  doc: RangeLookup | undefined,
  fix: FixHint | undefined = finding.fix,
): FixPlan | undefined {
  if (!fix) return undefined;
  const lines = splitLines(text);
  switch (fix.kind) {
    case 'renameKey':
      return { title: `Change to '${fix.to}'`, edits: [{ range: finding.range, newText: fix.to }] };
    case 'replaceValue':
      return {
        title: `Replace with '${fix.value}'`,
        edits: [{ range: finding.range, newText: scalarText(fix.value) }],
      };
    case 'insertField': {
      const edit = insertIntoMapping(
        text,
        finding.range.start,
        entryText(fix.key, fix.placeholder),
        isRootMapping(finding, fix.key),
      );
      return edit ? { title: `Add the missing '${fix.key}'`, edits: [edit] } : undefined;
    }
    case 'insertProxy': {
      const edit = insertIntoMapping(text, finding.range.start, entryText(fix.key, scalarText(fix.value)));
      return edit ? { title: `Add proxy '${fix.key}: ${fix.value}'`, edits: [edit] } : undefined;
    }
    case 'appendNode':
      return planAppendNode(lines, doc, fix);
    case 'moveProxyCredentials': {
      const path = finding.path;
      const valueRange = path && doc?.rangeOf(path, 'value');
      if (!path || !valueRange || valueRange.start.line !== valueRange.end.line) return undefined;
      const url = textIn(lines, valueRange).replace(/^(["'])(.*)\1$/, '$2');
      const userInfo = /^https?:\/\/([^/]*)@/.exec(url)?.[1];
      if (!userInfo) return undefined;
      let credentials: string;
      try {
        credentials = decodeURIComponent(userInfo);
      } catch {
        return undefined;
      }
      // Added to the proxy mapping: its key is where insertIntoMapping finds the block under it.
      const keyRange = doc?.rangeOf(path.slice(0, -1), 'key');
      const entry =
        keyRange && insertIntoMapping(text, keyRange.start, `${fix.secretKey}: ${fix.suggestedName}`);
      if (!entry) return undefined;
      // The secret is the whole user info; a second URL with the same credentials keeps its own finding.
      return {
        title: `Move the proxy credentials to secret storage as '${fix.suggestedName}'`,
        edits: [{ range: valueRange, newText: scalarText(withoutCredentials(url)) }, entry],
        secret: { name: fix.suggestedName, value: credentials },
      };
    }
    case 'moveSecret': {
      const keyRange = (finding.path && doc?.rangeOf(finding.path, 'key')) || finding.range;
      let valueRange = finding.path ? doc?.rangeOf(finding.path, 'value') : undefined;
      if (!valueRange) {
        const line = lines[keyRange.start.line] ?? '';
        const opener = shapeOf(line).openers.find(
          (o) => o.kind === 'key' && o.col === keyRange.start.character,
        );
        if (!opener || opener.rest === '') return undefined;
        valueRange = {
          start: { line: keyRange.start.line, character: opener.restCol },
          end: { line: keyRange.start.line, character: opener.restCol + opener.rest.length },
        };
      }
      let value: unknown;
      try {
        value = parseYaml(textIn(lines, valueRange));
      } catch {
        return undefined;
      }
      if (value === null || value === undefined || typeof value === 'object') return undefined;
      return {
        title: `Move the secret to secret storage as '${fix.suggestedName}'`,
        edits: [
          {
            range: { start: keyRange.start, end: valueRange.end },
            newText: `${fix.secretKey}: ${fix.suggestedName}`,
          },
        ],
        secret: { name: fix.suggestedName, value: String(value) },
      };
    }
  }
}

/**
 * A node after the last item of spec.nodes, in the list's own indentation: `- hostname: …` then `address`
 * (and `host`) under it.
 */
function planAppendNode(
  lines: string[],
  doc: RangeLookup | undefined,
  fix: Extract<FixHint, { kind: 'appendNode' }>,
): FixPlan | undefined {
  let last = -1;
  while (doc?.rangeOf(['spec', 'nodes', last + 1], 'node')) last++;
  const item = last >= 0 ? doc?.rangeOf(['spec', 'nodes', last], 'node') : undefined;
  if (!item) return undefined;
  const line = lines[item.start.line] ?? '';
  const keyCol = item.start.character;
  const dashCol = line.lastIndexOf('-', keyCol - 1);
  // Only a block list item (`- key: …`); a flow list is left to the user.
  if (dashCol < 0 || line.slice(dashCol + 1, keyCol).trim() !== '' || line.slice(0, dashCol).trim() !== '')
    return undefined;
  let end = item.start.line;
  for (let i = item.start.line + 1; i < lines.length; i++) {
    const next = lines[i] ?? '';
    if (isBlankOrComment(next)) continue;
    if (indentOf(next) <= dashCol) break;
    end = i;
  }
  const fields: Array<[string, string]> = [
    ['hostname', fix.hostname],
    ['address', fix.address],
    ...(fix.host ? [['host', fix.host] as [string, string]] : []),
  ];
  const text = fields
    .map(
      ([key, value], i) =>
        `${' '.repeat(i === 0 ? dashCol : keyCol)}${i === 0 ? '-' + ' '.repeat(keyCol - dashCol - 1) : ''}${key}: ${scalarText(value)}`,
    )
    .join('\n');
  const at = { line: end, character: (lines[end] ?? '').length };
  return {
    title: `Add node ${fix.hostname} at ${fix.address}${fix.host ? ` on ${fix.host}` : ''}`,
    edits: [{ range: { start: at, end: at }, newText: `\n${text}` }],
  };
}

/** Applies edits to a text (for tests and previews); edits must not overlap. */
export function applyEdits(text: string, edits: readonly TextEditLike[]): string {
  const lines = splitLines(text);
  const offsets: number[] = [];
  let acc = 0;
  const eol = text.includes('\r\n') ? 2 : 1;
  for (const line of lines) {
    offsets.push(acc);
    acc += line.length + eol;
  }
  const offsetOf = (p: { line: number; character: number }): number =>
    Math.min((offsets[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let out = text;
  for (const edit of sorted)
    out = out.slice(0, offsetOf(edit.range.start)) + edit.newText + out.slice(offsetOf(edit.range.end));
  return out;
}
