// vitest.e2e.config.ts - the end-to-end tests in a real VS Code (code-server + Chromium, test/e2e): one file
// at a time, long timeouts (a build and a QEMU boot under TCG per launch). Screenshots go to out/e2e/.
// Module resolution (the adapter's "source" export condition) as in vitest.config.ts.
import { defineConfig, mergeConfig } from "vitest/config";
import unitConfig from "./vitest.config";

export default mergeConfig(
  { resolve: unitConfig.resolve, ssr: unitConfig.ssr },
  defineConfig({
    test: {
      include: ["test/e2e/**/*.e2e.test.ts"],
      environment: "node",
      fileParallelism: false,
      testTimeout: 180_000,
      hookTimeout: 120_000,
      reporters: ["verbose"],
    },
  }),
);
