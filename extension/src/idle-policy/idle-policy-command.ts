// idle-policy-command.ts - `Toro: Switch Idle Policy`: pick busy / pause / halt / tickless and the current
// Toro session restarts with `idle` set to it (or, with no session, the open app starts with it), so the
// before/after of Toro's idle-loop experiment is one click apart. The choices and their meaning come from
// the adapter's launch schema (debug-adapter/src/protocol/launch-arguments.ts).

import * as vscode from "vscode";
import {
  TORO_DEBUG_TYPE,
  TORO_LAUNCH_SCHEMA,
  type ToroIdlePolicy,
} from "@toro-studio/debug-adapter/protocol";
import type { SessionTracker } from "../debug/session-tracker";
import { Command } from "../ids";
import type { TelemetryStore } from "../telemetry/telemetry-store";

/** How long a stopping session may take before the restart gives up (ms). */
const STOP_TIMEOUT_MS = 20_000;

export const IDLE_POLICIES = TORO_LAUNCH_SCHEMA.properties.idle.enum;

export function isIdlePolicy(value: unknown): value is ToroIdlePolicy {
  return typeof value === "string" && (IDLE_POLICIES as readonly string[]).includes(value);
}

async function pickPolicy(current: string | undefined): Promise<ToroIdlePolicy | undefined> {
  const descriptions = TORO_LAUNCH_SCHEMA.properties.idle.enumDescriptions;
  const items = IDLE_POLICIES.map((policy, index) => ({
    label: policy,
    description: policy === current ? "(current)" : undefined,
    detail: descriptions[index],
    policy,
  }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: "Toro: idle policy",
    placeHolder: "The session restarts with this policy",
  });
  return chosen?.policy;
}

function waitForTermination(session: vscode.DebugSession): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the session "${session.name}" did not stop within ${STOP_TIMEOUT_MS / 1000} s`));
    }, STOP_TIMEOUT_MS);
    const subscription = vscode.debug.onDidTerminateDebugSession((ended) => {
      if (ended.id !== session.id) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

/** Stops `session` and starts the same configuration with `idle` replaced. */
export async function restartWithPolicy(
  session: vscode.DebugSession,
  policy: ToroIdlePolicy,
): Promise<boolean> {
  const configuration = { ...session.configuration, idle: policy };
  const terminated = waitForTermination(session);
  await vscode.debug.stopDebugging(session);
  await terminated;
  return vscode.debug.startDebugging(session.workspaceFolder, configuration);
}

export function registerIdlePolicyCommand(
  context: vscode.ExtensionContext,
  tracker: SessionTracker,
  store: TelemetryStore,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.switchIdlePolicy, async (argument?: unknown) => {
      const session = tracker.session;
      const current = session?.configuration.idle ?? store.latest?.global?.idlePolicy;
      const policy = isIdlePolicy(argument)
        ? argument
        : await pickPolicy(typeof current === "string" ? current : undefined);
      if (policy === undefined) return;
      try {
        if (session !== undefined) await restartWithPolicy(session, policy);
        else {
          const folder = vscode.workspace.workspaceFolders?.[0];
          await vscode.debug.startDebugging(folder, {
            type: TORO_DEBUG_TYPE,
            request: "launch",
            name: `Toro: idle=${policy}`,
            idle: policy,
          });
        }
      } catch (error) {
        void vscode.window.showErrorMessage(
          `Toro: could not restart with idle=${policy}: ${(error as Error).message}`,
        );
      }
    }),
  );
}
