// Where an operation keeps files on this machine: `.gateway-cluster/<kind>/<name>/` beside the spec (the
// diagnostics' reports, events and logs). Text the product writes is masked first — with every secret stored
// for the cluster, learnt when the folder is made, not only those this session happened to read; a node's
// report tarball is downloaded over SFTP as it is, and every file comes back with its size and SHA-256.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { NodeModel } from '../cluster-spec/types';
import type { ArtifactFolder, ArtifactStore, SavedFile } from '../ops';
import type { Masker } from '../remote/masker';
import { remoteNodeOf } from '../remote/node';
import type { SshAccess } from '../remote';
import { SUDO_PASSWORD_REF } from './secrets';

async function saved(file: string): Promise<SavedFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { path: file, bytes, sha256: hash.digest('hex') };
}

/** `relative` inside `root`, or a refusal: no absolute paths, no `..`, nothing odd in a name. */
function inside(root: string, relative: string): string {
  const parts = relative.split('/');
  if (!parts.every((p) => /^[A-Za-z0-9._-]+$/.test(p) && p !== '.' && p !== '..'))
    throw new Error(`"${relative}" is not a file name for ${root}.`);
  return path.join(root, ...parts);
}

export class ClusterArtifacts implements ArtifactStore {
  constructor(
    private readonly stateDir: string,
    private readonly pool: () => SshAccess,
    private readonly masker: Masker,
    /** Reads the cluster's stored secrets, so that the masker knows each of them before anything is written. */
    private readonly learnSecrets: () => Promise<void> = async () => undefined,
  ) {}

  async open(kind: 'diagnostics', name: string): Promise<ArtifactFolder> {
    await this.learnSecrets();
    const base = inside(path.join(this.stateDir, kind), name);
    let root = base;
    for (let i = 2; ; i++) {
      try {
        await fs.mkdir(path.dirname(root), { recursive: true });
        await fs.mkdir(root);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        root = `${base}-${i}`;
      }
    }
    const pool = this.pool;
    const masker = this.masker;
    return {
      path: root,
      async write(relative, content) {
        const file = inside(root, relative);
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(file, masker.mask(content));
        return saved(file);
      },
      async download(node: NodeModel, remotePath, relative, options) {
        const file = inside(root, relative);
        await fs.mkdir(path.dirname(file), { recursive: true });
        // Hashed as the bytes arrive: no second pass over a file of many MB.
        const fetched = await pool().download(
          remoteNodeOf(node, SUDO_PASSWORD_REF),
          remotePath,
          file,
          options,
        );
        return { path: file, ...fetched };
      },
    };
  }
}
