import assert from 'node:assert/strict';
import type { ApiEvent } from '../../../src/clusters';
import {
  claimRow,
  eventRow,
  eventTable,
  registrationRow,
  serviceRow,
  sortEvents,
  warningsInLastHour,
} from '../../../src/tree/core';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const event = (reason: string, type: string, agoMs: number, extra: Partial<ApiEvent> = {}): ApiEvent => ({
  uid: reason,
  namespace: 'default',
  type,
  reason,
  message: `${reason} happened`,
  count: 1,
  first: NOW - agoMs,
  last: NOW - agoMs,
  source: 'kubelet',
  object: { kind: 'Pod', name: 'web-1', namespace: 'default' },
  ...extra,
});

describe('tree model: the cluster’s own objects', () => {
  it('puts the warnings of the last hour first, newest first, then the rest newest first', () => {
    const events = [
      event('Old', 'Warning', 2 * 3_600_000),
      event('Pulled', 'Normal', 5_000),
      event('BackOff', 'Warning', 60_000),
      event('NodeNotReady', 'Warning', 10_000),
      event('Scheduled', 'Normal', 30_000),
    ];
    assert.deepEqual(
      sortEvents(events, NOW).map((e) => e.reason),
      ['NodeNotReady', 'BackOff', 'Pulled', 'Scheduled', 'Old'],
    );
    assert.equal(warningsInLastHour(events, NOW), 2);
  });

  it('shows an event’s reason, object, age, count and message', () => {
    assert.deepEqual(eventRow(event('BackOff', 'Warning', 45_000, { count: 7 }), NOW), {
      label: 'BackOff · pod/web-1',
      description: '45s · ×7 · BackOff happened',
    });
    assert.equal(eventRow(event('Killing', 'Normal', 1000), NOW, false).label, 'Killing');
  });

  it('describes services, claims and the registration', () => {
    assert.equal(
      serviceRow({
        namespace: 'default',
        name: 'gm',
        type: 'LoadBalancer',
        clusterIp: '10.152.183.9',
        loadBalancerIps: ['10.0.0.5'],
        ports: [{ port: 5480, targetPort: '5480', nodePort: 31480, protocol: 'TCP' }],
        selector: {},
      }),
      'LoadBalancer · 10.152.183.9 · 10.0.0.5 · 5480:31480/TCP',
    );
    assert.equal(
      claimRow({
        namespace: 'default',
        name: 'd',
        phase: 'Bound',
        capacity: '1Gi',
        storageClass: 'nfs-client',
        accessModes: ['ReadWriteOnce', 'ReadWriteMany'],
      }),
      'Bound · 1Gi · nfs-client · RWO,RWX',
    );
    assert.deepEqual(registrationRow(undefined, 'prod'), {
      label: 'not registered',
      description: 'profile prod',
    });
    assert.deepEqual(
      registrationRow({ state: 'failed', message: 'Activation token is invalid or expired.' }, undefined),
      {
        label: 'failed',
        description: 'Activation token is invalid or expired.',
      },
    );
  });
});

describe('tree model: a pod’s events document', () => {
  it('is a table with the warnings of the last hour first, aligned like kubectl get', () => {
    const text = eventTable(
      'pod default/web-1',
      [
        event('Pulled', 'Normal', 5_000),
        event('BackOff', 'Warning', 60_000, { count: 7, message: 'Back-off restarting failed container' }),
      ],
      NOW,
    );
    assert.equal(
      text,
      [
        'Events of pod default/web-1 (live)',
        '',
        'TYPE     REASON   AGE  COUNT  FROM     MESSAGE',
        'Warning  BackOff  1m   7      kubelet  Back-off restarting failed container',
        'Normal   Pulled   5s   1      kubelet  Pulled happened',
        '',
      ].join('\n'),
    );
    assert.equal(eventTable('pod default/x', [], NOW), 'Events of pod default/x: none in the last hour.\n');
  });
});
