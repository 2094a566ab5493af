// Talks to dist/spec-worker.js: one worker thread, started on the first large spec, one request at a time.
// A request waiting for its turn is replaced by a newer one for the same document (typing in a large file
// queues one validation, not one per pause), and both callers get the newer result.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { PortableResult } from './portable-result';
import type { WorkerRequest, WorkerResponse } from './spec-worker';

/** A result with the request it answers (a newer one than asked for, when that replaced it in the queue). */
export interface WorkerAnswer {
  result: PortableResult;
  text: string;
  /** The caller's tag of the request that ran (a document version). */
  tag: number;
}

interface Job {
  key: string;
  tag: number;
  request: Omit<WorkerRequest, 'id'>;
  waiters: Array<{ resolve: (answer: WorkerAnswer) => void; reject: (error: Error) => void }>;
}

export class SpecWorkerClient {
  private worker: Worker | undefined;
  private unavailable: boolean | undefined;
  private running: { id: number; job: Job } | undefined;
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(
    private readonly script: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Whether the worker can be used (its script exists and it has not failed to start). */
  get available(): boolean {
    this.unavailable ??= !existsSync(this.script);
    return !this.unavailable;
  }

  validate(key: string, tag: number, request: Omit<WorkerRequest, 'id'>): Promise<WorkerAnswer> {
    return new Promise((resolve, reject) => {
      const queued = this.queue.find((job) => job.key === key);
      if (queued && queued.tag <= tag) {
        queued.tag = tag;
        queued.request = request;
        queued.waiters.push({ resolve, reject });
      } else {
        this.queue.push({ key, tag, request, waiters: [{ resolve, reject }] });
      }
      this.pump();
    });
  }

  private start(): Worker {
    const worker = new Worker(this.script);
    // Idle, it must not keep the extension host alive.
    worker.unref();
    worker.on('message', (response: WorkerResponse) => this.settle(response));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(worker, new Error(`the validation worker exited (${code})`));
    });
    return worker;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift() as Job;
    if (!this.available) {
      for (const waiter of job.waiters) waiter.reject(new Error('the validation worker is not available'));
      this.pump();
      return;
    }
    try {
      this.worker ??= this.start();
    } catch (error) {
      this.unavailable = true;
      this.warn(`Validation worker could not start: ${String(error)}`);
      for (const waiter of job.waiters) waiter.reject(error as Error);
      this.pump();
      return;
    }
    const id = this.nextId++;
    this.running = { id, job };
    this.worker.ref();
    this.worker.postMessage({ id, ...job.request } satisfies WorkerRequest);
  }

  private settle(response: WorkerResponse): void {
    const running = this.running;
    if (!running || running.id !== response.id) return;
    this.running = undefined;
    this.worker?.unref();
    for (const waiter of running.job.waiters) {
      if ('result' in response)
        waiter.resolve({ result: response.result, text: running.job.request.text, tag: running.job.tag });
      else waiter.reject(new Error(response.error));
    }
    this.pump();
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.warn(`Validation worker failed: ${error.message}`);
    const running = this.running;
    this.running = undefined;
    for (const waiter of running?.job.waiters ?? []) waiter.reject(error);
    // The next request starts a new worker.
    this.pump();
  }

  dispose(): void {
    this.unavailable = true;
    const worker = this.worker;
    this.worker = undefined;
    const error = new Error('the validation worker was stopped');
    for (const job of [...(this.running ? [this.running.job] : []), ...this.queue.splice(0)])
      for (const waiter of job.waiters) waiter.reject(error);
    this.running = undefined;
    void worker?.terminate();
  }
}
