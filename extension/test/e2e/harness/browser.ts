// browser.ts - Debian's Chromium driven by playwright-core (no browser download): a persistent context in the
// test's private folder (profile, config and cache), headless, no sandbox (root in CI), no background networking.

import * as path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.TORO_CHROMIUM ?? "/usr/bin/chromium";

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(root: string): Promise<Browser> {
  const context = await chromium.launchPersistentContext(path.join(root, "chromium-profile"), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1600, height: 1000 },
    // Chromium keeps crash reports under $XDG_CONFIG_HOME/chromium even with a profile folder: keep them private.
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(root, "xdg-config"),
      XDG_CACHE_HOME: path.join(root, "xdg-cache"),
    },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close() };
}
