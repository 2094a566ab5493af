// The API's streaming subresources over WebSocket, as the kubelet serves them behind the API server:
// `pods/exec` (channel protocols v5.channel.k8s.io and v4.channel.k8s.io: 0 stdin, 1 stdout, 2 stderr,
// 3 the Status, 4 resize, 255 close-stream in v5) runs a real process inside the pod's node namespace;
// `pods/portforward` (v4.channel.k8s.io or none: per port a data and an error channel, each starting with
// the port as two little-endian bytes) connects to the port on the pod's node, where the lab's pod apps
// listen (pod-apps.ts).
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { ApiContext } from './kube-api';
import { isAuthorized } from './kube-api';
import type { Json } from '../types';
import { metaOf } from '../types';
import { startExec } from './exec-process';
import { acceptWebSocket, isWebSocketUpgrade, offeredProtocols, refuseUpgrade } from './websocket';

const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const FORWARD_PROTOCOLS = ['v4.channel.k8s.io'];

export interface StreamingContext extends ApiContext {
  /** The node's holder PID and the lab user's uid, to enter its namespaces. */
  nodeProcess(index: number): { holderPid: number; uid: number };
}

export function handleUpgrade(
  ctx: StreamingContext,
  index: number,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  socket.on('error', () => undefined);
  if (!isAuthorized(req, ctx.token)) return refuseUpgrade(socket, 401, 'Unauthorized', 'Unauthorized');
  const url = new URL(req.url ?? '/', 'https://lab');
  const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|portforward)$/.exec(url.pathname);
  if (!match) return refuseUpgrade(socket, 400, 'BadRequest', 'Upgrade request required');
  // The request is checked before the protocol: kubectl retries a refused WebSocket upgrade with SPDY, and
  // the API server's answer to that one (a bad container, say) is what it prints.
  const spdyOnly = !isWebSocketUpgrade(req);
  const noSpdy = () =>
    refuseUpgrade(
      socket,
      400,
      'BadRequest',
      'the lab serves exec and port-forward over WebSocket only, not SPDY',
    );
  const [, namespace = '', name = '', sub] = match;
  const cluster = ctx.model.clusterOf(index);
  const pod = ctx.model.findPod(cluster, decodeURIComponent(namespace), decodeURIComponent(name));
  if (!pod) return refuseUpgrade(socket, 404, 'NotFound', `pods "${decodeURIComponent(name)}" not found`);
  const phase = String((pod.object.status as Json).phase);
  if (phase !== 'Running' || pod.terminating)
    return refuseUpgrade(socket, 400, 'BadRequest', `pod ${name} does not have a host assigned`);
  const labIndex = cluster.k8sNodes.get(pod.nodeName)?.labIndex;
  if (labIndex === null || labIndex === undefined)
    return refuseUpgrade(socket, 500, 'InternalError', `node ${pod.nodeName} is not a lab node`);
  const offered = offeredProtocols(req);
  if (sub === 'exec') {
    const containers = ((pod.object.spec as Json).containers as Json[]).map((c) => ({
      name: String(c.name),
      image: String(c.image),
    }));
    const containerName =
      url.searchParams.get('container') ?? (containers.length === 1 ? containers[0]?.name : undefined);
    const container = containers.find((c) => c.name === containerName);
    if (!container)
      return refuseUpgrade(
        socket,
        400,
        'BadRequest',
        containerName
          ? `container ${containerName} is not valid for pod ${name}`
          : `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`,
      );
    const command = url.searchParams.getAll('command');
    if (command.length === 0)
      return refuseUpgrade(socket, 400, 'BadRequest', 'you must specify at least 1 command');
    if (spdyOnly) return noSpdy();
    const protocol = EXEC_PROTOCOLS.find((p) => offered.includes(p));
    if (!protocol)
      return refuseUpgrade(socket, 400, 'BadRequest', `unsupported subprotocols: ${offered.join(', ')}`);
    const ws = acceptWebSocket(req, socket, head, protocol);
    ctx.log(`exec ${namespace}/${name} ${container.name}: ${command[0] ?? ''}`);
    startExec(
      ws,
      {
        ...ctx.nodeProcess(labIndex),
        pod: String(metaOf(pod.object).name),
        image: container.image,
        command,
        tty: url.searchParams.get('tty') === 'true' || url.searchParams.get('tty') === '1',
        stdin: url.searchParams.get('stdin') === 'true' || url.searchParams.get('stdin') === '1',
      },
      ctx.log,
    );
    return;
  }
  const ports = url.searchParams
    .getAll('ports')
    .flatMap((p) => p.split(','))
    .map(Number);
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))
    return refuseUpgrade(socket, 400, 'BadRequest', 'query parameter "port" is required');
  if (spdyOnly) return noSpdy();
  const protocol = FORWARD_PROTOCOLS.find((p) => offered.includes(p)) ?? '';
  const ws = acceptWebSocket(req, socket, head, protocol);
  forwardPorts(ws, ctx.model.node(labIndex).address, ports, String(metaOf(pod.object).uid));
}

/** One TCP connection per port, to the pod's node; channel 2i carries data, 2i+1 errors. */
function forwardPorts(
  ws: ReturnType<typeof acceptWebSocket>,
  address: string,
  ports: number[],
  uid: string,
): void {
  const prefix = (port: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(port);
    return b;
  };
  const sockets = ports.map((port, i) => {
    const data = 2 * i;
    const error = 2 * i + 1;
    ws.send(Buffer.concat([Buffer.from([data]), prefix(port)]));
    ws.send(Buffer.concat([Buffer.from([error]), prefix(port)]));
    const socket = net.connect({ host: address, port });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => ws.send(Buffer.concat([Buffer.from([data]), chunk])));
    socket.on('error', (err) => {
      ws.send(
        Buffer.concat([
          Buffer.from([error]),
          Buffer.from(
            `error forwarding port ${port} to pod ${uid}, uid : failed to connect to localhost:${port} inside the pod's network namespace: ${err.message}`,
          ),
        ]),
      );
      ws.close();
    });
    socket.on('close', () => ws.close());
    return socket;
  });
  ws.onMessage((message) => {
    const channel = message[0] ?? 0;
    const socket = sockets[channel / 2];
    if (channel % 2 !== 0 || !socket) return;
    socket.write(message.subarray(1));
  });
  ws.onClose(() => {
    for (const socket of sockets) socket.destroy();
  });
}
