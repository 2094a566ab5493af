// Questions on the user's terminal: a secret read without echo (raw mode; Ctrl-C cancels), a yes/no
// confirmation. Without a terminal on stdin nothing is asked: the caller refuses instead (exit 2).
import { createInterface } from 'node:readline/promises';
import type { ReadStream } from 'node:tty';

export interface Terminal {
  /** Whether questions can be asked (stdin is a terminal). */
  readonly interactive: boolean;
  /** A secret, typed without echo; undefined when the user cancelled (Ctrl-C, or Ctrl-D on an empty line). */
  askHidden(question: string): Promise<string | undefined>;
  /** A yes/no question; only "y" or "yes" is yes. */
  confirm(question: string): Promise<boolean>;
  /** A line typed with echo (a node's name to confirm a removal); undefined without a terminal. */
  ask(question: string): Promise<string | undefined>;
}

export interface TerminalStreams {
  input: NodeJS.ReadableStream & Partial<Pick<ReadStream, 'isTTY' | 'isRaw' | 'setRawMode'>>;
  /** Where questions are written (stderr, so that stdout stays the operation's output). */
  output: NodeJS.WritableStream;
  /** Called before each question (the live progress lines step aside) and after it. */
  aside?: <T>(ask: () => Promise<T>) => Promise<T>;
}

export function streamTerminal(streams: TerminalStreams): Terminal {
  const { input } = streams;
  const interactive = Boolean(input.isTTY && input.setRawMode);
  // One question at a time: parallel steps may need the same secret at once.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(ask: () => Promise<T>): Promise<T> => {
    const next = queue.then(() => (streams.aside ? streams.aside(ask) : ask()));
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    interactive,
    askHidden: (question) =>
      interactive ? serial(() => readHidden(streams, question)) : Promise.resolve(undefined),
    confirm: (question) => (interactive ? serial(() => readYes(streams, question)) : Promise.resolve(false)),
    ask: (question) => (interactive ? serial(() => readLine(streams, question)) : Promise.resolve(undefined)),
  };
}

function readHidden({ input, output }: TerminalStreams, question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    // Echo off before the question shows: nothing typed after it can be echoed.
    const wasRaw = Boolean(input.isRaw);
    input.setRawMode!(true);
    output.write(question);
    input.resume();
    let value: string[] = [];
    const done = (result: string | undefined) => {
      input.off('data', onData);
      input.setRawMode!(wasRaw);
      input.pause();
      output.write('\n');
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return done(value.join(''));
        if (ch === '\u0003' || (ch === '\u0004' && value.length === 0)) return done(undefined);
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch === '\u0015') value = [];
        else if (ch >= ' ') value.push(ch);
      }
    };
    input.on('data', onData);
  });
}

async function readYes(streams: TerminalStreams, question: string): Promise<boolean> {
  return /^\s*y(es)?\s*$/i.test((await readLine(streams, `${question} [y/N] `)) ?? '');
}

async function readLine({ input, output }: TerminalStreams, question: string): Promise<string> {
  const rl = createInterface({ input, output, terminal: true });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
    input.pause();
  }
}
