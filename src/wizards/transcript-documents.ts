// "Open transcript" shows a run as a readable, read-only document (rendered from its JSON record, which stays
// beside it for tools).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { renderTranscript, type TranscriptRecord } from '../ops';

export const TRANSCRIPT_SCHEME = 'gateway-cluster-run';

export class TranscriptDocuments implements vscode.TextDocumentContentProvider {
  /** The document of a run whose record is `<runsDir>/<runId>.json`. */
  uriOf(runsDir: string, runId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: TRANSCRIPT_SCHEME, path: `${path.join(runsDir, runId)}.txt` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const file = uri.path.replace(/\.txt$/, '.json');
    try {
      return renderTranscript(JSON.parse(await fs.readFile(file, 'utf8')) as TranscriptRecord);
    } catch (error) {
      return `The transcript ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}\n`;
    }
  }
}
