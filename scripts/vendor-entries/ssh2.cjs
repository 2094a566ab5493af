// What dist/vendor/ssh2.js exports: ssh2's own index without the SSH server, key generation, agents and HTTP
// agents, which src/ never uses (src/remote/connection.ts: Client; src/remote/auth.ts: utils.parseKey). A name
// used from 'ssh2' in src/ but missing here fails test/unit/vendor-bundle.test.ts.
const { parseKey } = require('ssh2/lib/protocol/keyParser.js');
const { flagsToString, OPEN_MODE, STATUS_CODE, stringToFlags } = require('ssh2/lib/protocol/SFTP.js');

module.exports = {
  Client: require('ssh2/lib/client.js'),
  utils: { parseKey, sftp: { flagsToString, OPEN_MODE, STATUS_CODE, stringToFlags } },
};
