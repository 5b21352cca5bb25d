// Starts the add-in's server: `npm run serve` (or `npm start`, which builds first).
import path from "node:path";
import { buildApp } from "./app";
import { loadCertificate } from "./certs";
import { readConfig } from "./config";

async function main(): Promise<void> {
  const config = readConfig(process.env, path.resolve("dist"));
  const certificate = config.http ? undefined : await loadCertificate(path.resolve(".certs"));
  const app = await buildApp(config, {
    https: certificate && { key: certificate.key, cert: certificate.cert },
    logger: { level: process.env.LOG_LEVEL ?? "warn" },
  });
  await app.listen({ port: config.port, host: config.host });
  const origin = `${config.http ? "http" : "https"}://localhost:${config.port}`;
  console.log(`Inverse Hedge is serving ${origin}/taskpane.html (market data: ${config.market})`);
  if (certificate?.hint) console.log(certificate.hint);

  const stop = async (signal: string) => {
    console.log(`${signal}: stopping`);
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
