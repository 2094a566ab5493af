// Runs inside a node's network namespace (via `ip netns exec`): opens the node's listening sockets for the
// fake API (16443), the cluster agent (25000) and the ports the lab's pods serve on that node (80 nginx,
// 5480 the Gateway Manager, 6379 redis), hands them to the lab controller over IPC and exits.
'use strict';
const net = require('node:net');

const address = process.argv[2];
const servers = [16443, 25000, 80, 5480, 6379].map((port) => {
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
