// A terminal over the SSH layer's shell channel on a node.
import type { ShellChannelLike } from '../clusters';
import { createChannelPty, type ChannelPty } from './channel-pty';

export function createSshPty(
  title: string,
  open: (size: { cols: number; rows: number }) => Promise<ShellChannelLike>,
): ChannelPty<ShellChannelLike> {
  return createChannelPty(title, async (size, sink) => {
    const channel = await open(size);
    channel.onData((data) => sink.data(data));
    channel.onClose(() => sink.exit(0));
    return channel;
  });
}
