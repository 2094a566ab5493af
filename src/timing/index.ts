// Timing primitives shared by the SSH layer, the Kubernetes layer, the tree, the runner and the wizards.
// Pure (no vscode), and every one reads an injectable Clock so tests run on a fake one.
export { realClock, delay } from './clock';
export type { Clock, TimerHandle } from './clock';
export { Coalescer } from './coalescer';
export { Throttle } from './throttle';
export { Backoff, backoffDelay } from './backoff';
export type { BackoffOptions } from './backoff';
export { PausableTimer } from './pausable-timer';
