// The HTTPS probe validate-cluster uses to see whether the Gateway Manager answers at the floating IP: one GET
// of `/`, no credentials, no redirect followed. The certificate is always verified (the system's CAs, with
// NODE_EXTRA_CA_CERTS, plus `extraCa`): a server whose certificate this machine does not trust has answered the
// TLS handshake, which is reported as such, and no request is sent to it.
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { HttpsProbe } from '../ops';

const PROBE_TIMEOUT_MS = 5000;

/** Node's codes for a certificate that was presented but is not trusted (or not for this address). */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** `extraCa`: PEM CA certificates trusted beyond the system's (the lab's CA in its tests). */
export function httpsProbe(extraCa: readonly string[] = []): HttpsProbe {
  const ca = extraCa.length ? [...tls.rootCertificates, ...extraCa] : undefined;
  return {
    get(url, signal) {
      return new Promise((resolve, reject) => {
        const request = https.get(url, { ca, timeout: PROBE_TIMEOUT_MS, signal }, (reply) => {
          reply.resume();
          resolve({ status: reply.statusCode ?? 0 });
        });
        request.on('timeout', () =>
          request.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)),
        );
        request.on('error', (error: Error & { code?: string }) =>
          error.code && UNTRUSTED.has(error.code)
            ? resolve({ status: 0, untrusted: error.code })
            : reject(error),
        );
      });
    },
  };
}
