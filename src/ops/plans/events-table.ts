// The cluster's events as a table for people (diagnostics' events.txt), oldest first, with absolute times: the
// file is read later, when "2m ago" would mean nothing.
type Loose = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function eventsTable(list: Record<string, unknown>): { text: string; count: number } {
  const items = (Array.isArray(list.items) ? list.items : []) as Loose[];
  const rows = items.map((e) => {
    const object = (e.involvedObject ?? {}) as Loose;
    const meta = (e.metadata ?? {}) as Loose;
    const time = text(e.lastTimestamp) || text(e.eventTime) || text(meta.creationTimestamp);
    const count = typeof e.count === 'number' && e.count > 1 ? ` (x${e.count})` : '';
    return {
      time,
      cells: [
        time,
        text(e.type),
        text(e.reason),
        `${text(object.kind).toLowerCase()}/${text(object.namespace) ? `${text(object.namespace)}/` : ''}${text(object.name)}`,
        `${text(e.message).replace(/\s*\n\s*/g, ' ')}${count}`,
      ],
    };
  });
  rows.sort((a, b) => a.time.localeCompare(b.time));
  const header = ['TIME', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return { text: [line(header), ...rows.map((r) => line(r.cells))].join('\n') + '\n', count: rows.length };
}
