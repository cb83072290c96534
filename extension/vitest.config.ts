// vitest.config.ts - the extension's unit tests (test/unit): pure view models, configuration resolution,
// scaffolding, the manifest against the adapter's launch schema. No VS Code needed. The end-to-end tests in
// a real VS Code have their own config (vitest.e2e.config.ts).
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The adapter's package exports map the "source" condition to its TypeScript (as for esbuild and tsc);
  // the other conditions are Vite's defaults.
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["source", "module", "node", "development|production"] } },
  test: {
    include: ["test/unit/**/*.test.ts"],
    environment: "node",
  },
});
