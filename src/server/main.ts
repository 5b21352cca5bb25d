// Starts the add-in's server: `npm run serve` (or `npm start`, which builds first). Built to dist-server/server.js.
import type { AddressInfo } from "node:net";
import path from "node:path";
import { buildApp } from "./app";
import { loadCertificate } from "./certs";
import { readConfig, SettingError } from "./config";
import { closeWithin, stopWhenOrphaned } from "./shutdown";

async function main(): Promise<void> {
  const config = readConfig(process.env, path.resolve("dist"));
  const certificate = config.http ? undefined : await loadCertificate(path.resolve(".certs"));
  const app = await buildApp(config, {
    https: certificate && { key: certificate.key, cert: certificate.cert },
    logger: { level: process.env.LOG_LEVEL ?? "warn" },
  });
  await app.listen({ port: config.port, host: config.host });
  // The port really bound (PORT=0 picks a free one).
  const { port } = app.server.address() as AddressInfo;
  const local = `${config.http ? "http" : "https"}://localhost:${port}/`;
  console.log(
    `Inverse Hedge ${config.version} is serving ${local}taskpane.html (market data: ${config.market})` +
      (config.addinUrl.href.startsWith("https://localhost:") ? "" : `; public URL ${config.addinUrl.href}`),
  );
  if (certificate?.hint) console.log(certificate.hint);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const t0 = performance.now();
    const how = await closeWithin(app, config.shutdownGraceMs);
    console.log(
      `${signal}: stopped in ${Math.round(performance.now() - t0)} ms` +
        (how === "forced" ? " (requests still open were closed)" : ""),
    );
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  stopWhenOrphaned(() => void stop("npm exited"));
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(err instanceof SettingError ? `Setting error: ${message}` : message);
  process.exit(1);
});
