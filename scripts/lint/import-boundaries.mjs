// The architecture's import table as a lint rule: a file in one part of src/ (or webview/) may import only
// from the parts its row names. docs/architecture.md shows the same table; test/unit/architecture.test.ts
// keeps the two equal.
import path from 'node:path';

/**
 * Each part of the code and what it may import. A part is a folder under src/ (or a top-level file there,
 * without `.ts`), or `webview`. An entry is a part, or a single file of a part (`commands/ids`).
 */
export const IMPORT_TABLE = {
  timing: [],
  encode: [],
  'cluster-spec': [],
  remote: ['timing', 'encode'],
  kube: ['timing'],
  ops: ['cluster-spec', 'timing', 'encode'],
  clusters: ['cluster-spec', 'ops', 'remote', 'kube', 'timing', 'encode'],
  cli: ['cluster-spec', 'clusters', 'ops', 'remote', 'kube', 'timing', 'encode'],
  'spec-service': ['cluster-spec'],
  editor: ['clusters', 'remote'],
  language: ['cluster-spec', 'spec-service', 'clusters', 'editor'],
  tree: ['cluster-spec', 'clusters', 'timing', 'editor'],
  wizards: ['cluster-spec', 'clusters', 'ops', 'timing', 'editor'],
  commands: [
    'cluster-spec',
    'clusters',
    'ops',
    'spec-service',
    'language',
    'tree',
    'wizards',
    'editor',
    'timing',
  ],
  features: [
    'cluster-spec',
    'clusters',
    'remote',
    'spec-service',
    'language',
    'tree',
    'wizards',
    'editor',
    'commands',
  ],
  extension: ['commands/ids', 'wizards/view-type', 'features', 'features-marks', 'testing'],
  webview: ['wizards/protocol', 'wizards/protocol-schema'],
};

/** The parts that never import vscode: they run in the CLI, in tests and in plain Node. */
export const PURE_PARTS = ['timing', 'encode', 'cluster-spec', 'remote', 'kube', 'ops', 'clusters', 'cli'];

/** The part and the part-relative file (no extension) of a path, or undefined outside src/ and webview/. */
function locate(file, root) {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === 'webview') return { part: 'webview', file: rel.slice(1).join('/') };
  if (rel[0] !== 'src' || rel.length < 2) return undefined;
  if (rel.length === 2) return { part: rel[1].replace(/\.[cm]?[tj]s$/, ''), file: '' };
  return {
    part: rel[1],
    file: rel
      .slice(2)
      .join('/')
      .replace(/\.[cm]?[tj]s$/, ''),
  };
}

function allowed(from, to) {
  if (from.part === to.part) return true;
  const row = IMPORT_TABLE[from.part];
  if (!row) return true;
  return row.some((entry) => entry === to.part || entry === `${to.part}/${to.file}`.replace(/\/index$/, ''));
}

export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: "imports follow the architecture's table (docs/architecture.md)" },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const filename = context.filename;
    const from = locate(filename, root);
    if (!from) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = locate(path.resolve(path.dirname(filename), source), root);
      if (!target || allowed(from, target)) return;
      context.report({
        node,
        message: `${from.part} may not import ${target.part}${target.file ? `/${target.file}` : ''}: the architecture's table (docs/architecture.md) allows ${IMPORT_TABLE[from.part].join(', ') || 'nothing of the project'}.`,
      });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      TSImportType: (node) => {
        const literal = node.argument?.literal ?? node.argument;
        if (literal?.type === 'Literal') check(node, literal.value);
      },
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        )
          check(node, node.arguments[0].value);
      },
    };
  },
};
