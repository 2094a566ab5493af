// Kubernetes Node objects: registered by a lab node's kubelet, rendered as the API serves them (conditions,
// taints, addresses, node info) and Ready/NotReady as the node lifecycle (node-lifecycle.ts) decides. Writes
// the kubelet's and node controller's events.
import { randomUUID } from 'node:crypto';
import { recordEvent, type EventSubject } from './events';
import { emit } from './hub';
import { emitPod, removePod, setRunning } from './pods';
import type { Cluster, Json, K8sNode, LabNodeRuntime } from './types';
import { KUBELET_VERSION, metaOf, nowIso } from './types';

const nodeSubject = (node: K8sNode): EventSubject => ({
  kind: 'Node',
  apiVersion: '',
  name: node.name,
  uid: node.name,
});

export function registerK8sNode(cluster: Cluster, node: LabNodeRuntime): K8sNode {
  const now = nowIso();
  const k8sNode: K8sNode = {
    name: node.k8sName,
    uid: randomUUID(),
    labIndex: node.index,
    ready: node.running && node.linkUp,
    unschedulable: false,
    worker: node.worker,
    labels: {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': node.k8sName,
      'kubernetes.io/os': 'linux',
      'microk8s.io/cluster': 'true',
      ...(node.worker
        ? { 'node.kubernetes.io/microk8s-worker': 'microk8s-worker' }
        : { 'node.kubernetes.io/microk8s-controlplane': 'microk8s-controlplane' }),
    },
    annotations: {
      'node.alpha.kubernetes.io/ttl': '0',
      'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
    },
    created: now,
    readySince: now,
    readySinceMs: Date.now(),
    rv: 0,
    address: node.address,
    heartbeatSince: Date.now(),
    timers: [],
  };
  cluster.k8sNodes.set(k8sNode.name, k8sNode);
  touchNode(cluster, k8sNode, 'ADDED');
  const kubelet = { component: 'kubelet', host: k8sNode.name };
  recordEvent(cluster, nodeSubject(k8sNode), 'Normal', 'Starting', 'Starting kubelet.', kubelet);
  recordEvent(
    cluster,
    { ...nodeSubject(k8sNode), uid: k8sNode.uid },
    'Normal',
    'RegisteredNode',
    `Node ${k8sNode.name} event: Registered Node ${k8sNode.name} in Controller`,
    { component: 'node-controller' },
  );
  return k8sNode;
}

export function nodeJson(k8sNode: K8sNode): Json {
  const now = nowIso();
  const ready = k8sNode.ready;
  const unknown = 'Kubelet stopped posting node status.';
  // An Unknown condition keeps the kubelet's last heartbeat; the node controller only changes the status.
  const heartbeat = ready || k8sNode.lastHeartbeat === undefined ? now : nowIso(k8sNode.lastHeartbeat);
  const condition = (type: string, status: string, reason: string, message: string): Json => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: k8sNode.readySince,
    reason,
    message,
  });
  const taints: Json[] = [];
  if (k8sNode.unschedulable)
    taints.push({
      key: 'node.kubernetes.io/unschedulable',
      effect: 'NoSchedule',
      timeAdded: k8sNode.readySince,
    });
  if (!ready) {
    const timeAdded = k8sNode.taintedAt === undefined ? k8sNode.readySince : nowIso(k8sNode.taintedAt);
    taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded });
    taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded });
  }
  return {
    metadata: {
      name: k8sNode.name,
      uid: k8sNode.uid,
      resourceVersion: String(k8sNode.rv),
      creationTimestamp: k8sNode.created,
      labels: { ...k8sNode.labels },
      annotations: { ...k8sNode.annotations },
    },
    spec: {
      ...(k8sNode.unschedulable ? { unschedulable: true } : {}),
      ...(taints.length ? { taints } : {}),
    },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '40973536Ki', memory: '8129304Ki', pods: '110' },
      allocatable: { cpu: '4', 'ephemeral-storage': '39924960Ki', memory: '8026904Ki', pods: '110' },
      conditions: [
        condition(
          'MemoryPressure',
          ready ? 'False' : 'Unknown',
          ready ? 'KubeletHasSufficientMemory' : 'NodeStatusUnknown',
          ready ? 'kubelet has sufficient memory available' : unknown,
        ),
        condition(
          'DiskPressure',
          ready ? 'False' : 'Unknown',
          ready ? 'KubeletHasNoDiskPressure' : 'NodeStatusUnknown',
          ready ? 'kubelet has no disk pressure' : unknown,
        ),
        condition(
          'PIDPressure',
          ready ? 'False' : 'Unknown',
          ready ? 'KubeletHasSufficientPID' : 'NodeStatusUnknown',
          ready ? 'kubelet has sufficient PID available' : unknown,
        ),
        condition(
          'Ready',
          ready ? 'True' : 'Unknown',
          ready ? 'KubeletReady' : 'NodeStatusUnknown',
          ready ? 'kubelet is posting ready status' : unknown,
        ),
      ],
      addresses: [
        { type: 'InternalIP', address: k8sNode.address },
        { type: 'Hostname', address: k8sNode.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: k8sNode.uid.replace(/-/g, ''),
        systemUUID: k8sNode.uid,
        bootID: k8sNode.uid,
        kernelVersion: '5.15.0-105-generic',
        osImage: 'Ubuntu 22.04.4 LTS',
        containerRuntimeVersion: 'containerd://1.6.28',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** Sends the node's current state to the watches (a new resourceVersion). */
export function touchNode(
  cluster: Cluster,
  k8sNode: K8sNode,
  type: 'ADDED' | 'MODIFIED' | 'DELETED' = 'MODIFIED',
): void {
  const object = nodeJson(k8sNode);
  k8sNode.rv = emit(cluster, 'nodes', type, object);
}

/** Removes the Node object and (the pod garbage collector's work) the pods bound to it. */
export function deleteK8sNode(cluster: Cluster, name: string): boolean {
  const k8sNode = cluster.k8sNodes.get(name);
  if (!k8sNode) return false;
  k8sNode.timers.forEach(clearTimeout);
  k8sNode.timers = [];
  cluster.k8sNodes.delete(name);
  touchNode(cluster, k8sNode, 'DELETED');
  for (const pod of [...cluster.pods.values()]) if (pod.nodeName === name) removePod(cluster, pod);
  return true;
}

/** The Ready condition changes: pods on the node follow (not Ready while it is not). */
export function setNodeReady(cluster: Cluster, k8sNode: K8sNode, ready: boolean): void {
  if (!cluster.k8sNodes.has(k8sNode.name) || k8sNode.ready === ready) return;
  k8sNode.ready = ready;
  k8sNode.readySince = nowIso();
  k8sNode.readySinceMs = Date.now();
  k8sNode.taintedAt = ready ? undefined : k8sNode.readySinceMs;
  touchNode(cluster, k8sNode);
  if (ready)
    recordEvent(
      cluster,
      nodeSubject(k8sNode),
      'Normal',
      'NodeReady',
      `Node ${k8sNode.name} status is now: NodeReady`,
      { component: 'kubelet', host: k8sNode.name },
    );
  else
    recordEvent(
      cluster,
      nodeSubject(k8sNode),
      'Normal',
      'NodeNotReady',
      `Node ${k8sNode.name} status is now: NodeNotReady`,
      { component: 'node-controller' },
    );
  for (const pod of cluster.pods.values()) {
    if (pod.nodeName !== k8sNode.name) continue;
    if (pod.terminating && ready) {
      removePod(cluster, pod);
      continue;
    }
    if (!ready) {
      const meta = metaOf(pod.object);
      recordEvent(
        cluster,
        {
          kind: 'Pod',
          apiVersion: 'v1',
          namespace: String(meta.namespace),
          name: String(meta.name),
          uid: String(meta.uid),
        },
        'Warning',
        'NodeNotReady',
        'Node is not ready',
        { component: 'node-controller' },
      );
    }
    if ((pod.object.status as Json).phase === 'Running' || ready) {
      setRunning(pod, ready && !pod.warming);
      emitPod(cluster, 'MODIFIED', pod);
    }
  }
}
