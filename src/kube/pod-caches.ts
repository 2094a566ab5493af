// Per-node pod caches (`fieldSelector=spec.nodeName=NODE`), started when the first user of a node asks and
// stopped when the last one lets go: an expanded tree node and an open Describe share one watch.
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeClient } from './client';
import { WatchCache, resources } from './watch-cache';
import type { WatchCacheOptions } from './watch-cache';

export interface PodCacheLease {
  readonly cache: WatchCache<K8s.V1Pod>;
  /** Lets go of the cache; the last lease of a node stops its watch. Idempotent. */
  release(): Promise<void>;
}

export class NodePodCaches {
  private readonly entries = new Map<string, { cache: WatchCache<K8s.V1Pod>; leases: number }>();
  private closed = false;

  constructor(
    private readonly client: KubeClient,
    private readonly options: Omit<WatchCacheOptions, 'fieldSelector'> = {},
  ) {}

  /** The node's pod cache, started (not awaited: see cache.waitSynced()) on the first lease. */
  acquire(nodeName: string): PodCacheLease {
    if (this.closed) throw new Error('The pod watches were stopped: connect again first.');
    let entry = this.entries.get(nodeName);
    if (!entry) {
      const cache = new WatchCache<K8s.V1Pod>(this.client, resources.pods(), {
        ...this.options,
        fieldSelector: `spec.nodeName=${nodeName}`,
      });
      entry = { cache, leases: 0 };
      this.entries.set(nodeName, entry);
      // A first list that fails is retried by the cache itself; its error shows through cache.error.
      cache.start().catch(() => undefined);
    }
    entry.leases++;
    const held = entry;
    let released = false;
    return {
      cache: held.cache,
      release: async () => {
        if (released) return;
        released = true;
        held.leases--;
        if (held.leases > 0 || this.entries.get(nodeName) !== held) return;
        this.entries.delete(nodeName);
        await held.cache.stop();
      },
    };
  }

  /** Nodes whose pods are being watched right now. */
  get watchedNodes(): string[] {
    return [...this.entries.keys()];
  }

  /** The caches running now (one watch each). */
  get caches(): Array<WatchCache<K8s.V1Pod>> {
    return [...this.entries.values()].map((e) => e.cache);
  }

  /** Stops every cache for good; later acquire() calls throw, later releases do nothing. */
  async stopAll(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.cache.stop()));
  }
}
