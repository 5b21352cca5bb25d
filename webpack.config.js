// Builds the add-in into dist/: functions.js + functions.json (custom functions), taskpane.html + taskpane.js
// (the shared-runtime page), manifest.xml, assets and help pages.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import CustomFunctionsMetadataPlugin from "custom-functions-metadata-plugin";
import HtmlWebpackPlugin from "html-webpack-plugin";
import CopyWebpackPlugin from "copy-webpack-plugin";
import webpack from "webpack";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The development origin every URL in the sources is written with. */
const DEV_URL = "https://localhost:3000/";

/** The one setting production URLs come from: HEDGE_ADDIN_URL (with a trailing slash added if missing). */
function addinUrl() {
  const raw = process.env.HEDGE_ADDIN_URL;
  if (!raw) return DEV_URL;
  const url = new URL(raw);
  if (url.protocol !== "https:") throw new Error(`HEDGE_ADDIN_URL must be an https URL (got ${raw})`);
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/** Replaces every occurrence of the development origin (not only the first); the bare origin (AppDomain) by the origin. */
const rewriteUrls = (text, target) =>
  text.split(DEV_URL).join(target).split(DEV_URL.slice(0, -1)).join(new URL(target).origin);

/**
 * The one version (package.json, or `--env version=` for the release test): MAJOR.MINOR.PATCH, written as the
 * manifest's four-part <Version> and as ?v= on every URL Office caches, so an update makes Office reload.
 */
function versionOf(env) {
  const version = env.version ?? JSON.parse(readFileSync(path.join(here, "package.json"), "utf8")).version;
  if (!/^(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})$/.test(version)) {
    throw new Error(
      `package.json "version" must be MAJOR.MINOR.PATCH, each 0 to 99999 (the manifest's <Version> has four such parts); got "${version}"`,
    );
  }
  return version;
}

/** The manifest with its <Version> and a ?v= on every URL below the add-in's origin (not on AppDomain). */
function stampManifest(xml, version) {
  const stamped = xml.replace(/<Version>[^<]*<\/Version>/, `<Version>${version}.0</Version>`);
  return stamped.replace(
    /DefaultValue="(https:\/\/localhost:3000\/[^"?#]*)"/g,
    `DefaultValue="$1?v=${version}"`,
  );
}

/** Rewrites emitted text assets (functions.json's help URLs) to the configured origin. */
class RewriteUrlsPlugin {
  constructor(target, assets) {
    this.target = target;
    this.assets = assets;
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("RewriteUrlsPlugin", (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: "RewriteUrlsPlugin", stage: webpack.Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_INLINE },
        () => {
          for (const name of this.assets) {
            const asset = compilation.getAsset(name);
            if (!asset) continue;
            const text = rewriteUrls(asset.source.source().toString(), this.target);
            compilation.updateAsset(name, new webpack.sources.RawSource(text));
          }
        },
      );
    });
  }
}

/** Appends ?v=<version> to the script URLs html-webpack-plugin writes into the page. */
class VersionedScriptsPlugin {
  constructor(version) {
    this.version = version;
  }
  apply(compiler) {
    compiler.hooks.compilation.tap("VersionedScriptsPlugin", (compilation) => {
      HtmlWebpackPlugin.getHooks(compilation).alterAssetTags.tap("VersionedScriptsPlugin", (data) => {
        for (const tag of data.assetTags.scripts) {
          if (typeof tag.attributes.src === "string" && !/^https?:/.test(tag.attributes.src))
            tag.attributes.src = `${tag.attributes.src}?v=${this.version}`;
        }
        return data;
      });
    });
  }
}

export default (env = {}, argv) => {
  const production = argv.mode !== "development";
  const target = addinUrl();
  const version = versionOf(env);
  return {
    mode: production ? "production" : "development",
    // Production builds carry no source maps: everything in dist/ is public.
    devtool: production ? false : "eval-source-map",
    target: ["web", "es2020"],
    entry: {
      functions: ["./src/functions/runtime-guard.ts", "./src/functions/functions.ts"],
      taskpane: "./src/taskpane/taskpane.ts",
    },
    output: {
      path: path.resolve(here, env.outDir ?? "dist"),
      filename: "[name].js",
      clean: true,
    },
    resolve: { extensions: [".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: { loader: "ts-loader", options: { transpileOnly: true } },
        },
        { test: /\.css$/, type: "asset/source" },
      ],
    },
    performance: { hints: false },
    // terser's default turns a function used once into an IIFE at its call site, which V8 then runs as a new
    // closure on every call: the certified kernel's hot helpers (one call site each) stay functions.
    optimization: { minimizeOptions: { javascript: { compress: { passes: 2, reduce_funcs: false } } } },
    plugins: [
      new CustomFunctionsMetadataPlugin({ output: "functions.json", input: "./src/functions/functions.ts" }),
      new RewriteUrlsPlugin(target, ["functions.json"]),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        // Shared runtime: the custom functions run in the pane's page, so it loads both bundles.
        chunks: ["functions", "taskpane"],
        chunksSortMode: "manual",
        scriptLoading: "blocking",
        inject: "body",
        // Office's webview caches the page's scripts by URL: the version in them makes an update reload.
        publicPath: "",
        hash: false,
        version,
      }),
      new VersionedScriptsPlugin(version),
      new webpack.DefinePlugin({ __HEDGE_VERSION__: JSON.stringify(version) }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          { from: "src/help", to: "help", noErrorOnMissing: true },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform: (content) => rewriteUrls(stampManifest(content.toString(), version), target),
          },
        ],
      }),
    ],
  };
};
