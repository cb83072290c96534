// network-settings.ts - the `network` option: QEMU user networking (slirp) with a virtio-net-pci device and
// one TCP port forwarded from 127.0.0.1 on the host to the guest. The shapes in a profile and in a launch,
// and how they combine. Pairs with validate-network.ts (checks raw values) and port-forwarding.ts (turns the
// result into QEMU arguments and a URL).

export const DEFAULT_GUEST_PORT = 80;
/** QEMU user networking's guest address, which is also the kernel's default `ip=` (kernel/README.md). */
export const GUEST_ADDRESS = "10.0.2.15";
/** The forwarded port listens here only: never on another interface. */
export const FORWARD_HOST_ADDRESS = "127.0.0.1";
export const NETDEV_ID = "toro-net";
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** A profile's `network` (and what a launch ends up with). `hostPort` undefined: a free port at launch. */
export interface NetworkSettings {
  guestPort: number;
  hostPort?: number;
}

/**
 * What a launch may change (CLI `--network --host-port --guest-port`, DAP `network`, `networkHostPort`,
 * `networkGuestPort`). Every field optional: giving a port turns networking on; `enabled: false` turns off
 * a profile's network (and then no port may be given).
 */
export interface NetworkOverride {
  enabled?: boolean;
  hostPort?: number;
  guestPort?: number;
}

/** The profile's network with the launch's override on top; null when the launch has no network. */
export function effectiveNetwork(
  profile: NetworkSettings | undefined,
  override: NetworkOverride | undefined,
): NetworkSettings | null {
  const portGiven = override?.hostPort !== undefined || override?.guestPort !== undefined;
  const enabled = override?.enabled ?? (portGiven || profile !== undefined);
  if (!enabled) return null;
  const hostPort = override?.hostPort ?? profile?.hostPort;
  return {
    guestPort: override?.guestPort ?? profile?.guestPort ?? DEFAULT_GUEST_PORT,
    ...(hostPort === undefined ? {} : { hostPort }),
  };
}
