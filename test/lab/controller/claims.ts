// The persistent volume controller, reduced to what the lab needs: a Pending claim with a storage class is
// provisioned and bound at once (volume `pvc-UID`, capacity as requested), as MicroK8s' hostpath and the
// NFS subdir provisioner do within a second; a claim without a class stays Pending.
import type { LabModel } from './model';
import { listObjects } from './store';
import type { Cluster, Json } from './types';
import { metaOf } from './types';

export function bindClaims(model: LabModel, cluster: Cluster): void {
  for (const claim of listObjects(cluster, 'persistentvolumeclaims')) {
    const status = (claim.status ?? {}) as Json;
    const spec = (claim.spec ?? {}) as Json;
    if (status.phase === 'Bound' || !spec.storageClassName) continue;
    const bound = structuredClone(claim);
    const meta = metaOf(bound);
    const boundSpec = bound.spec as Json;
    boundSpec.volumeName ??= `pvc-${String(meta.uid)}`;
    boundSpec.volumeMode ??= 'Filesystem';
    meta.annotations = {
      ...((meta.annotations ?? {}) as Json),
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    };
    bound.status = {
      phase: 'Bound',
      accessModes: boundSpec.accessModes ?? ['ReadWriteOnce'],
      capacity: {
        storage: ((boundSpec.resources as Json | undefined)?.requests as Json | undefined)?.storage ?? '1Gi',
      },
    };
    model.putObject(cluster, 'persistentvolumeclaims', bound);
  }
}
