// The load-balanced drill's report as the panel's timeline (the node-failure drill's section shows it): each
// moment's offset from the stop, and what governs the times (HAProxy's inter, fall and rise; the retries).
import type { LbDrillReport } from '../ops';
import { formatDuration } from '../ops/plans/drill-timeline';
import type { WizardView } from './protocol';

export function lbTimelineView(report: LbDrillReport): NonNullable<WizardView['timeline']> {
  const stop = report.entries.find((e) => e.kind === 'stopped')?.at ?? report.entries[0]?.at ?? 0;
  const { interMs, fall, rise } = report;
  const client = report.client;
  return {
    entries: report.entries.map((e) => ({
      kind: e.kind,
      offset: `+${formatDuration(Math.max(0, e.at - stop))}`,
      label: e.label,
    })),
    explanation: [
      `HAProxy checks each gateway every ${formatDuration(interMs)} (interMs) and marks it DOWN after ${fall} failed checks in a row (fall): between ${formatDuration((fall - 1) * interMs)} and ${formatDuration(fall * interMs)} after it fails, plus the check's own time.`,
      `A DOWN gateway is UP again after ${rise} passing checks (rise): about ${formatDuration(rise * interMs)} after it answers.`,
      'Meanwhile a connection HAProxy sends to the stopped gateway is refused, retried (retries 3) and sent to another gateway (option redispatch): the clients see no failure.',
      'The tree reads the same state from the runtime API (show stat) every few seconds while it shows the load balancer.',
    ],
    ...(client
      ? {
          outcome: `${client.ok} of ${client.ok + client.failed} connections through the load balancer succeeded`,
        }
      : {}),
  };
}
