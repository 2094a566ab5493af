// What the lab's pods serve, for port-forward (and a direct connection, the benchmark's reference): on every
// node's address, nginx's page on 80, the Gateway Manager's HTTPS on 5480 (the lab's certificate) and
// redis' PING on 6379. Sockets made inside the node's namespace (listen-helper), served here.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TlsOptions } from 'node:tls';

export const POD_APP_PORTS = [80, 5480, 6379];

export function servePodApp(
  port: number,
  handle: net.Server,
  node: string,
  tls: TlsOptions,
  log: (line: string) => void,
): net.Server {
  let server: net.Server;
  if (port === 6379) {
    server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        const commands = chunk.toString('utf8').toUpperCase().match(/PING/g) ?? [];
        socket.write(commands.map(() => '+PONG\r\n').join('') || '-ERR unknown command\r\n');
      });
    });
  } else {
    const page = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const title = port === 5480 ? 'Gateway Manager' : 'Welcome to nginx!';
      const body = `<!doctype html><title>${title}</title><h1>${title}</h1><p>lab pod on ${node}, ${req.method ?? 'GET'} ${req.url ?? '/'}</p>\n`;
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    server =
      port === 5480 ? https.createServer({ ...tls, requestCert: false }, page) : http.createServer(page);
    (server as http.Server).keepAliveTimeout = 30_000;
  }
  server.on('error', (error) => log(`pod app ${port} on ${node}: ${String(error)}`));
  server.listen(handle);
  return server;
}
