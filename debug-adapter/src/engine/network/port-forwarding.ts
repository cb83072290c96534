// port-forwarding.ts - turns a launch's network settings into the concrete forwarding (a free host port on
// 127.0.0.1 unless one was asked for), the QEMU arguments for it and the URL shown to the user. Pairs with
// network-settings.ts (inputs) and ../qemu/arguments.ts + ../qemu/qemu-instance.ts (which use the result).

import { ToroError } from "../errors";
import type { LaunchOverrides, QemuProfile } from "../profiles/profile";
import { findFreePort } from "../qemu/free-port";
import {
  effectiveNetwork,
  FORWARD_HOST_ADDRESS,
  GUEST_ADDRESS,
  NETDEV_ID,
  NetworkSettings,
} from "./network-settings";
import { checkNetworkMachine } from "./validate-network";

/** One forwarded TCP port: 127.0.0.1:hostPort on the host reaches the guest's guestPort. */
export interface PortForwarding {
  hostAddress: string;
  hostPort: number;
  guestAddress: string;
  guestPort: number;
  /** http://127.0.0.1:<hostPort>/ */
  url: string;
}

export class NetworkConfigurationError extends ToroError {}

export function forwardingFor(settings: NetworkSettings, hostPort: number): PortForwarding {
  return {
    hostAddress: FORWARD_HOST_ADDRESS,
    hostPort,
    guestAddress: GUEST_ADDRESS,
    guestPort: settings.guestPort,
    url: `http://${FORWARD_HOST_ADDRESS}:${hostPort}/`,
  };
}

/**
 * The forwarding this launch gets, or null without a network. A free port is taken from the kernel and
 * released just before QEMU binds it; if another process takes it meanwhile, QEMU fails to start and says so.
 */
export async function planPortForwarding(
  profile: QemuProfile,
  overrides: LaunchOverrides,
  findPort: () => Promise<number> = findFreePort,
): Promise<PortForwarding | null> {
  const settings = effectiveNetwork(profile.network, overrides.network);
  if (settings === null) return null;
  const problem = checkNetworkMachine(profile.machine, profile.name);
  if (problem !== undefined) throw new NetworkConfigurationError(problem);
  return forwardingFor(settings, settings.hostPort ?? (await findPort()));
}

/**
 * QEMU user networking with only the forwarded port reachable from the host, and a modern-only virtio-net
 * device (the kernel drives virtio 1.x only). `restrict=on` keeps the guest from reaching the host's other
 * ports or any outside network; forwarded ports and the gateway's own replies (ping 10.0.2.2) still work.
 */
export function networkArguments(forwarding: PortForwarding): string[] {
  const rule = `tcp:${forwarding.hostAddress}:${forwarding.hostPort}-:${forwarding.guestPort}`;
  return [
    "-netdev",
    `user,id=${NETDEV_ID},restrict=on,hostfwd=${rule}`,
    "-device",
    `virtio-net-pci,netdev=${NETDEV_ID},disable-legacy=on`,
  ];
}

/** One line for a console: where to point a browser or `toro stress`. */
export function describeForwarding(forwarding: PortForwarding): string {
  return (
    `network: ${forwarding.url} -> guest ${forwarding.guestAddress}:${forwarding.guestPort} ` +
    `(QEMU user networking, virtio-net)`
  );
}
