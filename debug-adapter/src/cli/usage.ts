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
  toro bench [options]         host CPU per idle policy, wake-up latency, boot time (a table)
      --seconds S              measurement window per policy (default 5)
      --boots N                boots for the boot-time median (default 5)
      --profile P              profile (default "default")
      --json                   print the results as JSON too
  toro help                    this text

<app> is a folder with the app's .c files (e.g. samples/idle-demo), relative to the current folder or to
the Toro Studio repository.`;
