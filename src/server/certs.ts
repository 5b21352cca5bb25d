import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import selfsigned from "selfsigned";

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
      key: readFileSync(office.key, "utf8"),
      cert: readFileSync(office.cert, "utf8"),
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
      key: readFileSync(keyFile, "utf8"),
      cert: readFileSync(certFile, "utf8"),
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
  mkdirSync(certDir, { recursive: true });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert);
  return { key: pems.private, cert: pems.cert, origin: "self-signed (new)", hint };
}
