/*
 * Runs the fake exchange until interrupted and prints the HEDGE_UPSTREAM_* lines to use it.
 *   tsx test/fake-exchange/cli.ts [--port N] [--fail okx=500] [--fail kraken=hang] ...
 * With --port N the venues listen on N, N+1, ... in the fixed order of EXCHANGES (bybit, binance, ..., mexc).
 */
import { EXCHANGES, type Exchange } from "../../src/market/types";
import { start, type FailMode } from "./server";

const args = process.argv.slice(2);
const fails: [Exchange, FailMode][] = [];
let port: number | undefined;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--port") port = Number(args[++i]);
  else if (args[i] === "--fail") {
    const [venue, mode] = (args[++i] ?? "").split("=");
    if (!(EXCHANGES as readonly string[]).includes(venue)) throw new Error(`unknown venue ${venue}`);
    fails.push([venue as Exchange, mode as FailMode]);
  } else throw new Error(`unknown argument ${args[i]}`);
}

const fake = await start(port);
for (const [venue, mode] of fails) fake.setMode(venue, mode);
for (const [k, v] of Object.entries(fake.env())) console.log(`${k}=${v}`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
