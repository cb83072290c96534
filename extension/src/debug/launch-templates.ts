// launch-templates.ts - the launch.json and tasks.json entries the extension writes or offers: the initial
// configuration (package.json initialConfigurations, the provider's provideDebugConfigurations and a
// scaffolded project's .vscode/launch.json all use it) and a project's build task. Pure.

import { TORO_DEBUG_TYPE } from "@toro-studio/debug-adapter/protocol";
import { PROBLEM_MATCHER, TASK_TYPE } from "../ids";

export interface LaunchConfigurationTemplate {
  type: string;
  request: "launch";
  name: string;
  app: string;
  cpus: number;
  idle: "tickless";
  stopOnEntry: boolean;
  [key: string]: unknown;
}

/** The configuration F5 would use for the app in ${workspaceFolder}, written out. */
export function initialLaunchConfiguration(): LaunchConfigurationTemplate {
  return {
    type: TORO_DEBUG_TYPE,
    request: "launch",
    name: "Toro: debug app",
    app: "${workspaceFolder}",
    cpus: 4,
    idle: "tickless",
    stopOnEntry: false,
  };
}

export function launchJson(): string {
  return `${JSON.stringify({ version: "0.2.0", configurations: [initialLaunchConfiguration()] }, null, 2)}\n`;
}

export function tasksJson(): string {
  const buildTask = {
    type: TASK_TYPE,
    command: "build",
    app: "${workspaceFolder}",
    label: "toro: build app",
    problemMatcher: [PROBLEM_MATCHER],
    group: { kind: "build", isDefault: true },
  };
  return `${JSON.stringify({ version: "2.0.0", tasks: [buildTask] }, null, 2)}\n`;
}
