#!/usr/bin/env node
// start-code-server.mjs - `npm start`'s last step: code-server (install-code-server.mjs) on 127.0.0.1 with the
// freshly packaged .vsix installed and samples/idle-demo open, until Ctrl+C. Port: TORO_PORT, else 8080 when
// free, else any free port. User data and extensions live in a private temp folder removed on exit; the
// workspace is trusted without asking (it is this checkout).
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { codeServerExecutable, serveArguments, installedMarker } from "./code-server-location.mjs";

const extensionRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(extensionRoot, "package.json"), "utf8"));
const vsix = join(extensionRoot, `${manifest.name}-${manifest.version}.vsix`);
const folder = join(extensionRoot, "..", "samples", "idle-demo");

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function anyFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function choosePort() {
  if (process.env.TORO_PORT) return Number(process.env.TORO_PORT);
  return (await portIsFree(8080)) ? 8080 : anyFreePort();
}

if (!existsSync(installedMarker())) {
  console.error("start: code-server is not installed; run node extension/scripts/install-code-server.mjs");
  process.exit(1);
}
if (!existsSync(vsix)) {
  console.error(`start: ${vsix} is missing; run npm run package -w extension`);
  process.exit(1);
}

const root = mkdtempSync(join(tmpdir(), "toro-code-server-"));
chmodSync(root, 0o700);
const common = [
  "--config",
  join(root, "config.yaml"),
  "--user-data-dir",
  join(root, "user-data"),
  "--extensions-dir",
  join(root, "extensions"),
];
mkdirSync(join(root, "user-data", "User"), { recursive: true });
writeFileSync(
  join(root, "user-data", "User", "settings.json"),
  JSON.stringify(
    { "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "update.mode": "none" },
    null,
    2,
  ),
);
const installed = spawnSync(
  process.execPath,
  [codeServerExecutable(), ...common, "--install-extension", vsix],
  { encoding: "utf8" },
);
if (installed.status !== 0) {
  console.error(`start: installing the extension failed:\n${installed.stdout}${installed.stderr}`);
  rmSync(root, { recursive: true, force: true });
  process.exit(1);
}

const port = await choosePort();
const server = spawn(process.execPath, [codeServerExecutable(), ...common, ...serveArguments(port), folder], {
  stdio: ["ignore", "pipe", "inherit"],
});
server.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (chunk.toString().includes("HTTP server listening")) {
    console.log(`\nToro Studio in VS Code: http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
    console.log("Open it in a browser, press F5 in main.c, watch the Toro view. Ctrl+C stops code-server.\n");
  }
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.kill("SIGTERM");
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", (code) => {
  rmSync(root, { recursive: true, force: true });
  process.exit(stopping ? 0 : (code ?? 1));
});
