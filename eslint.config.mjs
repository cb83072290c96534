// eslint.config.mjs - lint rules for every TypeScript workspace (run by `npm run lint` in CI), including the
// package boundaries of ARCHITECTURE.md: a workspace imports another only through its package.json `exports`
// (never its src/, dist/ or test/, never by a relative path), the debug adapter never imports the CLI (cli/),
// the engine never imports the DAP session, and gdb-js is imported only behind debug-adapter/src/gdb/ (and by
// the adapter's tests).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

/** Imports that reach into another workspace instead of going through its package.json `exports`. */
const ACROSS_PACKAGES = [
  {
    regex: "^@toro-studio/[^/]+/(src|dist|test|node_modules)(/|$)",
    message:
      "Import another workspace through its package.json exports (e.g. @toro-studio/debug-adapter/protocol).",
  },
  {
    regex: "^(\\.\\./)+(debug-adapter|cli|extension|kernel|samples|qemu-profiles)/",
    message: "No relative imports across workspaces: import the package by name, through its exports.",
  },
];
/**
 * The adapter the .vsix ships sits below the CLI: it never imports the CLI, the bench or the load generator
 * (autocannon), which live in cli/.
 */
const BELOW_THE_CLI = [
  { group: ["@toro-studio/cli", "@toro-studio/cli/*"], message: "The debug adapter never imports the CLI." },
  { group: ["autocannon", "autocannon/*"], message: "The HTTP load generator lives in cli/src/stress." },
];
/** gdb-js has quirks that debug-adapter/src/gdb/ works around: nothing else talks to it. */
const GDB_JS = {
  group: ["gdb-js", "gdb-js/*"],
  message: "Use GDB through debug-adapter/src/gdb (its index.ts).",
};
/** The engine (and the protocol) know nothing of DAP or the session. */
const ABOVE_THE_ENGINE = [
  { group: ["@vscode/debugadapter", "@vscode/debugprotocol"], message: "The engine knows nothing of DAP." },
  { regex: "^(\\.\\./)+session(/|$)", message: "The engine never imports the DAP session." },
];

export default tseslint.config(
  { ignores: ["**/dist/**", "**/build/**", "**/node_modules/**", "**/out/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["**/*.mjs"], languageOptions: { globals: globals.node } },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      "no-console": "off",
      "no-restricted-imports": ["error", { patterns: [...ACROSS_PACKAGES, GDB_JS] }],
    },
  },
  {
    // The adapter's tests may use gdb-js too: they check the gdb module's line guard against its parser.
    files: ["debug-adapter/src/**", "debug-adapter/test/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [...ACROSS_PACKAGES, GDB_JS, ...BELOW_THE_CLI] }],
    },
  },
  {
    files: ["debug-adapter/src/gdb/**", "debug-adapter/test/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [...ACROSS_PACKAGES, ...BELOW_THE_CLI] }] },
  },
  {
    files: ["debug-adapter/src/engine/**", "debug-adapter/src/protocol/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [...ACROSS_PACKAGES, GDB_JS, ...BELOW_THE_CLI, ...ABOVE_THE_ENGINE] },
      ],
    },
  },
);
