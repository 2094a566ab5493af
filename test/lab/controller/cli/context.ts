// What every fake command gets: the model, the lab's config, the calling node, and its standard streams.
import type { ControllerConfig } from '../config';
import type { LabModel } from '../model';
import type { LabNodeRuntime } from '../types';

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads one line of the caller's stdin; null at end of input. */
  readLine(): Promise<string | null>;
  /** Reads the caller's whole stdin. */
  readAll(): Promise<string>;
  /** Hands the call over: the client on the node runs FILE ARGS with its own stdio and exits with its code. */
  run(file: string, args: string[]): void;
}

export interface CommandContext {
  model: LabModel;
  config: ControllerConfig;
  node: LabNodeRuntime;
  uid: number;
  io: CommandIo;
  certCheck: string;
  kubeconfig(node: LabNodeRuntime): string;
}

export const NOT_RUNNING = 'microk8s is not running, try microk8s start\n';

/** Where MicroK8s keeps the admin kubeconfig that `microk8s kubectl` uses (the lab writes it at `up`). */
export const KUBECONFIG_ON_NODE = '/var/snap/microk8s/current/credentials/client.config';
