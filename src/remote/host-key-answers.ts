// The user's answers about unknown host keys, one question per key: verifications of the same key of the same
// host (address:port and fingerprint) share one pending answer. A run keeps its answers to the end (see
// SshPool.forRun): a declined key is not asked about again, nor trusted, by any other connection of the run.
import type { HostKeyQuestion } from './types';

export type AskHostKey = (question: HostKeyQuestion) => Promise<boolean>;

export class HostKeyAnswers {
  private readonly answers = new Map<string, Promise<boolean>>();

  constructor(
    private readonly ask: AskHostKey,
    /** Keep each answer once given (a run's); otherwise only the pending questions are shared. */
    private readonly keep: boolean,
  ) {}

  /** True to trust the key; the user is asked only when no answer for this key is pending (or kept). */
  confirmHostKey(question: HostKeyQuestion): Promise<boolean> {
    const key = `${question.address}:${question.port} ${question.fingerprint}`;
    const known = this.answers.get(key);
    if (known) return known;
    const answer = this.ask(question);
    this.answers.set(key, answer);
    const forget = () => {
      if (this.answers.get(key) === answer) this.answers.delete(key);
    };
    // A prompt that failed (the editor closed it) is no answer: the next connection asks again.
    answer.then(() => (this.keep ? undefined : forget()), forget);
    return answer;
  }
}
