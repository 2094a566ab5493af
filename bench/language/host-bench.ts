// Runs inside code-server's extension host (loaded as extensionTestsPath by bench/language/run.ts): edit →
// published diagnostics for 300- and 3,000-node specs (median of 20 edits) and completion latency in the
// middle of the 3,000-node spec. Writes the numbers as JSON to GC_HOST_RESULTS.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { bigSpec } from '../../test/e2e/host/big-spec';

const EDITS = 20;
const COMPLETIONS = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function hasDuplicate(uri: vscode.Uri): boolean {
  return vscode.languages
    .getDiagnostics(uri)
    .some((d) => d.source === 'gateway-cluster' && typeof d.code === 'object' && d.code.value === 'GC101');
}

/** Resolves when the diagnostics of `uri` are published with (or without) a duplicate-hostname finding. */
function published(uri: vscode.Uri, duplicate: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error('no diagnostics within 120 s'));
    }, 120_000);
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && hasDuplicate(uri) === duplicate) {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      }
    });
  });
}

export async function run(): Promise<void> {
  const resultsFile = process.env.GC_HOST_RESULTS;
  const log = (line: string) => {
    console.log(line);
    if (resultsFile) fs.appendFileSync(`${resultsFile}.log`, `${line}\n`);
  };
  const results: Record<string, number> = {};
  try {
    const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'gateway-cluster');
    await extension?.activate();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) throw new Error('no workspace folder');
    // 3 nodes is the reference, measured in the same run: validation takes well under 1 ms there, so its time
    // is the debounce plus the editor's own round trip (edit, change event, timer, diagnostics event).
    for (const size of [3, 300, 3000]) {
      const file = path.join(folder, `bench-${size}.cluster.yaml`);
      fs.writeFileSync(file, bigSpec(size));
      const uri = vscode.Uri.file(file);
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const line = 7 + 3 * Math.floor(size / 2); // the hostname of the middle node
      const original = editor.document.lineAt(line).text;
      const times: number[] = [];
      // Split at the document's change event: before it is the editor's (the edit's round trip through the
      // renderer), after it the extension's (debounce, validation, publishing) and the diagnostics event.
      const afterChange: number[] = [];
      for (let i = 0; i < EDITS; i++) {
        const duplicate = i % 2 === 0;
        const waiting = published(uri, duplicate);
        let changedAt = 0;
        const changes = vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.document.uri.toString() === uri.toString() && !changedAt) changedAt = performance.now();
        });
        const started = performance.now();
        await editor.edit((b) =>
          b.replace(editor.document.lineAt(line).range, duplicate ? '    - hostname: gw-1' : original),
        );
        await waiting;
        const done = performance.now();
        changes.dispose();
        times.push(done - started);
        afterChange.push(done - changedAt);
      }
      results[`changeToDiagnostics${size}Ms`] = median(afterChange);
      results[`editToDiagnostics${size}Ms`] = median(times);
      const reference = results.editToDiagnostics3Ms ?? median(times);
      log(
        `edit → diagnostics, ${size} nodes: median ${median(times).toFixed(0)} ms of ${EDITS} (150 ms debounce included)` +
          (size === 3
            ? ' — the reference'
            : `; ${(median(times) - reference).toFixed(0)} ms beyond the 3-node reference`),
      );
      log(
        `  from the document's change event to the published diagnostics: ${median(afterChange).toFixed(0)} ms`,
      );
      if (size === 3000) {
        const position = new vscode.Position(line + 2, 6); // at the `host` key of the middle node
        const completion: number[] = [];
        for (let i = 0; i < COMPLETIONS; i++) {
          const started = performance.now();
          await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, position);
          completion.push(performance.now() - started);
        }
        results.completion3000Ms = median(completion);
        log(
          `completion in the middle of 3,000 nodes: median ${median(completion).toFixed(0)} ms of ${COMPLETIONS}`,
        );
      }
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(file, { force: true });
    }
    if (resultsFile)
      fs.writeFileSync(resultsFile, JSON.stringify({ passed: 1, failed: 0, pending: 0, results }));
  } catch (error) {
    log(`bench failed: ${String(error)}`);
    if (resultsFile)
      fs.writeFileSync(resultsFile, JSON.stringify({ passed: 0, failed: 1, pending: 0, results }));
  }
}
