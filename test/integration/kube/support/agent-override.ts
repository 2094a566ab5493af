// What VS Code's extension host does to https requests with http.proxySupport "override": every request's
// agent is replaced by the editor's own, so whatever lived only on the original agent (the Kubernetes
// client's CA, client certificate and key) is gone. Simulated with a plain agent; restore() undoes it.
import * as https from 'node:https';

type RequestFn = typeof https.request;

/** Replaces the agent of every https request with a plain one, as the extension host does. */
export function overrideAgents(): { restore(): void; readonly requests: number } {
  const plain = new https.Agent();
  const original = { request: https.request, get: https.get };
  let requests = 0;
  const withPlainAgent = (args: unknown[]): unknown[] => {
    requests++;
    const [first, second, ...rest] = args;
    if (typeof first === 'string' || first instanceof URL) {
      if (second && typeof second === 'object') return [first, { ...second, agent: plain }, ...rest];
      return [first, { agent: plain }, ...args.slice(1)];
    }
    return [{ ...(first as object), agent: plain }, ...args.slice(1)];
  };
  const wrap = (fn: RequestFn): RequestFn =>
    ((...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(...withPlainAgent(args))) as RequestFn;
  // The builtin's own exports object, shared by every importer (the client library's node-fetch included);
  // what `import * as` gives here is a read-only copy.
  const mod = process.getBuiltinModule('node:https') as { request: RequestFn; get: RequestFn };
  mod.request = wrap(original.request);
  mod.get = wrap(original.get);
  return {
    restore: () => {
      mod.request = original.request;
      mod.get = original.get;
      plain.destroy();
    },
    get requests() {
      return requests;
    },
  };
}
