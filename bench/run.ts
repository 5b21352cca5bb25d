// `npm run bench`: every benchmark in one run; prints tables and writes bench/results.json.
import { writeFileSync } from "node:fs";
import os from "node:os";
import { benchBundle } from "./bundle";
import { benchCalculation } from "./calc";
import { benchCarry } from "./carry";
import { benchServer } from "./server";
import { benchTaskpane } from "./taskpane";

const results: Record<string, unknown> = {
  when: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model },
};
results.calculation = await benchCalculation();
// Peak memory of this process after the calculation benchmarks (100k-price series included).
results.calculationPeakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `\nPeak resident memory after the calculation benchmarks: ${Math.round(results.calculationPeakRssMb as number)} MB`,
);
results.bundle = benchBundle();
results.taskpane = await benchTaskpane();
results.carry = await benchCarry();
results.server = await benchServer();
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify(results, null, 2) + "\n");
console.log("\nWrote bench/results.json");
