// Moved to src/timing (one backoff for the whole project); kept until the tree imports it from there.
export { backoffDelay, Retrier } from '../../timing';
