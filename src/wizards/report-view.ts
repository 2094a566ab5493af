// The preflight report as the wizard panels list it: each finding, and an id for each fix the panel applies.
import type { Fix, PreflightReport } from '../ops';
import type { FindingView, FixView } from './protocol';

/** The preflight report as the panel lists it, with an id for each fix the panel can apply. */
export function reportView(report: PreflightReport): {
  findings: FindingView[];
  fixes: FixView[];
  fixById: Map<string, Fix>;
} {
  const fixById = new Map<string, Fix>();
  const fixes: FixView[] = [];
  const findings = report.findings.map((f, index): FindingView => {
    const view: FindingView = { node: f.node, severity: f.severity, message: f.message, hint: f.hint };
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
