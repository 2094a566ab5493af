// haproxy.cfg from the spec: a pure function, held to committed snapshots (test/unit/ops/snapshots/haproxy/;
// GC_UPDATE_SNAPSHOTS=1 rewrites them), and to the pass-through rules whatever the spec says. The real
// `haproxy -c` runs on the same corpus in test/integration/lb/haproxy-check.test.ts.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateText, type ClusterModel } from '../../../src/cluster-spec';
import { haproxyConfig } from '../../../src/ops/haproxy/config';
import {
  parseCheckOutput,
  parseShowInfo,
  parseShowStat,
  serversOf,
} from '../../../src/ops/haproxy/runtime-api';
import { HAPROXY_CORPUS } from '../../support/haproxy-corpus';

const SNAPSHOTS = join(__dirname, 'snapshots', 'haproxy');

function modelOf(spec: string): ClusterModel {
  const result = validateText(spec, 'cluster.yaml', { offline: true });
  assert.deepEqual(
    result.findings.filter((f) => f.severity === 'error'),
    [],
  );
  return result.documents[0]!.model!;
}

describe('haproxy.cfg generator', () => {
  for (const { name, spec } of HAPROXY_CORPUS) {
    it(`${name}: matches its snapshot`, () => {
      const { text } = haproxyConfig(modelOf(spec));
      const file = join(SNAPSHOTS, `${name}.cfg`);
      if (process.env.GC_UPDATE_SNAPSHOTS === '1') writeFileSync(file, text);
      assert.equal(
        text,
        readFileSync(file, 'utf8'),
        `run GC_UPDATE_SNAPSHOTS=1 to accept a deliberate change (${file})`,
      );
    });
  }

  it('never writes `ssl` on a server line, even when the spec asks for it (GC205 reports that)', () => {
    const spec = HAPROXY_CORPUS[0]!.spec.replace('      balance: roundrobin', '      ssl: true');
    const model = validateText(spec, 'cluster.yaml', { offline: true }).documents[0]!.model!;
    assert.equal(model.loadBalancer?.backend.ssl, true);
    const lines = haproxyConfig(model)
      .text.split('\n')
      .filter((l) => /^\s*(server|default-server)\b/.test(l));
    assert.ok(lines.length > 0);
    for (const line of lines) assert.ok(!/\sssl(\s|$)/.test(line), line);
    assert.ok(lines.some((l) => l.includes('check-ssl verify required ca-file')));
  });

  it('the fingerprint follows every change and is the one written in description', () => {
    const base = haproxyConfig(modelOf(HAPROXY_CORPUS[0]!.spec));
    const changed = haproxyConfig(modelOf(HAPROXY_CORPUS[0]!.spec.replace('fall: 3', 'fall: 4')));
    assert.notEqual(base.fingerprint, changed.fingerprint);
    assert.ok(base.text.includes(`description gateway-cluster mgw-cluster ${base.fingerprint}\n`));
    assert.deepEqual(haproxyConfig(modelOf(HAPROXY_CORPUS[0]!.spec)), base, 'pure: same spec, same file');
  });

  it('refuses a value that is no plain haproxy.cfg word instead of writing it', () => {
    const model = modelOf(HAPROXY_CORPUS[0]!.spec);
    const hostile = {
      ...model,
      loadBalancer: { ...model.loadBalancer!, statsSocket: '/run/x level admin\nuser root' },
    };
    assert.throws(() => haproxyConfig(hostile), /not a plain haproxy.cfg word/);
  });
});

describe('runtime API output', () => {
  const stat = [
    '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,',
    'fe-443,FRONTEND,,,0,1,262124,4,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,1,,,,,,,,,,,0,0,0,,,0,0,0,0,,,',
    'gateways,mgw-1,0,0,0,1,,2,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,12,0,,1,3,1,,2,,2,0,,1,L7OK,200,3,,,,,,,,,,,0,0,,,,,4,OK,',
    'gateways,mgw-2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,3,1,2,2,,1,3,2,,0,,2,0,,0,L4CON,,0,,,,,,,,,,,0,0,,,,,-1,Connection refused,',
    'gateways,mgw-3,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP 1/3,1,1,0,1,0,30,0,,1,3,3,,0,,2,0,,0,*L6RSP,,1,,,,,,,,,,,0,0,,,,,-1,SSL handshake failure,',
    'gateways,BACKEND,0,0,0,1,26213,2,0,0,0,0,,0,0,0,0,UP,2,2,0,,0,30,0,,1,3,0,,2,,1,0,,1,,,,,,,,,,,,,,0,0,0,0,0,0,4,,',
    '',
  ].join('\n');

  it('reads show stat by its header: status, check status, last check, last change', () => {
    const servers = serversOf(parseShowStat(stat), 'gateways');
    assert.deepEqual(
      servers.map((s) => [
        s.name,
        s.status,
        s.checkStatus,
        s.lastChangeSeconds,
        s.checkFailures,
        s.lastCheck,
      ]),
      [
        ['mgw-1', 'UP', 'L7OK', 12, 0, 'OK'],
        ['mgw-2', 'DOWN', 'L4CON', 2, 3, 'Connection refused'],
        ['mgw-3', 'UP 1/3', 'L6RSP', 30, 1, 'SSL handshake failure'],
      ],
    );
  });

  it('reads show info and the [FILE:LINE] of haproxy -c alerts', () => {
    assert.equal(
      parseShowInfo('Name: HAProxy\nPid: 42\ndescription: gateway-cluster x sha256:ab\n').description,
      'gateway-cluster x sha256:ab',
    );
    const output = [
      '[NOTICE]   (1) : haproxy version is 2.6.12-1+deb12u4',
      "[ALERT]    (1) : config : [/etc/haproxy/haproxy.cfg.new:14] : 'server gateways/mgw-1' : unknown keyword 'chek'; did you mean 'check' maybe ?",
      '[ALERT]    (1) : config : Error(s) found in configuration file : /etc/haproxy/haproxy.cfg.new',
      '[ALERT]    (1) : config : Fatal errors found in configuration.',
    ].join('\n');
    assert.deepEqual(parseCheckOutput(output), [
      { line: 14, message: "'server gateways/mgw-1' : unknown keyword 'chek'; did you mean 'check' maybe ?" },
    ]);
  });
});
