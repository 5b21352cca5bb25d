// Placeholder until the market API lands (issue 4): every /api/v1 route answers 503 in JSON.
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "../config";

/** Registers the market API (/api/v1/*). */
export async function marketApi(app: FastifyInstance, _opts: { config: ServerConfig }): Promise<void> {
  app.all("/api/v1/*", async (_req, reply) =>
    reply.code(503).send({ error: { code: "not_ready", message: "market API not built yet" } }),
  );
}
