// Transcripts on disk: one JSON file per run under <workspace>/.gateway-cluster/runs/, and index.json that
// the wizard reads to list and reopen past runs. The records arrive masked; nothing here adds secrets.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
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
}

export class FileTranscriptSink implements TranscriptSink {
  readonly dir: string;
  private chain: Promise<void> = Promise.resolve();

  /** `runsDir`: the spec's `.gateway-cluster/runs/`. */
  constructor(runsDir: string) {
    this.dir = runsDir;
  }

  fileOf(runId: string): string {
    return path.join(this.dir, `${runId}.json`);
  }

  write(record: TranscriptRecord): Promise<void> {
    // Writes of one sink are serialised, so the index never loses an entry to a race.
    this.chain = this.chain.then(() => this.writeNow(record)).catch(() => undefined);
    return this.chain;
  }

  private async writeNow(record: TranscriptRecord): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await writeAtomic(this.fileOf(record.runId), JSON.stringify(record, null, 2) + '\n');
    const entries = (await readIndex(this.dir)).filter((e) => e.runId !== record.runId);
    entries.unshift({
      runId: record.runId,
      file: `${record.runId}.json`,
      operation: record.operation,
      cluster: record.cluster,
      startedAt: record.startedAt,
      durationMs: record.durationMs,
      outcome: record.outcome,
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
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text, { mode: 0o600 });
  await fs.rename(tmp, file);
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
