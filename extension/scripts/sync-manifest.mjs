#!/usr/bin/env node
// sync-manifest.mjs - writes the generated parts of package.json's `toro` debugger contribution
// (configurationAttributes from the adapter's launch-arguments.ts, initialConfigurations) from
// src/debug/launch-schema.ts. `--check` only compares and exits 1 on drift (the unit test does the same).
import * as esbuild from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { fileURLToPath } from "node:url";

const extensionRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifestPath = join(extensionRoot, "package.json");

const bundle = await esbuild.build({
  entryPoints: [join(extensionRoot, "src", "debug", "launch-schema.ts")],
  bundle: true,
  format: "esm",
  platform: "node",
  conditions: ["source"], // the adapter's package exports: its TypeScript
  write: false,
});
const module = await import(
  `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`
);
const generated = module.generatedDebuggerFields();

const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const debuggerContribution = manifest.contributes.debuggers[0];
const drifted = Object.keys(generated).filter(
  (key) => !isDeepStrictEqual(debuggerContribution[key], generated[key]),
);

if (process.argv.includes("--check")) {
  if (drifted.length > 0) {
    console.error(
      `sync-manifest: package.json is out of date (${drifted.join(", ")}); run: npm run sync-manifest -w extension`,
    );
    process.exit(1);
  }
  console.log("sync-manifest: package.json matches the adapter's launch schema");
} else {
  Object.assign(debuggerContribution, generated);
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    drifted.length > 0 ? `sync-manifest: updated ${drifted.join(", ")}` : "sync-manifest: already up to date",
  );
}
