// OpenSSH's workstation conventions, held for each platform (CI runs on Linux; the platform is a value here).
import assert from 'node:assert/strict';
import {
  WINDOWS_OPENSSH_AGENT,
  defaultAgent,
  defaultKeyFiles,
  defaultUser,
  expandHome,
  cliKnownHostsFile,
  keyFileTooOpen,
  userKnownHostsFile,
  type Workstation,
} from '../../../src/remote/platform';

const linux: Workstation = { platform: 'linux', env: {}, homeDir: '/home/jane', username: 'jane' };
const mac: Workstation = { platform: 'darwin', env: {}, homeDir: '/Users/jane', username: 'jane' };
const windows: Workstation = {
  platform: 'win32',
  env: {},
  homeDir: 'C:\\Users\\Jane Doe',
  username: 'Jane Doe',
};

describe('remote: the workstation as OpenSSH sees it', () => {
  it('asks the agent SSH_AUTH_SOCK names, else the Windows OpenSSH agent pipe on Windows, else none', () => {
    assert.equal(
      defaultAgent({ ...linux, env: { SSH_AUTH_SOCK: '/run/user/1000/ssh-agent' } }),
      '/run/user/1000/ssh-agent',
    );
    assert.equal(defaultAgent(linux), undefined);
    assert.equal(defaultAgent(mac), undefined);
    assert.equal(
      defaultAgent({ ...mac, env: { SSH_AUTH_SOCK: '/private/tmp/com.apple.launchd.x/Listeners' } }),
      '/private/tmp/com.apple.launchd.x/Listeners',
    );
    assert.equal(defaultAgent(windows), WINDOWS_OPENSSH_AGENT);
    assert.equal(WINDOWS_OPENSSH_AGENT, '\\\\.\\pipe\\openssh-ssh-agent');
    assert.equal(defaultAgent({ ...windows, env: { SSH_AUTH_SOCK: 'pageant' } }), 'pageant');
  });

  it("keeps the command line's own known_hosts in each platform's folder for user settings", () => {
    assert.equal(cliKnownHostsFile(linux), '/home/jane/.config/gateway-cluster/known_hosts');
    assert.equal(
      cliKnownHostsFile({ ...linux, env: { XDG_CONFIG_HOME: '/srv/conf' } }),
      '/srv/conf/gateway-cluster/known_hosts',
    );
    // A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
    assert.equal(
      cliKnownHostsFile({ ...linux, env: { XDG_CONFIG_HOME: 'conf' } }),
      '/home/jane/.config/gateway-cluster/known_hosts',
    );
    assert.equal(
      cliKnownHostsFile(mac),
      '/Users/jane/Library/Application Support/gateway-cluster/known_hosts',
    );
    assert.equal(
      cliKnownHostsFile({ ...windows, env: { APPDATA: 'C:\\Users\\Jane Doe\\AppData\\Roaming' } }),
      'C:\\Users\\Jane Doe\\AppData\\Roaming\\gateway-cluster\\known_hosts',
    );
    assert.equal(
      cliKnownHostsFile(windows),
      'C:\\Users\\Jane Doe\\AppData\\Roaming\\gateway-cluster\\known_hosts',
    );
  });

  it('takes the local login name as the default user only where a VM can have it', () => {
    assert.equal(defaultUser(linux), 'jane');
    assert.equal(defaultUser({ ...windows, username: 'jdoe' }), 'jdoe');
    assert.throws(() => defaultUser(windows), /"Jane Doe" cannot be a user on the VMs: set ssh\.user/);
  });

  it('expands ~ and finds known_hosts and the default keys where each platform keeps them', () => {
    assert.equal(expandHome('~/.ssh/gw', linux), '/home/jane/.ssh/gw');
    assert.equal(expandHome('~', mac), '/Users/jane');
    assert.equal(expandHome('~\\.ssh\\gw', windows), 'C:\\Users\\Jane Doe\\.ssh\\gw');
    assert.equal(expandHome('~\\.ssh\\gw', linux), '~\\.ssh\\gw', 'a backslash is a name character on POSIX');
    assert.equal(expandHome('/etc/keys/gw', linux), '/etc/keys/gw');
    assert.equal(userKnownHostsFile(linux), '/home/jane/.ssh/known_hosts');
    assert.equal(userKnownHostsFile(windows), 'C:\\Users\\Jane Doe\\.ssh\\known_hosts');
    assert.deepEqual(defaultKeyFiles(mac), [
      '/Users/jane/.ssh/id_ed25519',
      '/Users/jane/.ssh/id_ecdsa',
      '/Users/jane/.ssh/id_rsa',
    ]);
  });

  it('refuses a private key others can read on POSIX, as OpenSSH does; Windows access is by ACL', () => {
    assert.equal(keyFileTooOpen(0o100600, linux), undefined);
    assert.equal(keyFileTooOpen(0o100400, mac), undefined);
    assert.match(keyFileTooOpen(0o100644, linux)!, /permissions 0644 let others read it; run chmod 600/);
    assert.match(keyFileTooOpen(0o100640, mac)!, /0640/);
    assert.equal(keyFileTooOpen(0o100666, windows), undefined);
  });
});
