// Small decisions shared by the editor adapters, kept here so they are unit-tested without VS Code.

/**
 * With Red Hat's YAML extension validating an open document, it already reports YAML syntax errors: our GC001
 * would show each of them twice. Everything else is ours alone (Red Hat gets an empty schema for specs).
 */
export function keepFinding(code: string, redHatValidatesOpenYaml: boolean, isOpen: boolean): boolean {
  return !(code === 'GC001' && redHatValidatesOpenYaml && isOpen);
}

/** The anchor of a code's entry in docs/cluster-spec.md. */
export function codeAnchor(code: string): string {
  return code.toLowerCase();
}
