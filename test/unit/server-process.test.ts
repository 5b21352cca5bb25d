/*
 * The compiled server as production runs it (dist-server/server.js, built by `npm run build`), as a process:
 * signals, keep-alive connections, npm in front of it. Each test waits for events (a socket closing, every
 * writer of a pipe gone), never for a timer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";

const ENV = { HEDGE_HTTP: "1", HOST: "127.0.0.1", PORT: "0", HEDGE_MARKET: "replay" };

/** Starts a command and resolves with the port the server prints once it listens. */
function started(child: ChildProcess): Promise<{ port: number; output: () => string; ended: Promise<void> }> {
  let output = "";
  const ended = new Promise<void>((resolve) => child.stdout!.on("end", () => resolve()));
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (d) => (output += d.toString()));
    child.stdout!.on("data", (d) => {
      output += d.toString();
      const m = /serving http:\/\/localhost:(\d+)\//.exec(output);
      if (m) resolve({ port: Number(m[1]), output: () => output, ended });
    });
    child.on("exit", (code) => reject(new Error(`exited with ${code} before listening: ${output}`)));
  });
}

/** A keep-alive connection that has had one answer; resolves `closed` when the server closes it. */
async function keepAlive(port: number) {
  const socket = connect(port, "127.0.0.1");
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  const answered = new Promise<string>((resolve) => socket.once("data", (d) => resolve(d.toString())));
  socket.write("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
  expect(await answered).toMatch(/^HTTP\/1\.1 200/);
  return { closed };
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.on("connect", () => (s.destroy(), resolve(false)));
    s.on("error", () => resolve(true));
  });

describe("the compiled server process", () => {
  it("is plain JavaScript run by node: no tsx, no TypeScript at run time", () => {
    expect(existsSync("dist-server/server.js")).toBe(true);
  });

  it("on SIGTERM closes a keep-alive connection and exits 0", async () => {
    const child = spawn(process.execPath, ["dist-server/server.js"], { env: { ...process.env, ...ENV } });
    const { port, ended, output } = await started(child);
    const { closed } = await keepAlive(port);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    await closed;
    expect(await exited).toBe(0);
    await ended;
    expect(output()).toMatch(/SIGTERM: stopped in \d+ ms/);
    expect(await refused(port)).toBe(true);
  });

  it("`npm run serve` passes SIGTERM on: no server is left holding the port", async () => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const child = spawn(npm, ["run", "serve"], { env: { ...process.env, ...ENV } });
    const { port, ended } = await started(child);
    const { closed } = await keepAlive(port);
    child.kill("SIGTERM");
    // The server closed its connections, and every process writing to the pipe (npm, its shell, the server)
    // is gone: nothing holds the port.
    await closed;
    await ended;
    expect(await refused(port)).toBe(true);
  });
});
