// Which spec secrets an operation needs before it starts: the catalog's roles, by the names the spec gives.
import assert from 'node:assert/strict';
import { OPERATION_NAMES, requiredSecrets } from '../../../src/ops';
import { labModel } from './fake-cluster';
import { EXAMPLE_LOAD_BALANCED_SPEC, validateText } from '../../../src/cluster-spec';

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

describe('ops/secret-inputs: the load-balanced operations', () => {
  it("install needs the install key and the gateway password; configure-agents the agents' key and the password", () => {
    const model = validateText(EXAMPLE_LOAD_BALANCED_SPEC, 'cluster.yaml', { offline: true }).documents[0]!
      .model!;
    model.loadBalancer!.ssh = { ...model.loadBalancer!.ssh, passwordSecret: 'lb-ssh' };
    const names = (op: 'install' | 'configure-lb' | 'configure-agents') =>
      requiredSecrets(op, model).map((s) => `${s.name}: ${s.what}`);
    assert.deepEqual(names('install'), [
      'lb-ssh: the SSH password for lb-1',
      'mgw-install-key: the install key',
      'mgw-gateway-password: the gateway password',
    ]);
    assert.deepEqual(names('configure-lb'), ['lb-ssh: the SSH password for lb-1']);
    assert.deepEqual(names('configure-agents'), [
      'lb-ssh: the SSH password for lb-1',
      "mgw-install-key: the agents' install key",
      'mgw-gateway-password: the gateway password',
    ]);
  });
});
