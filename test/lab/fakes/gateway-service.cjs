#!/usr/bin/env node
// The lab's stand-in for a running management gateway (`systemctl start mgmt_gateway`): a TLS server on the
// gateway port with a certificate from the lab's CA naming the gateway. `GET /healthcheck` answers 200 (what
// HAProxy's `option httpchk` asks for); anything else answers 200 with the gateway's name, so a client sees
// which gateway the load balancer chose. Plain JS, started detached inside the node's namespaces.
'use strict';
const fs = require('node:fs');
const tls = require('node:tls');

const [certPath, keyPath, portText, name] = process.argv.slice(2);
const server = tls.createServer(
  { cert: fs.readFileSync(certPath), key: fs.readFileSync(keyPath) },
  (socket) => {
    let request = '';
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      request += chunk;
      if (!request.includes('\r\n\r\n') && !request.includes('\n\n')) return;
      const body = /^GET \/healthcheck[ ?]/.test(request) ? '{"status":"UP"}\n' : `gateway ${name}\n`;
      socket.end(
        `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
  },
);
server.on('tlsClientError', () => undefined);
server.listen(Number(portText), '0.0.0.0', () => process.stdout.write(`listening on ${portText}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
