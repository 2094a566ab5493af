/**
 * Which names of the vendored modules src/ uses at runtime, read from its syntax (no type checker, so it is
 * fast enough for the build and a unit test). The vendor files export only what their entries list; this is
 * how the build and test/unit/vendor-bundle.test.ts notice a name that src/ starts to use but an entry lacks.
 *
 * @kubernetes/client-node is only ever imported as a type; its value is the module `loadK8s()` resolves to,
 * passed around as `k8s` (a variable, parameter, property or destructured field of that name, any case) or
 * as anything declared with the type `K8sModule` / `typeof K8s`. Every `k8s.Name` in an expression, every
 * `k8s['Name']` and every `{ Name } = k8s` counts; `K8s.Name` in types does not (types are erased).
 * ssh2 is imported by name: every non-type import from 'ssh2' counts, and `utils.parseKey` as `utils.parseKey`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface UsedVendorNames {
  /** Names read from the @kubernetes/client-node module, sorted. */
  k8s: string[];
  /** Names imported from 'ssh2', sorted; members of `utils` as `utils.<name>`. */
  ssh2: string[];
}

const K8S_SPECIFIER = '@kubernetes/client-node';
const K8S_NAME = /^k8s$/i;
const K8S_TYPES = new Set(['K8sModule', 'typeof K8s', 'typeof k8s', `typeof import('${K8S_SPECIFIER}')`]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function unwrap(node: ts.Expression): ts.Expression {
  let e = node;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAwaitExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e)
  ) {
    e = e.expression;
  }
  return e;
}

/** A property access inside `implements X.Y` / `interface I extends X.Y` is a type, not a value. */
function inTypeHeritage(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isHeritageClause(n)) {
      return n.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(n.parent);
    }
    if (ts.isStatement(n) || ts.isClassLike(n)) return false;
  }
  return false;
}

function scanFile(file: string, k8s: Set<string>, ssh2: Set<string>): void {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const aliases = new Set<string>();
  const sshNamespaces = new Set<string>();
  const sshUtils = new Set<string>();

  const isK8s = (node: ts.Expression): boolean => {
    const e = unwrap(node);
    if (ts.isIdentifier(e)) return K8S_NAME.test(e.text) || aliases.has(e.text);
    if (ts.isPropertyAccessExpression(e)) return K8S_NAME.test(e.name.text) || aliases.has(e.name.text);
    if (ts.isCallExpression(e)) {
      if (ts.isIdentifier(e.expression) && e.expression.text === 'loadK8s') return true;
      const [arg] = e.arguments;
      return (
        e.expression.kind === ts.SyntaxKind.ImportKeyword &&
        arg !== undefined &&
        ts.isStringLiteral(arg) &&
        arg.text === K8S_SPECIFIER
      );
    }
    return false;
  };

  // First pass: what names the module in this file (typed declarations, assignments from it, ssh2 imports).
  const collect = (node: ts.Node): void => {
    if (
      (ts.isParameter(node) || ts.isPropertyDeclaration(node) || ts.isVariableDeclaration(node)) &&
      ts.isIdentifier(node.name)
    ) {
      const typed = node.type !== undefined && K8S_TYPES.has(node.type.getText(source).replace(/"/g, "'"));
      const assigned =
        ts.isVariableDeclaration(node) && node.initializer !== undefined && isK8s(node.initializer);
      if (typed || assigned) aliases.add(node.name.text);
    }
    if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      node.moduleSpecifier.text === 'ssh2' &&
      node.importClause &&
      !node.importClause.isTypeOnly
    ) {
      const { name, namedBindings } = node.importClause;
      if (name) sshNamespaces.add(name.text);
      if (namedBindings && ts.isNamespaceImport(namedBindings)) sshNamespaces.add(namedBindings.name.text);
      if (namedBindings && ts.isNamedImports(namedBindings)) {
        for (const spec of namedBindings.elements) {
          if (spec.isTypeOnly) continue;
          const imported = (spec.propertyName ?? spec.name).text;
          ssh2.add(imported);
          if (imported === 'utils') sshUtils.add(spec.name.text);
        }
      }
    }
    ts.forEachChild(node, collect);
  };
  // Twice, so an alias of an alias declared further down is known too.
  collect(source);
  collect(source);

  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && !inTypeHeritage(node)) {
      const target = unwrap(node.expression);
      if (isK8s(target)) k8s.add(node.name.text);
      if (ts.isIdentifier(target) && sshNamespaces.has(target.text)) ssh2.add(node.name.text);
      if (ts.isIdentifier(target) && sshUtils.has(target.text)) ssh2.add(`utils.${node.name.text}`);
      if (
        ts.isPropertyAccessExpression(target) &&
        target.name.text === 'utils' &&
        ts.isIdentifier(target.expression) &&
        sshNamespaces.has(target.expression.text)
      ) {
        ssh2.add(`utils.${node.name.text}`);
      }
    }
    if (
      ts.isElementAccessExpression(node) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      isK8s(node.expression)
    ) {
      k8s.add(node.argumentExpression.text);
    }
    if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer &&
      isK8s(node.initializer)
    ) {
      for (const element of node.name.elements) {
        const key = element.propertyName ?? element.name;
        if (ts.isIdentifier(key) || ts.isStringLiteral(key)) k8s.add(key.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

export function usedVendorNames(srcDir = 'src'): UsedVendorNames {
  const k8s = new Set<string>();
  const ssh2 = new Set<string>();
  for (const file of sourceFiles(srcDir)) scanFile(file, k8s, ssh2);
  return { k8s: [...k8s].sort(), ssh2: [...ssh2].sort() };
}

/** The used names (as usedVendorNames lists them) that `exports`, a required vendor file, lacks. */
export function missingNames(used: readonly string[], exports: Record<string, unknown>): string[] {
  return used.filter((name) => {
    let value: unknown = exports;
    for (const part of name.split('.')) {
      value =
        value !== null && (typeof value === 'object' || typeof value === 'function')
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    return value === undefined;
  });
}
