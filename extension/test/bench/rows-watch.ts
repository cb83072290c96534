// rows-watch.ts - when the Cores view's DOM first shows the new session's 4 cores, timed in the page
// itself (a MutationObserver on the view's pane, Date.now(): the wall clock the bench and the extension
// share), so the F5 bench can tell VS Code drawing the rows from its own polling (every 25 ms, two page
// queries each). The condition is the bench's (extension-bench.ts f5ToFourCores): the old rows gone first,
// then 4 rows with halts and a description that does not end in "ended".

import type { Page } from "playwright-core";

/** Installs the observer for the next F5 (replacing an earlier one). */
export async function watchCoresRows(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Watch = { observer: MutationObserver; seenAt: number | null };
    const holder = window as unknown as { toroRowsWatch?: Watch };
    holder.toroRowsWatch?.observer.disconnect();
    const header = document.querySelector('.pane-header[aria-label^="Cores"]');
    const pane = header?.closest(".pane");
    if (pane === null || pane === undefined) return;
    let oldRowsGone = false;
    const watch: Watch = { observer: new MutationObserver(() => check()), seenAt: null };
    const check = () => {
      const rows = Array.from(pane.querySelectorAll(".monaco-list-row")).map(
        (row) => row.getAttribute("aria-label") ?? "",
      );
      const description = pane.querySelector(".pane-header .description")?.textContent ?? "";
      const fourCores = rows.length === 4 && rows.every((row) => /\d halts/.test(row));
      if (!fourCores) oldRowsGone = true;
      if (oldRowsGone && fourCores && !description.endsWith("ended")) {
        watch.seenAt = Date.now();
        watch.observer.disconnect();
      }
    };
    watch.observer.observe(pane, { subtree: true, childList: true, attributes: true, characterData: true });
    holder.toroRowsWatch = watch;
  });
}

/** When the observer saw the rows (epoch ms), or null. */
export async function coresRowsSeenAt(page: Page): Promise<number | null> {
  return page.evaluate(
    () => (window as unknown as { toroRowsWatch?: { seenAt: number | null } }).toroRowsWatch?.seenAt ?? null,
  );
}
