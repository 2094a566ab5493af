// Runs inside a node's network namespace (via `ip netns exec`): opens the node's listening sockets for the
// fake API (16443) and the cluster agent (25000), hands them to the lab controller over IPC and exits.
'use strict';
const net = require('node:net');

const address = process.argv[2];
const servers = [16443, 25000].map((port) => {
  const server = net.createServer();
  server.listen({ host: address, port, backlog: 511 }, () => process.send({ port }, server));
  server.on('error', (error) => {
    process.stderr.write(`listen ${address}:${port}: ${error.message}\n`);
    process.exit(1);
  });
  return server;
});
process.on('message', () => {
  // The controller holds its own copies of the sockets now.
  for (const server of servers) server.close();
  process.exit(0);
});
