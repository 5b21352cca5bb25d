import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import selfsigned from "selfsigned";
import { SettingError } from "./config";

/** Runs a file operation; a failure names the file, the cause in words, and the ways out. */
function onFile<T>(file: string, action: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EEXIST" || code === "ENOTDIR"
          ? "a file is in the way where a directory is needed"
          : code === "EISDIR"
            ? "it is a directory, a file is needed"
            : code === "EROFS"
              ? "the file system is read-only"
              : ((err as Error).message ?? String(err));
    throw new SettingError(
      `cannot ${action} ${file}: ${why}. Make it usable, remove it to have it made again, or serve plain HTTP ` +
        `behind a TLS proxy with HEDGE_HTTP=1.`,
    );
  }
}

export interface Certificate {
  key: string;
  cert: string;
  /** Where it came from, for the start-up message. */
  origin: "office-dev-certs" | "self-signed (existing)" | "self-signed (new)";
  /** A hint on trusting it, printed at start-up (empty for the trusted Office dev certificates). */
  hint: string;
}

/** The files office-addin-dev-certs writes (and installs its CA for) on Windows and Mac. */
export function officeDevCertPaths(home = homedir()) {
  const dir = path.join(home, ".office-addin-dev-certs");
  return { key: path.join(dir, "localhost.key"), cert: path.join(dir, "localhost.crt") };
}

/**
 * The HTTPS certificate: the Office dev certificates when `office-addin-dev-certs` has made them,
 * else a self-signed one kept in `certDir` (made on first run, ignored by git).
 */
export async function loadCertificate(certDir: string, home = homedir()): Promise<Certificate> {
  const office = officeDevCertPaths(home);
  if (existsSync(office.key) && existsSync(office.cert)) {
    return {
      key: onFile(office.key, "read the certificate key", () => readFileSync(office.key, "utf8")),
      cert: onFile(office.cert, "read the certificate", () => readFileSync(office.cert, "utf8")),
      origin: "office-dev-certs",
      hint: "",
    };
  }
  const keyFile = path.join(certDir, "localhost.key");
  const certFile = path.join(certDir, "localhost.crt");
  const hint =
    `Using a self-signed certificate (${certFile}). Browsers and Office will not trust it until you do:\n` +
    `  - Windows/Mac: run "npx office-addin-dev-certs install" once, then restart (preferred), or\n` +
    `  - import ${certFile} into your system's trusted roots, or\n` +
    `  - set HEDGE_HTTP=1 behind a proxy that terminates TLS.`;
  if (existsSync(keyFile) && existsSync(certFile)) {
    return {
      key: onFile(keyFile, "read the certificate key", () => readFileSync(keyFile, "utf8")),
      cert: onFile(certFile, "read the certificate", () => readFileSync(certFile, "utf8")),
      origin: "self-signed (existing)",
      hint,
    };
  }
  const notAfter = new Date();
  notAfter.setFullYear(notAfter.getFullYear() + 1);
  const pems = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate: notAfter,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  onFile(certDir, "make the certificate directory", () => mkdirSync(certDir, { recursive: true }));
  onFile(keyFile, "write the certificate key", () => writeFileSync(keyFile, pems.private, { mode: 0o600 }));
  onFile(certFile, "write the certificate", () => writeFileSync(certFile, pems.cert));
  return { key: pems.private, cert: pems.cert, origin: "self-signed (new)", hint };
}
