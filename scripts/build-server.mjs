// Compiles the server (src/server/main.ts and what it imports from src/) to one plain-JavaScript file,
// dist-server/server.js, run by `node` in production: no tsx, no TypeScript. Packages stay imports
// (installed as production dependencies); dist-server/meta.json lists them for `npm run release`.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist-server");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/server/main.ts"],
  outfile: path.join(out, "server.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  // A map for stack traces on the server; it is never served (dist-server/ is not a static root).
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
});
// Replay mode reads the recorded venue answers beside the compiled server.
cpSync(path.join(root, "src/market/replay"), path.join(out, "replay"), { recursive: true });
writeFileSync(path.join(out, "meta.json"), JSON.stringify(result.metafile, null, 1));
