// Runs inside a node's network namespace (via `ip netns exec`): opens one listening socket on ADDRESS:PORT
// (a LoadBalancer address MetalLB announces from this node), hands it to the lab controller over IPC, exits.
'use strict';
const net = require('node:net');

const [address, port] = process.argv.slice(2);
const server = net.createServer();
server.listen({ host: address, port: Number(port), backlog: 511 }, () =>
  process.send({ port: Number(port) }, server),
);
server.on('error', (error) => {
  process.stderr.write(`listen ${address}:${port}: ${error.message}\n`);
  process.exit(1);
});
process.on('message', () => {
  server.close();
  process.exit(0);
});
