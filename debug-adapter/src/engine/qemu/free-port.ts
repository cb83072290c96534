// free-port.ts - asks the kernel for a free TCP port on 127.0.0.1 (bind port 0, read it, close). Another
// process could take the port before QEMU binds it; QEMU then fails to start and the launcher reports
// QemuExitedError with QEMU's message. Used for forwarded ports (../network/port-forwarding.ts) and the
// benchmark's by-hand QEMU; the launcher's own gdbstub lets QEMU bind port 0 instead (qemu-instance.ts).

import * as net from "node:net";

export function findFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}
