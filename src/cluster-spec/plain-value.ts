// The document's plain JS value in one direct walk, for the common case: no aliases, no merge keys, no
// collection keys and only plain maps and lists. Anything else returns NOT_PLAIN and the caller uses yaml's
// own toJS (the reference, which handles all of YAML); a unit test holds the two equal.
import { isMap, isPair, isScalar, isSeq, YAMLMap, YAMLSeq, type Node } from 'yaml';

export const NOT_PLAIN: unique symbol = Symbol('not plain');

class NotPlain extends Error {}

function convert(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  if (isScalar(node)) return node.value;
  if (isMap(node)) {
    if (Object.getPrototypeOf(node) !== YAMLMap.prototype) throw new NotPlain();
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) throw new NotPlain();
      const key = pair.key.value;
      // `<<` may be a merge key; objects (dates, binary) stringify differently as keys: leave both to yaml.
      if (key === '<<' || (typeof key === 'object' && key !== null) || typeof key === 'symbol')
        throw new NotPlain();
      const name = key === null ? '' : String(key);
      const value = convert(pair.value);
      // As yaml does: a key such as `__proto__` becomes an own property, never the prototype.
      if (name in out)
        Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true });
      else out[name] = value;
    }
    return out;
  }
  if (isSeq(node)) {
    if (Object.getPrototypeOf(node) !== YAMLSeq.prototype) throw new NotPlain();
    const out: unknown[] = [];
    for (const item of node.items) out.push(convert(item));
    return out;
  }
  throw new NotPlain(); // an alias, or a node type this walk does not know
}

/** What `doc.toJS()` returns for `root`, or NOT_PLAIN when the document needs yaml's full conversion. */
export function plainValue(root: Node | null | undefined): unknown {
  try {
    return convert(root);
  } catch {
    // Also a stack overflow on deep nesting: yaml's conversion then decides what happens.
    return NOT_PLAIN;
  }
}
