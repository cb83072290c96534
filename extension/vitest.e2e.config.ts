// vitest.e2e.config.ts - the end-to-end tests in a real VS Code (code-server + Chromium, test/e2e): one file
// at a time, long timeouts (a build and a QEMU boot under TCG per launch). Screenshots go to out/e2e/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The adapter's package exports map the "source" condition to its TypeScript (as for esbuild and tsc);
  // the other conditions are Vite's defaults.
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["source", "module", "node", "development|production"] } },
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    reporters: ["verbose"],
  },
});
