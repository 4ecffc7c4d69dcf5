// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata
// API; the polyfill must be evaluated before the library, hence this import comes first.
import 'reflect-metadata';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Entra ID is HTTPS only (MSAL refuses `http:` authorities with `authority_uri_insecure`), so
 * the emulator serves TLS with a certificate issued by a CA generated at start. The CA is
 * written to a PEM file that clients trust through `NODE_EXTRA_CA_CERTS` or a CA option; its
 * private key never leaves memory and dies with the process.
 */
export interface LoopbackTls {
  /** PEM of the generated CA certificate (what clients trust). */
  readonly caPem: string;
  /** Path of the file holding `caPem`. */
  readonly caFile: string;
  /** PEM of the server certificate (SAN `IP:127.0.0.1`, `DNS:localhost`). */
  readonly certPem: string;
  /** PKCS#8 PEM of the server key. */
  readonly keyPem: string;
}

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const day = 24 * 60 * 60 * 1000;

/** Generates a CA and a loopback server certificate, and writes the CA to `<dir>/<fileName>`. */
export async function createLoopbackTls(
  dir: string,
  fileName = 'entra-ca.pem',
): Promise<LoopbackTls> {
  // Backdated by a day so a client whose clock lags a little still accepts the chain.
  const notBefore = new Date(Date.now() - day);
  const notAfter = new Date(Date.now() + 30 * day);
  const caKeys = await crypto.subtle.generateKey(ecdsa, false, ['sign', 'verify']);
  const ca = await X509CertificateGenerator.createSelfSigned({
    name: 'CN=wif sandbox Entra ID emulator CA, O=wif sandbox',
    keys: caKeys,
    notBefore,
    notAfter,
    signingAlgorithm,
    extensions: [
      new BasicConstraintsExtension(true, 0, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      await SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const serverKeys = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const server = await X509CertificateGenerator.create({
    subject: 'CN=localhost',
    issuer: ca.subject,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter,
    signingAlgorithm,
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
      new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth]),
      new SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
      ]),
      await SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
      await AuthorityKeyIdentifierExtension.create(ca),
    ],
  });

  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', serverKeys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${wrap64(pkcs8.toString('base64'))}\n-----END PRIVATE KEY-----\n`;
  const caPem = `${ca.toString('pem')}\n`;
  const caFile = join(dir, fileName);
  await writeFile(caFile, caPem, { mode: 0o644 });
  return { caPem, caFile, certPem: `${server.toString('pem')}\n`, keyPem };
}

function wrap64(base64: string): string {
  return base64.replace(/.{1,64}/g, '$&\n').trimEnd();
}
