// vitest.config.ts - test settings for the engine: unit tests (test/unit) and integration tests against
// real QEMU (test/integration). Files run one at a time: QEMU runs are CPU-heavy on small machines.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
