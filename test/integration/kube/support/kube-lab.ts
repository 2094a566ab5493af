// One 3-node lab for a kube-layer test file: up before, reset before each test, down after; whatever a test
// registers with cleanUp() (watches, sessions, pools) stops first, so nothing outlives the lab.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLab } from '../../../lab/index';
import type { LabApi, LabInfo } from '../../../lab/api';

type Cleanup = () => unknown;

export interface KubeLab {
  readonly lab: LabApi;
  /** Set by the before-all hook. */
  info: LabInfo;
  /** A private folder for this file's known_hosts and the like. */
  tmp: string;
  /** The secret store of the current test (fresh for each). */
  secrets: Map<string, string>;
  /** Log lines of the current test (fresh for each). */
  logs: string[];
  /** Runs after the current test (scope 'test') or before the lab goes down ('file'). */
  cleanUp(what: Cleanup, scope?: 'test' | 'file'): void;
}

export function useKubeLab(tmpPrefix: string): KubeLab {
  const afterTest: Cleanup[] = [];
  const afterFile: Cleanup[] = [];
  const runAll = async (list: Cleanup[]) => {
    const all = list.splice(0).reverse();
    for (const cleanup of all) await cleanup();
  };
  const fixture: KubeLab = {
    lab: createLab(process.env.GC_LAB_NAME ?? 'gclabit'),
    info: undefined as unknown as LabInfo,
    tmp: '',
    secrets: new Map(),
    logs: [],
    cleanUp: (what, scope = 'test') => void (scope === 'test' ? afterTest : afterFile).push(what),
  };
  before(async function () {
    this.timeout(120_000);
    const subnetPrefix = process.env.GC_LAB_SUBNET ?? '10.250.1';
    fixture.info = await fixture.lab.up({ nodes: 3, state: 'joined', subnetPrefix });
    fixture.tmp = await fs.mkdtemp(path.join(os.tmpdir(), tmpPrefix));
  });
  after(async () => {
    await runAll(afterTest);
    await runAll(afterFile);
    await fixture.lab.down();
    if (fixture.tmp) await fs.rm(fixture.tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    fixture.secrets = new Map();
    fixture.logs = [];
    await fixture.lab.reset('joined');
  });
  afterEach(() => runAll(afterTest));
  return fixture;
}
