// A run's transcript as people read it: local times, the steps with their nodes, and each command with its
// own output (commands that ran at once on a node are not interleaved). The JSON stays the record for tools.
import type { RunOutcome, StepState, TranscriptCommand, TranscriptRecord } from './records';

const STATE_WORDS: Record<StepState | RunOutcome, string> = {
  pending: 'not run',
  running: 'running',
  skipped: 'already done',
  succeeded: 'succeeded',
  failed: 'FAILED',
  cancelled: 'cancelled',
};

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `2026-12-05 14:03:12` in the reader's time zone (or the one given, for tests). */
export function localTime(epochMs: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

function commandBlock(c: TranscriptCommand, timeZone?: string): string[] {
  const exit = c.error
    ? c.error
    : c.exitCode === undefined
      ? 'no exit code'
      : `exit ${c.exitCode ?? 'signal'}`;
  const lines = [
    `    ${localTime(c.startedAt, timeZone)}  ${c.node}${c.sudo ? ' (sudo)' : ''}$ ${c.command.split('\n').join('\n      ')}`,
    `      → ${exit}${c.durationMs !== undefined ? `, ${formatDuration(c.durationMs)}` : ''}${c.stdin ? `; stdin: ${c.stdin}` : ''}`,
  ];
  if (c.outputHidden) lines.push('      (output withheld: it holds credentials)');
  for (const line of c.output) lines.push(`      | ${line}`);
  return lines;
}

/** The readable document of a run. */
export function renderTranscript(record: TranscriptRecord, timeZone?: string): string {
  const out: string[] = [
    `${record.operation} — cluster ${record.cluster}${record.dryRun ? ' (dry run)' : ''}`,
    `Started ${localTime(record.startedAt, timeZone)}` +
      (record.outcome
        ? `, ${STATE_WORDS[record.outcome]} after ${formatDuration(record.durationMs)}`
        : ', still running (or interrupted)'),
    `Run ${record.runId}`,
  ];
  if (record.failure) {
    const f = record.failure;
    out.push(
      '',
      `Failed: ${f.stepTitle}${f.node ? ` on ${f.node}` : ''}: ${f.message}`,
      ...(f.command ? [`Command: ${f.command}${f.exitCode != null ? ` (exit ${f.exitCode})` : ''}`] : []),
      `What to do: ${f.hint}`,
    );
  }
  record.steps.forEach((step, index) => {
    const duration = step.durationMs !== undefined ? ` (${formatDuration(step.durationMs)})` : '';
    out.push('', `${index + 1}. ${step.title} — ${STATE_WORDS[step.state]}${duration}`);
    if (step.reason) out.push(`   ${step.reason}`);
    if (step.summary) out.push(`   ${step.summary}`);
    for (const [node, row] of Object.entries(step.nodes)) {
      const note = row.reason ?? row.summary;
      out.push(
        `   ${node}: ${STATE_WORDS[row.state]}${row.durationMs !== undefined ? ` (${formatDuration(row.durationMs)})` : ''}${note ? ` — ${note}` : ''}`,
      );
    }
    for (const line of step.log) out.push(`   · ${line}`);
    const commands = record.commands.filter((c) => c.step === step.id);
    if (commands.length) out.push('   Commands:');
    // One node's commands together, in the order they started.
    const nodes = [...new Set(commands.map((c) => c.node))];
    for (const node of nodes)
      for (const c of commands.filter((x) => x.node === node)) out.push(...commandBlock(c, timeZone));
  });
  return out.join('\n') + '\n';
}
