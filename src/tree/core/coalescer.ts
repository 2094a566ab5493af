// Moved to src/timing (one coalescer for the whole project); kept until the tree imports it from there.
export { Coalescer, realClock } from '../../timing';
export type { Clock } from '../../timing';
