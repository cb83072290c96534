#!/usr/bin/env node
// package-vsix.mjs - makes toro-<version>.vsix with vsce from a staging folder: the built dist/ (run
// build.mjs first), media/, README.md, and copies of the repository's kernel/, qemu-profiles/ and samples/
// (build output left out), so a project scaffolded anywhere builds against the bundled kernel. The staged
// package.json drops scripts and devDependencies (nothing to run, nothing to bundle: esbuild already did).
// README links stay relative (there is no repository URL to rewrite them to): VS Code resolves them inside
// the installed extension, where media/screenshots/ is.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const extensionRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const repositoryRoot = join(extensionRoot, "..");
const stage = join(extensionRoot, "out", "vsix-stage");
const manifest = JSON.parse(readFileSync(join(extensionRoot, "package.json"), "utf8"));
const output = join(extensionRoot, `${manifest.name}-${manifest.version}.vsix`);

/** Folders never shipped: build output of the kernel and of the samples. */
const EXCLUDED_DIRECTORIES = new Set(["build", "node_modules"]);
const copyFilter = (source) =>
  !(EXCLUDED_DIRECTORIES.has(basename(source)) && statSync(source).isDirectory());

if (
  !existsSync(join(extensionRoot, "dist", "extension.js")) ||
  !existsSync(join(extensionRoot, "dist", "adapter.js"))
) {
  console.error("package-vsix: dist/ is missing; run `npm run build -w extension` first");
  process.exit(1);
}

const started = performance.now();
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync(join(extensionRoot, "dist"), join(stage, "dist"), {
  recursive: true,
  filter: (source) => !source.endsWith(".map"),
});
cpSync(join(extensionRoot, "media"), join(stage, "media"), { recursive: true });
cpSync(join(extensionRoot, "README.md"), join(stage, "README.md"));
for (const folder of ["kernel", "qemu-profiles", "samples"]) {
  cpSync(join(repositoryRoot, folder), join(stage, folder), { recursive: true, filter: copyFilter });
}
const { scripts: _scripts, devDependencies: _devDependencies, ...stagedManifest } = manifest;
writeFileSync(join(stage, "package.json"), `${JSON.stringify(stagedManifest, null, 2)}\n`);
// Without a .vscodeignore vsce takes every file of the staging folder, which holds only what ships.
writeFileSync(join(stage, ".vscodeignore"), "");

const vsce = join(dirname(fileURLToPath(import.meta.resolve("@vscode/vsce/package.json"))), "vsce");
const result = spawnSync(
  process.execPath,
  [
    vsce,
    "package",
    "--no-dependencies",
    "--allow-missing-repository",
    "--skip-license",
    "--no-rewrite-relative-links",
    "--out",
    output,
  ],
  { cwd: stage, stdio: "inherit" },
);
rmSync(stage, { recursive: true, force: true });
if (result.status !== 0) {
  console.error(`package-vsix: vsce failed (exit ${result.status})`);
  process.exit(1);
}
const sizeKiB = Math.round(statSync(output).size / 1024);
console.log(`package-vsix: ${output} (${sizeKiB} KiB) in ${Math.round(performance.now() - started)} ms`);
