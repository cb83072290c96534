// manifest.test.ts - package.json's contributions agree with the code: the launch schema equals the one
// generated from the adapter's argument declaration (debug-adapter/src/protocol/launch-arguments.ts), every
// field has hover docs, and the command, view, setting, task and problem-matcher ids are those of src/ids.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { TORO_LAUNCH_SCHEMA, type ToroLaunchArguments } from "@toro-studio/debug-adapter/protocol";
import { initialLaunchConfiguration } from "../../src/debug/launch-templates";
import { generatedDebuggerFields } from "../../src/debug/launch-schema";
import { Command, PROBLEM_MATCHER, Setting, TASK_TYPE, View, WALKTHROUGH_ID } from "../../src/ids";
import { TASK_COMMANDS } from "../../src/tasks/build-task";

const extensionRoot = path.resolve(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, "package.json"), "utf8"));
const contributes = manifest.contributes;
const debuggerContribution = contributes.debuggers[0];

describe("launch.json schema", () => {
  it("equals the schema generated from the adapter's argument declaration (run `npm run sync-manifest -w extension` after changing it)", () => {
    for (const [key, value] of Object.entries(generatedDebuggerFields())) {
      expect(debuggerContribution[key], key).toEqual(value);
    }
  });

  it("documents every launch and attach field for hover and completion", () => {
    for (const request of ["launch", "attach"]) {
      const properties = debuggerContribution.configurationAttributes[request].properties;
      expect(Object.keys(properties).length).toBeGreaterThan(3);
      for (const [name, property] of Object.entries<Record<string, unknown>>(properties)) {
        expect(typeof property.description, `${request}.${name}`).toBe("string");
        expect((property.markdownDescription as string).length, `${request}.${name}`).toBeGreaterThan(10);
        expect(property.type, `${request}.${name}`).toBeDefined();
      }
    }
  });

  it("offers an initial configuration and snippets that use only declared fields", () => {
    const launchFields = new Set([...Object.keys(TORO_LAUNCH_SCHEMA.properties), "type", "request", "name"]);
    const attachFields = new Set([
      ...Object.keys(debuggerContribution.configurationAttributes.attach.properties),
      "type",
      "request",
      "name",
    ]);
    const initial: ToroLaunchArguments & { type: string } = initialLaunchConfiguration();
    expect(debuggerContribution.initialConfigurations).toEqual([initial]);
    for (const snippet of debuggerContribution.configurationSnippets) {
      const fields = snippet.body.request === "attach" ? attachFields : launchFields;
      expect(snippet.body.type).toBe("toro");
      for (const key of Object.keys(snippet.body))
        expect(fields.has(key), `${snippet.label}: ${key}`).toBe(true);
    }
    expect(debuggerContribution.languages).toEqual(["c"]);
    expect(contributes.breakpoints).toEqual([{ language: "c" }]);
  });
});

describe("ids", () => {
  it("contributes exactly the commands of src/ids.ts, all under the Toro category", () => {
    const contributed = contributes.commands.map((command: { command: string }) => command.command).sort();
    expect(contributed).toEqual(Object.values(Command).sort());
    for (const command of contributes.commands) expect(command.category).toBe("Toro");
  });

  it("contributes the views of src/ids.ts in the Toro activity-bar container", () => {
    expect(contributes.viewsContainers.activitybar[0].id).toBe(View.container);
    expect(contributes.views[View.container].map((view: { id: string }) => view.id)).toEqual([
      View.cores,
      View.spinlocks,
      View.threads,
    ]);
  });

  it("contributes the Cores tree to the Run and Debug container too, shown only in a toro session", () => {
    expect(contributes.views.debug).toEqual([
      { id: View.debugCores, name: "Toro Cores", when: "debugType == toro", contextualTitle: "Toro" },
    ]);
  });

  it("contributes the settings of src/ids.ts and restricts the ones that run programs in untrusted workspaces", () => {
    const keys = Object.keys(contributes.configuration.properties).sort();
    const expected = Object.entries(Setting)
      .filter(([name]) => name !== "section")
      .map(([, key]) => `${Setting.section}.${key}`)
      .sort();
    expect(keys).toEqual(expected);
    expect(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.sort()).toEqual([
      "toro.gdbPath",
      "toro.kernelCheckout",
      "toro.qemuPath",
      "toro.toolchainPrefix",
    ]);
  });

  it("declares the toro task type and the problem matcher the tasks use", () => {
    const definition = contributes.taskDefinitions[0];
    expect(definition.type).toBe(TASK_TYPE);
    expect(definition.properties.command.enum).toEqual([...TASK_COMMANDS]);
    expect(`$${contributes.problemMatchers[0].name}`).toBe(PROBLEM_MATCHER);
  });

  it("links only contributed or built-in commands from the walkthrough", () => {
    const walkthrough = contributes.walkthroughs[0];
    expect(walkthrough.id).toBe(WALKTHROUGH_ID);
    const known = new Set([...Object.values(Command), "workbench.action.debug.start", `${View.cores}.focus`]);
    for (const step of walkthrough.steps) {
      for (const match of step.description.matchAll(/\(command:([\w.]+)\)/g))
        expect(known.has(match[1]), match[1]).toBe(true);
      expect(fs.existsSync(path.join(extensionRoot, step.media.markdown)), step.media.markdown).toBe(true);
    }
  });

  it("targets the VS Code of code-server 4.100.3 with matching API types", () => {
    expect(manifest.engines.vscode).toBe("^1.100.0");
    const types = JSON.parse(fs.readFileSync(require.resolve("@types/vscode/package.json"), "utf8"));
    expect(types.version.startsWith("1.100.")).toBe(true);
  });
});

describe("the $toro-gcc problem pattern", () => {
  const pattern = new RegExp(contributes.problemPatterns[0].regexp);

  it("reads gcc's errors and warnings with absolute paths, and GNU as's errors", () => {
    expect(pattern.exec("/home/me/app/main.c:12:5: error: expected ';' before '}' token")?.slice(1)).toEqual([
      "/home/me/app/main.c",
      "12",
      "5",
      "error",
      "expected ';' before '}' token",
    ]);
    expect(pattern.exec("/k/core/sched.c:7:1: warning: unused variable 'x' [-Wunused-variable]")?.[4]).toBe(
      "warning",
    );
    expect(pattern.exec("/app/main.c:3:10: fatal error: missing.h: No such file or directory")?.[5]).toBe(
      "missing.h: No such file or directory",
    );
    expect(pattern.exec("/k/arch/boot.S:40: Error: no such instruction: `foo'")?.slice(1, 5)).toEqual([
      "/k/arch/boot.S",
      "40",
      undefined,
      "Error",
    ]);
  });

  it("ignores make's own lines", () => {
    expect(pattern.exec("make: Entering directory '/k'")).toBeNull();
    expect(pattern.exec("gcc -I/k/include -c -o main.o main.c")).toBeNull();
  });
});
