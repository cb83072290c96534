// workbench.ts - drives the VS Code workbench in the browser the way a person does: command palette, quick
// open, keyboard shortcuts, and reads what the views show (through their accessible labels). Used by the
// end-to-end tests and the benchmark; selectors are VS Code 1.100's.

import * as fs from "node:fs";
import * as path from "node:path";
import type { Frame, Locator, Page } from "playwright-core";

export class Workbench {
  constructor(
    readonly page: Page,
    readonly serverUrl: string,
    readonly artifacts: string,
  ) {
    fs.mkdirSync(artifacts, { recursive: true });
  }

  /** Loads the workbench on `folder` and waits until the extension host has activated extensions. */
  async openFolder(folder: string): Promise<void> {
    await this.page.goto(`${this.serverUrl}/?folder=${encodeURIComponent(folder)}`);
    await this.page.locator(".monaco-workbench .part.statusbar").waitFor({ timeout: 60_000 });
    await this.page.locator(".monaco-workbench .part.activitybar").waitFor({ timeout: 60_000 });
  }

  /**
   * Runs a command by its palette label ("Toro: Open Live Monitor"). A webview that takes focus just after the
   * palette opened closes it again, so the palette is opened until it stays open (three tries).
   */
  async runCommand(label: string): Promise<void> {
    const input = this.page.locator(".quick-input-widget input.input");
    for (let attempt = 1; ; attempt++) {
      await this.closeQuickInput();
      await this.page.keyboard.press("F1");
      try {
        await input.waitFor({ timeout: 5_000 });
        await input.fill(`>${label}`, { timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.waitForTimeout(500);
      }
    }
    const row = this.page.locator(".quick-input-widget .monaco-list-row", { hasText: label }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
  }

  /** Selects the editor tab whose label starts with `label` and lets its content take focus. */
  async selectTab(label: string): Promise<void> {
    await this.page.locator(`.tabs-container .tab[aria-label^="${label}"]`).click();
    await this.page.waitForTimeout(500);
  }

  async closeQuickInput(): Promise<void> {
    if (await this.page.locator(".quick-input-widget").isVisible()) await this.page.keyboard.press("Escape");
  }

  /**
   * Runs a command that shows a quick pick and picks `label` in it. As with the palette, a webview taking
   * focus can hide the quick pick again (the command then ends as cancelled, changing nothing), so the command
   * is run until its pick stays visible (three tries).
   */
  async runCommandAndPick(command: string, label: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.runCommand(command);
      const row = this.page.locator(".quick-input-widget .monaco-list-row", { hasText: label }).first();
      try {
        await row.waitFor({ state: "visible", timeout: 10_000 });
        await row.click({ timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.waitForTimeout(500);
      }
    }
  }

  /** Opens a file of the workspace through quick open. */
  async openFile(name: string): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press("Control+P");
    const input = this.page.locator(".quick-input-widget input.input");
    await input.waitFor();
    await input.fill(name);
    await this.page
      .locator(".quick-input-widget .monaco-list-row", { hasText: name })
      .first()
      .waitFor({ timeout: 20_000 });
    await this.page.keyboard.press("Enter");
    await this.page.locator(`.tabs-container .tab[aria-label^="${name}"]`).waitFor();
  }

  /** Moves the cursor of the active editor to `line` (1-based). */
  async goToLine(line: number): Promise<void> {
    await this.page.locator(".monaco-editor .view-lines").first().click();
    await this.page.keyboard.press("Control+G");
    const input = this.page.locator(".quick-input-widget input.input");
    await input.waitFor();
    await input.fill(`:${line}`);
    await this.page.keyboard.press("Enter");
  }

  /** Sets a breakpoint on `line` of the active editor (F9) and waits for its glyph. */
  async toggleBreakpoint(line: number): Promise<void> {
    await this.goToLine(line);
    await this.page.keyboard.press("F9");
    await this.page
      .locator(
        ".monaco-editor .codicon-debug-breakpoint, .monaco-editor .codicon-debug-breakpoint-unverified",
      )
      .first()
      .waitFor();
  }

  /** The rows of a tree view, by their accessible labels ("CPU 0: halted · ..."). */
  async treeRows(viewTitle: string): Promise<string[]> {
    const pane = this.viewPane(viewTitle);
    return pane
      .locator(".monaco-list-row")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("aria-label") ?? ""));
  }

  /** The description a view shows in its header ("ended", "VM stopped"), "" when none. */
  async viewDescription(viewTitle: string): Promise<string> {
    const description = this.page.locator(`.pane-header[aria-label^="${viewTitle}"] .description`);
    return (await description.count()) === 0 ? "" : ((await description.first().textContent()) ?? "");
  }

  viewPane(viewTitle: string): Locator {
    return this.page.locator(".pane", { has: this.page.locator(`.pane-header[aria-label^="${viewTitle}"]`) });
  }

  /** Collapses a view of the side bar (its header), so the views below it get its height. */
  async collapseView(viewTitle: string): Promise<void> {
    const header = this.page.locator(`.pane-header[aria-label^="${viewTitle}"]`).first();
    if ((await header.getAttribute("aria-expanded")) === "true") await header.click();
  }

  /** Rows of the Call Stack view by accessible label: "Thread CPU 1 · halted Paused", frames, sessions. */
  async callStackRows(): Promise<string[]> {
    const rows = this.page.locator(".debug-call-stack .monaco-list-row");
    return rows.evaluateAll((elements) =>
      elements.map((element) => element.getAttribute("aria-label") ?? ""),
    );
  }

  /** Opens the Toro view container (activity bar) so the Cores, Spinlocks and Threads views render. */
  async showToroViews(): Promise<void> {
    const cores = this.page.locator('.pane-header[aria-label^="Cores"]');
    if (await cores.isVisible()) return;
    await this.page.locator('.part.activitybar .action-item a[aria-label^="Toro"]').click();
    await cores.waitFor();
  }

  /** Opens the Run and Debug view (Call Stack, Variables). */
  async showRunAndDebug(): Promise<void> {
    const callStack = this.page.locator('.pane-header[aria-label^="Call Stack"]');
    if (await callStack.isVisible()) return;
    // The item, not its link: during a session a badge ("1 active session") lies over the link.
    const item = this.page.locator(".part.activitybar .action-item", {
      has: this.page.locator('a[aria-label^="Run and Debug"]'),
    });
    await item.click();
    await callStack.waitFor();
  }

  /** The text of the Toro status bar item, or null when it is hidden. */
  async toroStatusText(): Promise<string | null> {
    const item = this.page.locator('[id="toro-studio.toro.toro.status"]');
    return (await item.isVisible()) ? ((await item.textContent()) ?? "") : null;
  }

  async statusBarTexts(): Promise<string[]> {
    return this.page
      .locator(".part.statusbar .statusbar-item")
      .evaluateAll((items) => items.map((item) => item.textContent ?? ""));
  }

  /** The frame holding the page of a webview, found by an element id its page has. */
  async webviewFrame(elementId: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of this.page.frames()) {
        try {
          if ((await frame.locator(`#${elementId}`).count()) > 0) return frame;
        } catch {
          // A frame that navigated or went away meanwhile.
        }
      }
      if (Date.now() > deadline) throw new Error(`no webview frame with #${elementId}`);
      await this.page.waitForTimeout(250);
    }
  }

  /** Drags the primary side bar's edge so it is `width` pixels wide (for readable screenshots of its views). */
  async resizeSideBar(width: number): Promise<void> {
    const box = await this.page.locator(".part.sidebar").boundingBox();
    if (box === null) return;
    const edge = box.x + box.width - 1;
    const middle = box.y + box.height / 2;
    await this.page.mouse.move(edge, middle);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, middle, { steps: 5 });
    await this.page.mouse.up();
  }

  async screenshot(name: string): Promise<string> {
    const file = path.join(this.artifacts, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** What the page shows, for a failed test's report: the side bar, notifications, status bar, Call Stack. */
  async describeState(): Promise<string> {
    const texts = async (selector: string) =>
      this.page
        .locator(selector)
        .evaluateAll((elements) => elements.map((element) => (element as HTMLElement).innerText.trim()));
    const sections = {
      "side bar title": await texts(".part.sidebar .composite.title"),
      notifications: await texts(".notifications-toasts .notification-list-item"),
      "status bar": await texts(".part.statusbar .statusbar-item"),
      "call stack": await this.callStackRows(),
    };
    return Object.entries(sections)
      .map(([name, values]) => `${name}: ${JSON.stringify(values.filter((value) => value !== ""))}`)
      .join("\n");
  }
}

/** Polls `read` until `accept` returns true for its value; returns that value, or throws with the last one. */
export async function waitUntil<Value>(
  description: string,
  read: () => Promise<Value>,
  accept: (value: Value) => boolean,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  let last: Value | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${description}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
