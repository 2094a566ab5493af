// Loaded by the extension host as extensionTestsPath: times the activation of one extension (the id in
// GC_BENCH_TARGET) in this fresh extension host, and writes the figures to GC_BENCH_RESULTS.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { FEATURES_MARKS } from '../../src/features-marks';

export interface ProbeResult {
  extensionId: string;
  /** The extension was already active before the probe asked (an activation event fired earlier). */
  alreadyActive: boolean;
  /** ms from asking for activation (as an activation event does) until activate() has resolved. */
  activationMs: number;
  /** ms the extension host had been running when the probe started (context, not the figure). */
  hostUptimeMs: number;
  /** VS Code's own marks (whole ms): loading the main module, and activate() called until resolved. */
  codeLoadingMs?: number;
  activateCallMs?: number;
  totalMarksMs?: number;
  /** Gateway Clusters only: the features' deferred load right after activation, on the same thread. */
  featuresRequireMs?: number;
  featuresTotalMs?: number;
  error?: string;
}

const QUIET_MS = 3000;

interface PerformanceMarks {
  getMarks(): Array<{ name: string; startTime: number }>;
}

/** The extension host's own activation marks (vs/base/common/performance, kept on globalThis). */
function vscodeMarks(id: string): Partial<ProbeResult> {
  const marks = (
    globalThis as { MonacoPerformanceMarks?: PerformanceMarks }
  ).MonacoPerformanceMarks?.getMarks();
  const at = (name: string) => marks?.find((mark) => mark.name === `code/extHost/${name}/${id}`)?.startTime;
  const willLoad = at('willLoadExtensionCode');
  const didLoad = at('didLoadExtensionCode');
  const willActivate = at('willActivateExtension');
  const didActivate = at('didActivateExtension');
  if (
    willLoad === undefined ||
    didLoad === undefined ||
    willActivate === undefined ||
    didActivate === undefined
  )
    return {};
  return {
    codeLoadingMs: didLoad - willLoad,
    activateCallMs: didActivate - willActivate,
    totalMarksMs: didActivate - willLoad,
  };
}

/** The extension's own measures of its deferred features load (absent for other extensions). */
async function featuresMarks(): Promise<Partial<ProbeResult>> {
  const entry = (name: string) => performance.getEntriesByName(name, 'measure')[0]?.duration;
  for (let waited = 0; waited < 10_000 && entry(FEATURES_MARKS.total) === undefined; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const total = entry(FEATURES_MARKS.total);
  return total === undefined
    ? {}
    : { featuresRequireMs: entry(FEATURES_MARKS.require), featuresTotalMs: total };
}

export async function run(): Promise<void> {
  const file = process.env.GC_BENCH_RESULTS;
  const extensionId = process.env.GC_BENCH_TARGET ?? '';
  const result: ProbeResult = {
    extensionId,
    alreadyActive: false,
    activationMs: -1,
    hostUptimeMs: performance.now(),
  };
  try {
    const extension = vscode.extensions.getExtension(extensionId);
    if (!extension) throw new Error(`extension ${extensionId} not found`);
    result.alreadyActive = extension.isActive;
    // Let the host finish its own startup work (built-in extensions activating on '*'), so the figure is
    // the extension's cost, not the queue it waits in.
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    // getExtension().activate() takes the same path as an activation event: load the main module, call
    // activate(), await what it returns.
    const started = performance.now();
    await extension.activate();
    result.activationMs = performance.now() - started;
    Object.assign(result, vscodeMarks(extensionId));
    Object.assign(result, await featuresMarks());
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  if (file) fs.writeFileSync(file, JSON.stringify(result));
}
