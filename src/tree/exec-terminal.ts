// A terminal on a container over the API's exec subprotocol: bash, or sh when the image has none
// (ClusterViews.openShell). Closes when the shell exits.
import type { ClusterViews, ExecSession } from '../clusters';
import { createChannelPty, type ChannelPty } from './channel-pty';

type Shell = ExecSession & { shell(): string };

export function createExecPty(
  views: ClusterViews,
  target: { namespace: string; pod: string; container: string },
): ChannelPty<Shell> & { shell(): string | undefined } {
  const pty = createChannelPty<Shell>(
    `${target.namespace}/${target.pod} [${target.container}]`,
    (size, sink) =>
      views.openShell(
        target,
        size,
        (data) => sink.data(data),
        (result) => sink.exit(result.code, result.message),
      ),
  );
  /** The shell that runs: bash, or sh after the fallback. */
  return Object.assign(pty, { shell: () => pty.channel()?.shell() });
}
