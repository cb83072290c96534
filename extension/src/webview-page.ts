// webview-page.ts - the one way the extension's webview panels (monitor, timeline) are set up: the options
// (scripts on, resources only from dist/webview/ and media/) and the page around a panel's body, with a
// Content Security Policy of default-src 'none', styles and fonts from the extension, and only the one
// script tag that carries this page's nonce.

import { randomBytes } from "node:crypto";
import * as vscode from "vscode";

export function webviewPanelOptions(
  extensionUri: vscode.Uri,
): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, "dist", "webview"),
      vscode.Uri.joinPath(extensionUri, "media"),
    ],
  };
}

export interface WebviewPageContent {
  title: string;
  /** Style sheets in dist/webview/, in order. */
  styles: string[];
  /** The page's script in dist/webview/ (built by scripts/build.mjs). */
  script: string;
  /** The markup inside <body>, before the script. */
  body: string;
}

export function webviewPage(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  content: WebviewPageContent,
): string {
  const nonce = randomBytes(16).toString("base64");
  const asset = (name: string) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "webview", name)).toString();
  const policy = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
  ].join("; ");
  const styles = content.styles.map((name) => `  <link rel="stylesheet" href="${asset(name)}">\n`).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${policy}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}  <title>${content.title}</title>
</head>
<body>
${content.body}
  <script nonce="${nonce}" src="${asset(content.script)}"></script>
</body>
</html>`;
}
