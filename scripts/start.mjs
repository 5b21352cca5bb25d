// `npm start` (after the build): runs the server until stopped and, where desktop Excel exists
// (Windows, Mac), sideloads the manifest; elsewhere it says how to load the add-in into Excel on the web.
import { spawn } from "node:child_process";
import { connect } from "node:net";

const port = process.env.PORT || "3000";
const scheme = process.env.HEDGE_HTTP === "1" || process.env.HEDGE_HTTP === "true" ? "http" : "https";
const bin = (name) => (process.platform === "win32" ? `${name}.cmd` : name);

// The compiled server (npm run build made it), in a child so this script can sideload beside it.
const server = spawn(process.execPath, ["dist-server/server.js"], { stdio: "inherit" });
server.on("exit", (code) => process.exit(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
// A SIGTERM to npm ends npm and its shell, not this script: stop the server when the parent is gone.
if (process.platform !== "win32") {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) server.kill("SIGTERM");
  }, 250).unref();
}

/** Waits until the server accepts connections (TCP only: the dev certificate may not be trusted by Node). */
async function waitForServer() {
  const open = () =>
    new Promise((resolve) => {
      const socket = connect(Number(port), "localhost", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
  for (let i = 0; i < 120; i++) {
    if (await open()) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

if (await waitForServer()) {
  if (process.platform === "win32" || process.platform === "darwin") {
    const sideload = spawn(
      bin("npx"),
      [
        "office-addin-debugging",
        "start",
        "dist/manifest.xml",
        "desktop",
        "--app",
        "excel",
        "--no-debug",
        "--dev-server-port",
        port,
      ],
      { stdio: "inherit", shell: process.platform === "win32" },
    );
    sideload.on("exit", (code) => {
      if (code !== 0) console.log("Sideloading failed; upload dist/manifest.xml by hand (see README).");
    });
  } else {
    console.log(
      [
        "",
        "No desktop Excel on this platform. To use the add-in in Excel on the web:",
        "  1. Make the certificate trusted by your browser (see the hint above), or serve behind HTTPS you trust.",
        "  2. Open a workbook in Excel on the web, then Home > Add-ins > More Add-ins > My Add-ins >",
        "     Upload My Add-in, and choose dist/manifest.xml.",
        `The task pane also opens as a read-only dashboard at ${scheme}://localhost:${port}/taskpane.html`,
        "Stop with Ctrl+C.",
      ].join("\n"),
    );
  }
} else {
  console.error(`The server did not answer on port ${port}.`);
}
