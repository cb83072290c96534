// eslint.config.mjs - lint rules for every TypeScript workspace (run by `npm run lint` in CI), including the
// package boundaries of ARCHITECTURE.md: a workspace imports another only through its package.json `exports`
// (never its src/, dist/ or test/, never by a relative path), the engine and GDB layers never import the DAP
// session or the CLI, and gdb-js is imported only behind debug-adapter/src/gdb/ (and by the adapter's tests).
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
    regex: "^(\\.\\./)+(debug-adapter|extension|kernel|samples|qemu-profiles)/",
    message: "No relative imports across workspaces: import the package by name, through its exports.",
  },
];
/** gdb-js has quirks that debug-adapter/src/gdb/ works around: nothing else talks to it. */
const GDB_JS = {
  group: ["gdb-js", "gdb-js/*"],
  message: "Use GDB through debug-adapter/src/gdb (its index.ts).",
};
/** The engine (and the protocol) know nothing of DAP, the session or the CLI. */
const ABOVE_THE_ENGINE = [
  { group: ["@vscode/debugadapter", "@vscode/debugprotocol"], message: "The engine knows nothing of DAP." },
  { regex: "^(\\.\\./)+(session|cli)(/|$)", message: "The engine never imports the DAP session or the CLI." },
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
    files: ["debug-adapter/src/gdb/**", "debug-adapter/test/**"],
    rules: { "no-restricted-imports": ["error", { patterns: ACROSS_PACKAGES }] },
  },
  {
    files: ["debug-adapter/src/engine/**", "debug-adapter/src/protocol/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [...ACROSS_PACKAGES, GDB_JS, ...ABOVE_THE_ENGINE] }],
    },
  },
);
