/*
 * Loads the BUILT custom functions (dist/functions.js) the way Excel's runtime does, without Excel:
 * a fresh vm context holding only CustomFunctions, timers, fetch, console and location, with a
 * CustomFunctions stub that records every associate(id, fn). Arguments are passed as Excel passes
 * them (null for omitted, ranges as arrays of rows).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";

export const DIST = path.resolve(import.meta.dirname, "../../dist");

export interface FunctionMetadata {
  id: string;
  name: string;
  description?: string;
  helpUrl?: string;
  parameters: {
    name: string;
    description?: string;
    type: string;
    dimensionality?: string;
    optional?: boolean;
  }[];
  result: { type?: string; dimensionality?: string };
  options?: { stream?: boolean; cancelable?: boolean; requiresAddress?: boolean; volatile?: boolean };
}

/** What a call produced, normalised: a value, an Excel error (thrown or returned), or anything else thrown. */
export type Outcome =
  | { kind: "value"; value: unknown }
  | { kind: "error"; code: string; message: string | undefined }
  | { kind: "crash"; error: unknown };

/** The stub's error class: what `new CustomFunctions.Error(code, message)` builds inside the bundle. */
export class ExcelError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message);
    this.name = "ExcelError";
  }
}

export const ErrorCode = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

/** A streaming invocation double that keeps every result and error set on it. */
export interface StreamingCell {
  invocation: {
    address: string;
    setResult(value: unknown): void;
    onCanceled?: () => void;
  };
  results: unknown[];
  /** The latest result, or undefined before the first. */
  latest(): unknown;
  cancel(): void;
}

export interface LoadOptions {
  fetch?: typeof fetch;
  location?: { origin: string; href: string };
  timers?: {
    setTimeout: typeof setTimeout;
    clearTimeout: typeof clearTimeout;
    setInterval: typeof setInterval;
    clearInterval: typeof clearInterval;
  };
  console?: Pick<Console, "log" | "warn" | "error" | "info" | "debug">;
  /** Leave CustomFunctions.ErrorCode out of the stub, as a bare host or test harness might. */
  withoutErrorCodeEnum?: boolean;
  /** More globals the host has (e.g. AbortController, which Excel's runtimes provide). */
  globals?: Record<string, unknown>;
}

export interface LoadedBundle {
  ids: string[];
  metadata: FunctionMetadata[];
  /** id -> the function the bundle associated. */
  associated: Map<string, (...args: unknown[]) => unknown>;
  /** Ids associated more than once (should be none). */
  duplicates: string[];
  /** Calls a non-streaming function as Excel does and normalises what comes back. */
  invoke(id: string, args: unknown[]): Promise<Outcome>;
  /** Starts a streaming function in a fresh cell; args without the invocation. */
  stream(id: string, args: unknown[], address?: string): StreamingCell;
}

export function readMetadata(): FunctionMetadata[] {
  const json = JSON.parse(readFileSync(path.join(DIST, "functions.json"), "utf8")) as {
    functions: FunctionMetadata[];
  };
  return json.functions;
}

function normalise(value: unknown): Outcome {
  if (value instanceof ExcelError)
    return { kind: "error", code: value.code, message: value.message || undefined };
  return { kind: "value", value };
}

/** Runs dist/functions.js in a fresh context and returns what it registered. */
export function loadBundle(options: LoadOptions = {}): LoadedBundle {
  const associated = new Map<string, (...args: unknown[]) => unknown>();
  const duplicates: string[] = [];
  const CustomFunctions = {
    associate(id: string, fn: (...args: unknown[]) => unknown) {
      if (associated.has(id)) duplicates.push(id);
      associated.set(id, fn);
    },
    Error: ExcelError,
    ...(options.withoutErrorCodeEnum ? {} : { ErrorCode }),
  };
  const timers = options.timers ?? { setTimeout, clearTimeout, setInterval, clearInterval };
  const context = vm.createContext({
    ...options.globals,
    CustomFunctions,
    ...timers,
    fetch: options.fetch ?? (() => Promise.reject(new Error("no network in this test"))),
    console: options.console ?? console,
    location: options.location ?? {
      origin: "https://localhost:3000",
      href: "https://localhost:3000/taskpane.html",
    },
  });
  const code = readFileSync(path.join(DIST, "functions.js"), "utf8");
  vm.runInContext(code, context, { filename: "functions.js" });
  const metadata = readMetadata();

  const fn = (id: string) => {
    const f = associated.get(id);
    if (!f) throw new Error(`${id} is not associated by dist/functions.js`);
    return f;
  };

  return {
    ids: metadata.map((m) => m.id),
    metadata,
    associated,
    duplicates,
    async invoke(id, args) {
      try {
        return normalise(await fn(id)(...args));
      } catch (error) {
        if (error instanceof ExcelError) return normalise(error);
        return { kind: "crash", error };
      }
    },
    stream(id, args, address = "Sheet1!A1") {
      const results: unknown[] = [];
      const invocation: StreamingCell["invocation"] = {
        address,
        setResult: (value) => results.push(value),
      };
      fn(id)(...args, invocation);
      return {
        invocation,
        results,
        latest: () => results[results.length - 1],
        cancel: () => invocation.onCanceled?.(),
      };
    },
  };
}
