// ssh-tunnel.test.ts - the pure parts of the SSH tunnel: ssh's argument array (batch mode, forwards on
// 127.0.0.1 and a local unix socket, the destination last after "--") and the LISTEN check on /proc/net/tcp.

import { describe, expect, it } from "vitest";
import { isListeningOnLoopback, sshArguments } from "../../src/engine/launch/ssh-tunnel";

describe("sshArguments", () => {
  it("forwards the gdbstub to 127.0.0.1 and the QMP socket to a local path, destination after --", () => {
    expect(
      sshArguments(
        {
          destination: "toro@lab",
          port: 2222,
          options: ["-i", "/keys/lab"],
          gdbstub: { host: "127.0.0.1", port: 1234 },
          qmpSocket: "/remote/qmp.sock",
        },
        40000,
        "/tmp/toro-qemu-x/qmp.sock",
      ),
    ).toEqual([
      "-N",
      "-o",
      "BatchMode=yes",
      "-o",
      "ExitOnForwardFailure=yes",
      "-o",
      "StreamLocalBindUnlink=yes",
      "-p",
      "2222",
      "-i",
      "/keys/lab",
      "-L",
      "127.0.0.1:40000:127.0.0.1:1234",
      "-L",
      "/tmp/toro-qemu-x/qmp.sock:/remote/qmp.sock",
      "--",
      "toro@lab",
    ]);
    expect(
      sshArguments({ destination: "lab", gdbstub: { host: "10.0.0.2", port: 1 } }, 5, undefined),
    ).toEqual([
      "-N",
      "-o",
      "BatchMode=yes",
      "-o",
      "ExitOnForwardFailure=yes",
      "-o",
      "StreamLocalBindUnlink=yes",
      "-L",
      "127.0.0.1:5:10.0.0.2:1",
      "--",
      "lab",
    ]);
  });
});

describe("isListeningOnLoopback", () => {
  const table = [
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    "   0: 0100007F:9C40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1",
    "   1: 0100007F:9C41 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2 1",
    "   2: 00000000:9C42 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1",
  ].join("\n");
  it("finds a LISTEN socket on 127.0.0.1:port only", () => {
    expect(isListeningOnLoopback(0x9c40, table)).toBe(true);
    expect(isListeningOnLoopback(0x9c41, table)).toBe(false); // established, not listening
    expect(isListeningOnLoopback(0x9c42, table)).toBe(false); // 0.0.0.0
  });
});
