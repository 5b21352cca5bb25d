// The parts of fast-formula-parser (MIT, no bundled types) that the formula-engine harness uses.
declare module "fast-formula-parser" {
  interface Position {
    sheet: string;
    row: number;
    col: number;
  }
  export class FormulaError extends Error {
    constructor(error: string, msg?: string, details?: unknown);
    readonly error: string;
  }
  export class DepParser {
    constructor(config?: { onVariable?: (name: string, sheet: string) => unknown });
    parse(formula: string, position: Position): unknown[];
  }
  interface Config {
    functions?: Record<string, (...args: never[]) => unknown>;
    onCell?: (ref: never) => unknown;
    onRange?: (ref: never) => unknown[][];
  }
  class FormulaParser {
    constructor(config?: Config);
    parseAsync(formula: string, position: Position, allowReturnArray?: boolean): Promise<unknown>;
    static DepParser: typeof DepParser;
    static FormulaError: typeof FormulaError;
  }
  export default FormulaParser;
}
declare module "fast-formula-parser/ssf/ssf.js" {
  const SSF: { format(format: string, value: number): string };
  export default SSF;
}
