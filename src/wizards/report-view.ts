// The preflight report as the wizard panels list it: each finding, and an id for each fix the panel applies.
import type { Fix, PreflightReport } from '../ops';
import type { FindingView, FixView, WizardKind } from './protocol';
import { hintInPanel } from './protocol';

/**
 * The preflight report as the panel lists it, with an id for each fix the panel can apply; each hint names the
 * panel's own button (Preflight's is Run again, Join's Resume).
 */
export function reportView(
  report: PreflightReport,
  kind: WizardKind,
): {
  findings: FindingView[];
  fixes: FixView[];
  fixById: Map<string, Fix>;
} {
  const fixById = new Map<string, Fix>();
  const fixes: FixView[] = [];
  const findings = report.findings.map((f, index): FindingView => {
    const hint = f.hint === undefined ? undefined : hintInPanel(kind, f.hint);
    const view: FindingView = { node: f.node, severity: f.severity, message: f.message, hint };
    if (f.fix) {
      const id = `fix-${index}`;
      fixById.set(id, f.fix);
      fixes.push({ id, node: f.fix.node, label: fixLabel(f.fix) });
      view.fixId = id;
    }
    return view;
  });
  return { findings, fixes, fixById };
}

export function fixLabel(fix: Fix): string {
  return fix.kind === 'appendHosts'
    ? `Append to /etc/hosts on ${fix.node}: ${fix.lines.join('; ')}`
    : `Set the hostname of ${fix.node} to ${fix.hostname}`;
}
