// GC140-GC141: NFS storage, required for ha.
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { NFS_PATH_MAX, isExportPath } from '../grammars';
import { isAddressOrHostname } from '../net';
import { placeholderFor } from '../schema';

export function checkStorage(ctx: RuleContext): void {
  const storagePath = ['spec', 'storage'];
  if (
    ctx.string(['spec', 'topology']) === 'ha' &&
    !ctx.hasFailed(storagePath) &&
    ctx.value(['spec']) !== undefined
  ) {
    const storage = ctx.value(storagePath);
    if (storage === undefined) {
      ctx.reportMissing(
        'GC140',
        ['spec'],
        'Topology "ha" needs shared storage, but "storage.nfs" is missing from spec; add the NFS server and path.',
        {
          fix: { kind: 'insertField', key: 'storage', placeholder: '{ nfs: { server: "", path: "" } }' },
        },
      );
    } else if (typeof storage === 'object' && storage !== null && !Object.hasOwn(storage, 'nfs')) {
      ctx.reportMissing(
        'GC140',
        storagePath,
        'Topology "ha" needs shared storage, but "nfs" is missing from spec.storage; add the NFS server and path.',
        {
          fix: { kind: 'insertField', key: 'nfs', placeholder: placeholderFor(['spec', 'storage', 'nfs']) },
        },
      );
    }
  }
  const serverPath = ['spec', 'storage', 'nfs', 'server'];
  const server = ctx.string(serverPath);
  if (server !== undefined && !isAddressOrHostname(server)) {
    ctx.fail(
      'GC141',
      serverPath,
      `NFS server ${quote(server)} is neither an IPv4 address nor a hostname; write one such as "172.26.111.203" or "nfs.example.com".`,
    );
  }
  const pathPath = ['spec', 'storage', 'nfs', 'path'];
  const exportPath = ctx.string(pathPath);
  if (exportPath === undefined) return;
  if (!exportPath.startsWith('/')) {
    const fixed = `/${exportPath.replace(/^\.?\/*/, '')}`;
    ctx.fail(
      'GC141',
      pathPath,
      `NFS path ${quote(exportPath)} is not absolute; write the export's full path, starting with "/".`,
      isExportPath(fixed) ? { fix: { kind: 'replaceValue', value: fixed } } : {},
    );
  } else if (!isExportPath(exportPath)) {
    ctx.fail(
      'GC141',
      pathPath,
      `NFS path ${quote(exportPath)} is not a plain export path; use "/"-separated names of letters, digits, ".", "_", "-", "~", "+" or "@" (at most ${NFS_PATH_MAX} characters).`,
    );
  }
}
