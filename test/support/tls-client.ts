// A bounded TLS client for the load balancer's frontends (tests and benches): `concurrency` loops of
// connect, GET, read the answer, close — until `stop()` or `total` connections — counting the ones that
// failed (refused, reset, timed out, or no HTTP answer) and which gateway answered the others.
import * as tls from 'node:tls';

export interface ClientLoopResult {
  ok: number;
  failed: number;
  /** Failures by error code (ECONNRESET, ECONNREFUSED, timeout, empty). */
  errors: Record<string, number>;
  /** Answers per gateway (`gateway mgw-1` in the lab's TLS service). */
  gateways: Record<string, number>;
  durationMs: number;
}

export interface ClientLoop {
  readonly result: Promise<ClientLoopResult>;
  /** Connections finished so far. */
  count(): number;
  stop(): void;
}

function once(host: string, port: number, timeoutMs: number): Promise<{ gateway?: string; error?: string }> {
  return new Promise((resolve) => {
    let body = '';
    let done = false;
    const finish = (value: { gateway?: string; error?: string }) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(value);
    };
    // The gateways' certificates come from the lab's CA: this client only counts answers, it trusts nothing.
    const socket = tls.connect({ host, port, rejectUnauthorized: false }, () =>
      socket.write('GET / HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n'),
    );
    socket.setTimeout(timeoutMs, () => finish({ error: 'timeout' }));
    socket.on('data', (chunk: Buffer) => (body += chunk.toString()));
    socket.on('end', () => {
      const gateway = /gateway (\S+)/.exec(body)?.[1];
      finish(/^HTTP\/1\.1 200/.test(body) ? { gateway: gateway ?? '?' } : { error: 'empty' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ?? error.message }));
  });
}

export function startClientLoop(
  host: string,
  port: number,
  options: { concurrency?: number; total?: number; timeoutMs?: number } = {},
): ClientLoop {
  const result: ClientLoopResult = { ok: 0, failed: 0, errors: {}, gateways: {}, durationMs: 0 };
  let stopped = false;
  let started = 0;
  const t0 = performance.now();
  const loop = async (): Promise<void> => {
    while (!stopped && (options.total === undefined || started < options.total)) {
      started++;
      const answer = await once(host, port, options.timeoutMs ?? 5000);
      if (answer.gateway) {
        result.ok++;
        result.gateways[answer.gateway] = (result.gateways[answer.gateway] ?? 0) + 1;
      } else {
        result.failed++;
        const code = answer.error ?? 'unknown';
        result.errors[code] = (result.errors[code] ?? 0) + 1;
      }
    }
  };
  const all = Promise.all(Array.from({ length: options.concurrency ?? 8 }, loop)).then(() => {
    result.durationMs = performance.now() - t0;
    return result;
  });
  return {
    result: all,
    count: () => result.ok + result.failed,
    stop: () => {
      stopped = true;
    },
  };
}
