// vitest.config.ts - the extension's unit tests (test/unit): pure view models, configuration resolution,
// scaffolding, the manifest against the adapter's launch schema. No VS Code needed. The end-to-end tests in
// a real VS Code have their own config (vitest.e2e.config.ts).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    environment: "node",
  },
});
