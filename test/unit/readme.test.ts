import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readMetadata } from "../support/bundle";

// The README's first screen and function table are promises to a new user; keep them true.
describe("README", () => {
  const readme = readFileSync("README.md", "utf8");
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };

  it("gives the install-and-start and test commands on its first screen, and they exist", () => {
    const firstScreen = readme.split("\n").slice(0, 20).join("\n");
    expect(firstScreen).toContain("npm install && npm start");
    expect(firstScreen).toContain("npm test");
    expect(pkg.scripts.start).toBeTruthy();
    expect(pkg.scripts.test).toBeTruthy();
  });

  it("lists every function with a link to its help anchor", () => {
    for (const fn of readMetadata()) {
      const anchor = new URL(fn.helpUrl!).hash;
      expect(readme, fn.name).toContain(`[\`HEDGE.${fn.name}(`);
      expect(readme, fn.name).toContain(`help/functions.html${anchor})`);
    }
  });

  it("runs exactly the README's test command in CI", () => {
    const ci = readFileSync(".ci/run", "utf8");
    expect(ci).toMatch(/^npm test$/m);
    expect(ci).toMatch(/^npm ci/m);
  });
});
