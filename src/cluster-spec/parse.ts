// Parsing with ranges: `yaml` parses every document; only its duplicate-key check is replaced. yaml compares
// each key with every earlier key of its mapping (quadratic: 10,000 keys took 2.7 s of a 3 s parse), so it is
// switched off and the same rule runs here with one Set per mapping: the same error (DUPLICATE_KEY, "Map keys
// must be unique", at the later key) in linear time.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  YAMLParseError,
  type Document,
  type Node,
} from 'yaml';

// No LineCounter: nodes carry offsets, and PositionMapper turns the few that are reported into positions.
export function parseDocuments(text: string): Document.Parsed[] {
  const parsed = parseAllDocuments(text, { merge: true, prettyErrors: false, uniqueKeys: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  for (const doc of docs) reportDuplicateKeys(doc);
  return docs;
}

/** Mappings up to this size are checked pair by pair, larger ones with a Set: most mappings are small. */
const SMALL_MAP = 8;

/** yaml's rule: scalar keys are equal when their values are (`===`); other keys never equal another. */
function reportDuplicateKeys(doc: Document.Parsed): void {
  // An explicit stack: deeply nested flow collections must not overflow the call stack.
  const stack: unknown[] = [doc.contents];
  const duplicates: YAMLParseError[] = [];
  const report = (key: Node): void => {
    const start = key.range?.[0] ?? 0;
    duplicates.push(new YAMLParseError([start, start + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
  };
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const items = node.items;
      const seen = items.length > SMALL_MAP ? new Set<unknown>() : undefined;
      for (let i = 0; i < items.length; i++) {
        const pair = items[i];
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen ? seen.has(key.value) : hasEarlierKey(items, i, key.value)) report(key);
          else seen?.add(key.value);
        } else if (isMap(key) || isSeq(key)) stack.push(key);
        if (isMap(pair.value) || isSeq(pair.value)) stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (isMap(item) || isSeq(item)) stack.push(item);
    }
  }
  // In document order, as yaml reports them.
  duplicates.sort((a, b) => a.pos[0] - b.pos[0]);
  for (const error of duplicates) doc.errors.push(error);
}

function hasEarlierKey(items: readonly unknown[], before: number, value: unknown): boolean {
  for (let j = 0; j < before; j++) {
    const pair = items[j];
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === value) return true;
  }
  return false;
}
