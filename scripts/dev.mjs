// `npm run dev`: rebuilds dist/ on every change (webpack --watch) and runs the server beside it.
import { spawn } from "node:child_process";

const shell = process.platform === "win32";
const npx = shell ? "npx.cmd" : "npx";
const children = [
  spawn(npx, ["webpack", "--mode", "development", "--watch"], { stdio: "inherit", shell }),
  spawn(npx, ["tsx", "watch", "src/server/main.ts"], { stdio: "inherit", shell }),
];
const stop = () => children.forEach((child) => child.kill("SIGTERM"));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
children.forEach((child) => child.on("exit", stop));
