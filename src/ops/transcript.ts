// Transcripts on disk: one JSON file per run under <workspace>/.gateway-cluster/runs/, and index.json that
// the wizard reads to list and reopen past runs. The records arrive masked; nothing here adds secrets.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Backoff } from '../timing';
import type { TranscriptSink } from './ports';
import type { OperationName, RunOutcome, TranscriptRecord } from './records';

export const RUNS_DIR = path.join('.gateway-cluster', 'runs');
export const INDEX_FILE = 'index.json';
/** The index keeps the newest runs; older transcript files stay on disk. */
const INDEX_LIMIT = 200;

export interface RunIndexEntry {
  runId: string;
  file: string;
  operation: OperationName;
  cluster: string;
  startedAt: number;
  durationMs?: number;
  outcome?: RunOutcome;
  /** The failed step's title and node, for the list. */
  failedStep?: string;
  /**
   * Whether a step that changes things ran (TranscriptRecord.changed). Absent in entries written before it
   * existed: readers take those as changed, as they were taken then.
   */
  changed?: boolean;
}

export class FileTranscriptSink implements TranscriptSink {
  readonly dir: string;
  private chain: Promise<void> = Promise.resolve();

  /** `runsDir`: the spec's `.gateway-cluster/runs/`; `onError` hears why a write failed (a run goes on). */
  constructor(
    runsDir: string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {
    this.dir = runsDir;
  }

  fileOf(runId: string): string {
    return path.join(this.dir, `${runId}.json`);
  }

  write(record: TranscriptRecord): Promise<void> {
    // Writes of one sink are serialised, so the index never loses an entry to a race.
    this.chain = this.chain
      .then(() => this.writeNow(record))
      .catch((error: unknown) =>
        this.onError(`Could not write the transcript of ${record.runId}: ${String(error)}`),
      );
    return this.chain;
  }

  private async writeNow(record: TranscriptRecord): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await writeAtomic(this.fileOf(record.runId), JSON.stringify(record, null, 2) + '\n');
    // Another run (another wizard, the CLI) may update the index at the same time: one at a time.
    await withFileLock(path.join(this.dir, `${INDEX_FILE}.lock`), () => this.updateIndex(record));
  }

  private async updateIndex(record: TranscriptRecord): Promise<void> {
    const entries = (await readIndex(this.dir)).filter((e) => e.runId !== record.runId);
    entries.unshift({
      runId: record.runId,
      file: `${record.runId}.json`,
      operation: record.operation,
      cluster: record.cluster,
      startedAt: record.startedAt,
      durationMs: record.durationMs,
      outcome: record.outcome,
      ...(record.changed !== undefined ? { changed: record.changed } : {}),
      failedStep: record.failure
        ? `${record.failure.stepTitle}${record.failure.node ? ` on ${record.failure.node}` : ''}`
        : undefined,
    });
    entries.sort((a, b) => b.startedAt - a.startedAt);
    await writeAtomic(
      path.join(this.dir, INDEX_FILE),
      JSON.stringify(entries.slice(0, INDEX_LIMIT), null, 2) + '\n',
    );
  }
}

async function writeAtomic(file: string, text: string): Promise<void> {
  // A name of its own: two writers in one process must not share a temporary file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, text, { mode: 0o600 });
  await fs.rename(tmp, file);
}

/** Runs `work` holding an exclusive lock file; a lock older than 10 s is left from a crash and taken over. */
async function withFileLock(lock: string, work: () => Promise<void>): Promise<void> {
  const backoff = new Backoff({ initialMs: 5, maxMs: 100 });
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 200) throw error;
      const age = Date.now() - (await fs.stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 10_000) await fs.rm(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, backoff.next()));
    }
  }
  try {
    await work();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

export async function readIndex(runsDir: string): Promise<RunIndexEntry[]> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(path.join(runsDir, INDEX_FILE), 'utf8'));
    return Array.isArray(parsed) ? (parsed as RunIndexEntry[]) : [];
  } catch {
    return [];
  }
}

export async function readTranscript(runsDir: string, runId: string): Promise<TranscriptRecord | undefined> {
  if (!/^[\w.-]+$/.test(runId)) return undefined;
  try {
    return JSON.parse(await fs.readFile(path.join(runsDir, `${runId}.json`), 'utf8')) as TranscriptRecord;
  } catch {
    return undefined;
  }
}

/** Keeps records in memory (tests, and the wizard's live view). */
export class MemoryTranscriptSink implements TranscriptSink {
  readonly writes: TranscriptRecord[] = [];
  latest: TranscriptRecord | undefined;
  async write(record: TranscriptRecord): Promise<void> {
    this.writes.push(record);
    this.latest = record;
  }
}
