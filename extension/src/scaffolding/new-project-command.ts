// new-project-command.ts - `Toro: New Project from Sample` (command palette and the Get Started walkthrough):
// pick a sample, pick a folder, write the project (scaffold-project.ts, never overwriting), open it.
// An empty folder receives the project itself; a folder with files receives a subfolder named after the sample.

import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { Command } from "../ids";
import type { CheckoutLookup } from "../tasks/task-provider";
import { listSamples, type SampleInfo } from "./samples";
import { scaffoldProject, type ScaffoldResult } from "./scaffold-project";

/** Where the project goes inside the folder the user picked. */
export function projectDirectory(pickedFolder: string, sampleName: string): string {
  const entries = fs.existsSync(pickedFolder) ? fs.readdirSync(pickedFolder) : [];
  return entries.length === 0 ? pickedFolder : path.join(pickedFolder, sampleName);
}

async function pickSample(samples: SampleInfo[]): Promise<SampleInfo | undefined> {
  const chosen = await vscode.window.showQuickPick(
    samples.map((sample) => ({ label: sample.name, detail: sample.summary, sample })),
    {
      title: "Toro: new project from sample",
      placeHolder: "Pick the sample to start from",
      matchOnDetail: true,
    },
  );
  return chosen?.sample;
}

async function pickFolder(sample: SampleInfo): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: "Create Project Here",
    title: `Folder for the new ${sample.name} project (an empty folder, or one that receives ${sample.name}/)`,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0]?.fsPath;
}

function summary(result: ScaffoldResult, directory: string): string {
  const kept =
    result.kept.length === 0
      ? ""
      : `; kept ${result.kept.length} existing file(s) unchanged: ${result.kept.join(", ")}`;
  return `Toro: wrote ${result.written.length} file(s) to ${directory}${kept}.`;
}

export function registerNewProjectCommand(context: vscode.ExtensionContext, checkout: CheckoutLookup): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.newProject, async () => {
      const samples = listSamples(checkout().samples);
      const sample = await pickSample(samples);
      if (sample === undefined) return;
      const folder = await pickFolder(sample);
      if (folder === undefined) return;
      const directory = projectDirectory(folder, sample.name);
      let result: ScaffoldResult;
      try {
        result = scaffoldProject(sample.directory, directory);
      } catch (error) {
        void vscode.window.showErrorMessage(
          `Toro: could not write the project to ${directory}: ${(error as Error).message}`,
        );
        return;
      }
      void vscode.window.showInformationMessage(summary(result, directory));
      const uri = vscode.Uri.file(directory);
      const alreadyOpen =
        vscode.workspace.workspaceFolders?.some((open) => open.uri.fsPath === directory) ?? false;
      if (alreadyOpen) {
        await vscode.window.showTextDocument(vscode.Uri.joinPath(uri, "main.c"));
        return;
      }
      await vscode.commands.executeCommand("vscode.openFolder", uri, { forceNewWindow: false });
    }),
  );
}
