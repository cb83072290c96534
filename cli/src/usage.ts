// usage.ts - the `toro` help text, printed by `toro help` and after a usage error. Pairs with
// cli-arguments.ts, which accepts exactly the options listed here.

export const USAGE = `toro - build and boot Toro kernel apps in QEMU, and watch every core live

Usage:
  toro run <app> [options]     build the app with the kernel, boot it, print its serial output
      --cpus N                 vCPUs (default: the profile's)
      --idle POLICY            busy | pause | halt | tickless (default tickless)
      --profile P              a qemu-profiles/ name or a .json path (default "default")
      --cmdline "..."          more kernel command line, e.g. "rounds=2 exit"
      --monitor                redraw a live per-core table (state, thread, halts, idle %, spin, host CPU)
      --duration S             stop after S seconds (default: until Ctrl-C or the guest exits)
      --json                   at the end print one JSON object (per-core counters, QEMU host CPU);
                               serial output then goes to stderr; with --trace also the trace analysis
                               (halt residency and lengths, wake-ups/s by reason, top reasons not halted)
      --trace FILE             record the kernel's per-core event trace (trace=on, or --cmdline "trace=
                               sched,halt,ipi,irq,lock,timer,thread") and write it to FILE as a Chrome JSON
                               trace, one track per core (open it in ui.perfetto.dev)
      --network                QEMU user networking + virtio-net; the guest's port is forwarded from
                               127.0.0.1 and the URL printed (e.g. samples/http-server)
      --host-port N            the forwarded port on 127.0.0.1 (default: a free one; implies --network)
      --guest-port N           the guest's port to forward (default 80; implies --network)
  toro build <app>             build only; compiler errors as file:line:column
  toro new <sample> <dir>      a new app folder from a sample (e.g. hello), with .vscode/launch.json and
                               tasks.json for F5; creates <dir> if missing, never overwrites a file
  toro stress <url> [options] HTTP load (autocannon, keep-alive) on a loopback URL, e.g. the one
                               toro run --network prints; prints requests/s, latency p50/p99, errors,
                               timeouts, non-2xx; exit 1 unless every answer was 2xx
      --connections N          concurrent connections (default 32, opened 25 ms apart)
      --new-connections        a new connection per request (Connection: close), like ab without -k
      --duration S             seconds of load (default 10) ...
      --requests N             ... or stop after N responses
      --timeout S              per-request timeout (default 20: QEMU's forwarded port drops SYNs when
                               clients connect at once, and they retry after 1, 3, 7, 15 s)
      --json                   print the result as JSON
  toro bench [options]         benchmark rows side by side in one run (a table): host CPU per idle policy,
                               wake-up latency, boot time, F5 latency, step round trip, telemetry,
                               network (HTTP requests/s, host CPU under and after load, time-to-idle)
      --only G1,G2             run only these groups: idle, wakeup, boot, f5, step, telemetry, trace, network
      --seconds S              measurement window per idle policy, and the network rows' load and
                               after-load windows (default 5)
      --boots N                boots for the boot-time median (default 5)
      --runs N                 F5 launches per side (default 5); the throughput row runs 2N rounds
      --steps N                "next" requests timed for the step round trip (default 10)
      --rounds N               network rounds, each with the tickless rows on 1 and 4 vCPUs side by
                               side, the count that goes first alternating; the ratio is the median of
                               the rounds' ratios (default 3)
      --network-cmdline "..."  more kernel command line for the network rows' http-server, e.g.
                               "steer=spread" (kernel/README.md "Network")
      --profile P              profile (default "default")
      --json                   print the results as JSON too
  toro exporter [options]      Prometheus metrics of every Toro VM of this user on this host (found in the
                               run folders each run writes; VMs may come and go), at /metrics
      --port N                 TCP port (default 9864)
      --listen ADDR            the address to bind (default 127.0.0.1)
      --qmp PATH               also read the VM behind this QMP socket (QEMU started elsewhere); repeatable
      --runs-dir DIR           where run folders are looked for (default: the system temp folder)
      --once                   print one exposition on stdout and exit (no server)
      --openmetrics            with --once: OpenMetrics instead of the Prometheus text format
  toro help                    this text

<app> is a folder with the app's .c files (e.g. samples/idle-demo), relative to the current folder or to
the Toro Studio repository.`;
