// vitest.config.ts - the CLI's tests: its pure parts (arguments, views, reports, the load generator) and the
// `toro` command end to end against real QEMU (run, new, bench, stress). Files run one at a time: QEMU runs are
// CPU-heavy on small machines. The engine is imported through its package exports' "source" condition (its
// TypeScript), as in the extension's tests.
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source", "module", "node", "development|production"] },
  ssr: { resolve: { conditions: ["source", "module", "node", "development|production"] } },
  test: {
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
