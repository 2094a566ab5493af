// The HTTPS probe validate-cluster uses to see whether the Gateway Manager answers at the floating IP: one GET
// of `/`, no credentials, no redirect followed. The Gateway Manager serves a self-signed certificate, and the
// probe sends nothing worth protecting, so the certificate is not verified (what counts is that it answers).
import * as https from 'node:https';
import type { HttpsProbe } from '../ops';

const PROBE_TIMEOUT_MS = 5000;

export const httpsProbe: HttpsProbe = {
  get(url, signal) {
    return new Promise((resolve, reject) => {
      const request = https.get(
        url,
        { rejectUnauthorized: false, timeout: PROBE_TIMEOUT_MS, signal },
        (reply) => {
          reply.resume();
          resolve({ status: reply.statusCode ?? 0 });
        },
      );
      request.on('timeout', () =>
        request.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)),
      );
      request.on('error', reject);
    });
  },
};
