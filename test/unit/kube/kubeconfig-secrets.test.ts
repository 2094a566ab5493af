import assert from 'node:assert/strict';
import { kubeconfigSecrets, registerKubeconfigSecrets } from '../../../src/kube/kubeconfig';
import { MASK, Masker } from '../../../src/remote/masker';
import { kubeconfigWithUser } from './fixtures';

const PEM_LINE_1 = 'MC4CAQAwBQYDK2VwBCIEIGxhYmxhYmxhYmxhYmxhYmxhYmxhYmxhYmxhYmxh';
const PEM_LINE_2 = 'c2Vjb25kTGluZU9mVGhlS2V5QmVjYXVzZVJlYWxLZXlzSGF2ZU1vcmVMaW5lcw==';
const PEM = `-----BEGIN PRIVATE KEY-----\n${PEM_LINE_1}\n${PEM_LINE_2}\n-----END PRIVATE KEY-----\n`;
const KEY_DATA = Buffer.from(PEM).toString('base64');
const CERT_DATA = Buffer.from('-----BEGIN CERTIFICATE-----\nQ0VSVElGSUNBVEVDRVJUSUZJQ0FURQ==\n').toString(
  'base64',
);

const kubeconfig = kubeconfigWithUser;

describe('kube: kubeconfig credentials for the masker', () => {
  it('finds the client key and certificate data, the decoded key lines, tokens and passwords', () => {
    const secrets = kubeconfigSecrets(
      kubeconfig(
        `    client-certificate-data: ${CERT_DATA}\n    client-key-data: ${KEY_DATA}\n` +
          `    token: tok-abcdef-123456\n    password: hunter2-but-longer\n`,
      ),
    );
    for (const expected of [
      CERT_DATA,
      KEY_DATA,
      'tok-abcdef-123456',
      'hunter2-but-longer',
      PEM_LINE_1,
      PEM_LINE_2,
    ])
      assert.ok(secrets.includes(expected), `missing ${expected.slice(0, 12)}…`);
    // The CA and the server are public: masking them would only hide useful text.
    assert.ok(!secrets.includes('Q0E='));
    assert.ok(!secrets.some((s) => s.startsWith('-----')));
  });

  it('registers them so that a logged kubeconfig or key shows only masks', () => {
    const text = kubeconfig(`    client-certificate-data: ${CERT_DATA}\n    client-key-data: ${KEY_DATA}\n`);
    const masker = new Masker();
    registerKubeconfigSecrets(masker, text);
    const masked = masker.mask(`${text}\n${PEM}`);
    assert.ok(!masked.includes(KEY_DATA));
    assert.ok(!masked.includes(CERT_DATA));
    assert.ok(!masked.includes(PEM_LINE_1) && !masked.includes(PEM_LINE_2));
    assert.ok(masked.includes(`client-key-data: ${MASK}`));
    assert.ok(masked.includes('server: https://127.0.0.1:16443'));
  });

  it('ignores text that is not a kubeconfig and a missing masker', () => {
    assert.deepEqual(kubeconfigSecrets('not: [valid'), []);
    assert.deepEqual(kubeconfigSecrets('kind: Config\n'), []);
    assert.doesNotThrow(() => registerKubeconfigSecrets(undefined, kubeconfig('    token: abc-def-ghi\n')));
  });
});
