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
                               serial output then goes to stderr
  toro build <app>             build only; compiler errors as file:line:column
  toro new <sample> <dir>      a new app folder from a sample (e.g. hello), with .vscode/launch.json and
                               tasks.json for F5; creates <dir> if missing, never overwrites a file
  toro bench [options]         benchmark rows side by side in one run (a table): host CPU per idle policy,
                               wake-up latency, boot time, F5 latency, step round trip, telemetry
      --only G1,G2             run only these groups: idle, wakeup, boot, f5, step, telemetry
      --seconds S              measurement window per idle policy (default 5)
      --boots N                boots for the boot-time median (default 5)
      --runs N                 F5 launches per side (default 5); the throughput row runs 2N rounds
      --steps N                "next" requests timed for the step round trip (default 10)
      --profile P              profile (default "default")
      --json                   print the results as JSON too
  toro help                    this text

<app> is a folder with the app's .c files (e.g. samples/idle-demo), relative to the current folder or to
the Toro Studio repository.`;
