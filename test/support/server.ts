/*
 * Starts the REAL add-in server (the same buildApp as `npm run serve`) over plain HTTP on a free
 * loopback port, configured from an environment object exactly as main.ts reads process.env.
 */
import type { AddressInfo } from "node:net";
import path from "node:path";
import { buildApp } from "../../src/server/app";
import { readConfig, type ServerConfig } from "../../src/server/config";
import type { FastifyInstance } from "fastify";

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  config: ServerConfig;
  close(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = readConfig(
    { HEDGE_HTTP: "1", PORT: "0", HOST: "127.0.0.1", ...env },
    path.resolve(import.meta.dirname, "../../dist"),
  );
  const app = await buildApp(config);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, app, config, close: () => app.close() };
}
