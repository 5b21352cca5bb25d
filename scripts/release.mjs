// `npm run release` (after `npm run build`): release/inverse-hedge-<version>.tgz, a production package of the
// built add-in (dist/), the compiled server (dist-server/), their production package.json and lock,
// manifest.xml, LICENSE, CHANGELOG.md and a short README. Unpacked: `npm ci --omit=dev && npm start`.
// Options: --out <dir> (default release/).
import { execFileSync } from "node:child_process";
import { builtinModules } from "node:module";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const out = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(root, "release"));

const fail = (message) => {
  console.error(`release: ${message}`);
  process.exit(1);
};
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

const pkg = readJson(path.join(root, "package.json"));
const { version } = pkg;
const name = `inverse-hedge-${version}`;

// The build must be this version's: the manifest carries it, and the compiled server must exist.
const manifestFile = path.join(root, "dist", "manifest.xml");
if (!existsSync(manifestFile) || !existsSync(path.join(root, "dist-server", "server.js")))
  fail('no build found: run "npm run build" first (or "npm run release", which does)');
const built = /<Version>([^<]+)<\/Version>/.exec(readFileSync(manifestFile, "utf8"))?.[1];
if (built !== `${version}.0`)
  fail(`dist/ was built as ${built}, package.json says ${version}: run "npm run build"`);

// Production dependencies: exactly the packages the compiled server imports, at package.json's ranges.
const meta = readJson(path.join(root, "dist-server", "meta.json"));
const builtins = new Set(builtinModules);
const imported = new Set();
for (const output of Object.values(meta.outputs))
  for (const { path: spec, external } of output.imports ?? []) {
    if (!external || spec.startsWith("node:") || builtins.has(spec)) continue;
    imported.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
  }
const dependencies = {};
for (const dep of [...imported].sort()) {
  const range = pkg.dependencies?.[dep];
  if (!range) fail(`the server imports "${dep}", which is not in package.json "dependencies"`);
  dependencies[dep] = range;
}

const stage = path.join(out, name);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync(path.join(root, "dist"), path.join(stage, "dist"), {
  recursive: true,
  filter: (src) => !src.endsWith(".map"),
});
cpSync(path.join(root, "dist-server"), path.join(stage, "dist-server"), {
  recursive: true,
  filter: (src) => !src.endsWith("meta.json"),
});
cpSync(manifestFile, path.join(stage, "manifest.xml"));
for (const file of ["LICENSE", "CHANGELOG.md"]) cpSync(path.join(root, file), path.join(stage, file));
writeFileSync(
  path.join(stage, "README.md"),
  readFileSync(path.join(root, "scripts", "release-README.md"), "utf8")
    .split("{{version}}")
    .join(version),
);
writeFileSync(
  path.join(stage, "package.json"),
  JSON.stringify(
    {
      name: pkg.name,
      version,
      private: true,
      description: pkg.description,
      license: pkg.license,
      type: "module",
      engines: pkg.engines,
      scripts: { start: "node dist-server/server.js" },
      dependencies,
    },
    null,
    2,
  ) + "\n",
);
// The lock: the repository's, pruned by npm to these dependencies (versions stay the tested ones).
cpSync(path.join(root, "package-lock.json"), path.join(stage, "package-lock.json"));
execFileSync(
  process.platform === "win32" ? "npm.cmd" : "npm",
  ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"],
  { cwd: stage, stdio: ["ignore", "ignore", "inherit"], shell: process.platform === "win32" },
);

const tgz = path.join(out, `${name}.tgz`);
rmSync(tgz, { force: true });
execFileSync("tar", ["-czf", tgz, "-C", out, name]);
rmSync(stage, { recursive: true, force: true });
const kb = (statSync(tgz).size / 1024).toFixed(0);
console.log(
  `${path.relative(process.cwd(), tgz) || tgz} (${kb} KiB; production dependencies: ${Object.keys(dependencies).join(", ")})`,
);
