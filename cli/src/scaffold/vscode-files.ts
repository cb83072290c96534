// vscode-files.ts - the .vscode/launch.json and .vscode/tasks.json a new app folder gets, for the `toro`
// debugger type (served by dist/adapter.js) and the `toro` task type (the extension's task provider:
// `command` build | run, `app` folder, `$gcc` problem matcher). Pure; `toro new` (scaffold.ts) writes them and
// the extension's scaffolding command can import the same templates so the two never drift.

import { TORO_DEBUG_TYPE } from "@toro-studio/debug-adapter/protocol";

export const TORO_TASK_TYPE = "toro";
export const BUILD_TASK_LABEL = "toro: build";
export const RUN_TASK_LABEL = "toro: run";
/** The app is the workspace folder itself: the scaffolded folder is opened as the workspace. */
const APP_FOLDER = "${workspaceFolder}";

export function launchConfiguration(sampleName: string) {
  return {
    version: "0.2.0",
    configurations: [
      {
        type: TORO_DEBUG_TYPE,
        request: "launch",
        name: `Toro: debug ${sampleName}`,
        app: APP_FOLDER,
        stopOnEntry: false,
        preLaunchTask: BUILD_TASK_LABEL,
      },
    ],
  };
}

export function taskConfiguration() {
  return {
    version: "2.0.0",
    tasks: [
      {
        type: TORO_TASK_TYPE,
        command: "build",
        app: APP_FOLDER,
        label: BUILD_TASK_LABEL,
        group: { kind: "build", isDefault: true },
        problemMatcher: ["$gcc"],
      },
      {
        type: TORO_TASK_TYPE,
        command: "run",
        app: APP_FOLDER,
        label: RUN_TASK_LABEL,
        problemMatcher: ["$gcc"],
      },
    ],
  };
}

/** Files written next to the sample's sources, relative to the app folder. */
export function generatedFiles(sampleName: string): { relativePath: string; content: string }[] {
  return [
    {
      relativePath: ".vscode/launch.json",
      content: `${JSON.stringify(launchConfiguration(sampleName), null, 2)}\n`,
    },
    { relativePath: ".vscode/tasks.json", content: `${JSON.stringify(taskConfiguration(), null, 2)}\n` },
    { relativePath: ".gitignore", content: "build/\n" },
  ];
}
