// The guided flows' checkboxes (migrate from a classic gateway, roll back to classic), kept beside the spec in
// `.gateway-cluster/checklists/<cluster id>.json`: they outlive the panel, a window reload and the editor, and
// say what was done in the management platform, where the extension cannot look. Nothing secret is in them.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

type Marks = Record<string, Record<string, boolean>>;

export class ChecklistStore {
  private writing: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(flow: string) => void>();

  constructor(readonly file: string) {}

  /** Hears which flow's marks changed (an open panel redraws its checklist). */
  onDidChange(listener: (flow: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async readAll(): Promise<Marks> {
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(this.file, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Marks) : {};
    } catch {
      return {};
    }
  }

  /** The items of `flow` marked done. */
  async read(flow: string): Promise<Record<string, boolean>> {
    await this.writing;
    const marks = (await this.readAll())[flow];
    return marks && typeof marks === 'object' ? { ...marks } : {};
  }

  /** Marks (or clears) one item; writes go one after the other, each the whole file replaced at once. */
  set(flow: string, id: string, done: boolean): Promise<void> {
    return this.update(flow, (all) => {
      all[flow] = { ...(all[flow] ?? {}), [id]: done };
    });
  }

  /** Clears every mark of `flow` (the flow starts over). */
  clear(flow: string): Promise<void> {
    return this.update(flow, (all) => {
      delete all[flow];
    });
  }

  private update(flow: string, change: (all: Marks) => void): Promise<void> {
    this.writing = this.writing.then(async () => {
      const all = await this.readAll();
      change(all);
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, `${JSON.stringify(all, null, 2)}\n`);
      await fs.rename(temporary, this.file);
    });
    const written = this.writing;
    void written.then(
      () => {
        for (const listener of [...this.listeners]) listener(flow);
      },
      () => undefined,
    );
    return written;
  }
}
