// Which spec secrets an operation needs before it starts: the catalog's roles, by the names the spec gives.
import assert from 'node:assert/strict';
import { OPERATION_NAMES, requiredSecrets } from '../../../src/ops';
import { labModel } from './fake-cluster';

describe('ops/secret-inputs: the secrets an operation needs', () => {
  it('deploy needs the manager password, register the activation token, the others none (key auth)', () => {
    const model = labModel(3);
    const names = Object.fromEntries(
      OPERATION_NAMES.map((op) => [op, requiredSecrets(op, model).map((s) => `${s.name}: ${s.what}`)]),
    );
    assert.deepEqual(names, {
      ...Object.fromEntries(OPERATION_NAMES.map((op) => [op, []])),
      deploy: ['lab-manager-password: the Gateway Manager password'],
      register: ['lab-activation-token: the activation token'],
    });
  });

  it('adds SSH login passwords (spec-wide and per node, each once) and the proxy credentials', () => {
    const model = labModel(3);
    model.ssh.passwordSecret = 'ssh-pw';
    model.nodes[0]!.ssh.passwordSecret = 'ssh-pw';
    model.nodes[2]!.ssh.passwordSecret = 'gw3-pw';
    model.network.proxy = { http: 'http://proxy:3128', noProxy: [], credentialsSecret: 'proxy-creds' };
    assert.deepEqual(
      requiredSecrets('deploy', model).map((s) => [s.name, s.what]),
      [
        ['ssh-pw', 'the SSH password for gw-1, gw-2'],
        ['gw3-pw', 'the SSH password for gw-3'],
        ['lab-manager-password', 'the Gateway Manager password'],
        ['proxy-creds', 'the proxy credentials'],
      ],
    );
    assert.deepEqual(
      requiredSecrets('join', model).map((s) => s.name),
      ['ssh-pw', 'gw3-pw'],
    );
  });

  it('leaves out a role the spec names no secret for', () => {
    const model = labModel(1);
    model.registration = undefined;
    assert.deepEqual(requiredSecrets('register', model), []);
  });
});
