// The guided flows' checkboxes (migrate from a classic gateway, roll back to classic), kept beside the spec in
// `.gateway-cluster/checklists/<cluster id>.json`: they outlive the panel, a window reload and the editor, and
// say what was done in the management platform, where the extension cannot look. Nothing secret is in them.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

type Marks = Record<string, Record<string, boolean>>;

export class ChecklistStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

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
    this.writing = this.writing.then(async () => {
      const all = await this.readAll();
      all[flow] = { ...(all[flow] ?? {}), [id]: done };
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, `${JSON.stringify(all, null, 2)}\n`);
      await fs.rename(temporary, this.file);
    });
    return this.writing;
  }
}
