// Files that hold credentials (an exported kubeconfig): readable by their owner only, also when they replace
// an existing file (writeFile's mode applies to new files only).
import { promises as fs } from 'node:fs';

export async function writePrivateFile(file: string, text: string): Promise<void> {
  await fs.writeFile(file, text, { mode: 0o600 });
  await fs.chmod(file, 0o600);
}
