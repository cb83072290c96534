// code-server-location.mjs - where install-code-server.mjs puts code-server and where the end-to-end tests,
// the benchmark and start-code-server.mjs find it: a cache folder outside the repository (and its lock
// file), one per version, overridable with TORO_CODE_SERVER_DIR.
import { homedir } from "node:os";
import { join } from "node:path";

/** The last code-server release for Node 20; its VS Code is 1.100.3 (package.json engines.vscode). */
export const CODE_SERVER_VERSION = "4.100.3";

export function codeServerDirectory() {
  if (process.env.TORO_CODE_SERVER_DIR) return process.env.TORO_CODE_SERVER_DIR;
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(cacheHome, "toro-studio", `code-server-${CODE_SERVER_VERSION}`);
}

/** The code-server launcher script inside the cache folder. */
export function codeServerExecutable(directory = codeServerDirectory()) {
  return join(directory, "node_modules", "code-server", "out", "node", "entry.js");
}

/** Written last by the installer: its presence means a complete install of this version. */
export function installedMarker(directory = codeServerDirectory()) {
  return join(directory, ".installed");
}

/**
 * How code-server serves the workbench, for `npm start` and the end-to-end tests alike: bound to
 * 127.0.0.1 only (no authentication is safe only there), no telemetry, no update check, and no trust
 * prompt (the extension declares what untrusted workspaces may do).
 */
export function serveArguments(port) {
  return [
    "--bind-addr",
    `127.0.0.1:${port}`,
    "--auth",
    "none",
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
  ];
}
