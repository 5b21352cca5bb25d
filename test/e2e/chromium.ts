/*
 * Debian's chromium driven by playwright-core, for the task pane's browser tests. A fresh profile per
 * launch; never a browser download.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import axe from "axe-core";
import { build } from "esbuild";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches chromium with a throwaway user data dir (removed on close). */
export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), "hedge-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1180, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs axe-core in the page (injected over the debugging protocol, which the page's CSP does not govern), once
 * colour transitions have settled: a Fluent button fades its colours over 100 ms when it is enabled or
 * disabled, and axe reading a colour halfway through would report a contrast no one sees for longer than that.
 */
export async function axeViolations(page: Page): Promise<{ id: string; help: string; targets: string[] }[]> {
  await page.evaluate(async () => {
    const end = performance.now() + 2_000;
    for (;;) {
      const moving = document
        .getAnimations()
        .filter((a) => a instanceof CSSTransition && a.playState === "running");
      if (moving.length === 0 || performance.now() > end) return;
      await Promise.race([
        Promise.allSettled(moving.map((a) => a.finished)),
        new Promise((resolve) => setTimeout(resolve, 250)),
      ]);
    }
  });
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
}

/** The Excel double and its Office (excel-in-page.ts), bundled as one script for `page.addInitScript`. */
export async function excelInPageScript(): Promise<string> {
  const bundle = await build({
    entryPoints: ["test/e2e/excel-in-page.ts"],
    bundle: true,
    format: "iife",
    target: "es2020",
    write: false,
  });
  return bundle.outputFiles[0].text;
}

/** Evaluates `fn` in the page with `x` bound to the in-page workbook double. */
export const workbook = <T>(page: Page, fn: string): Promise<T> =>
  page.evaluate(`(() => { const x = window.__fakeExcel; return ${fn}; })()`) as Promise<T>;
