import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { freePort, waitForPort } from './free-port.js';

/** The directory tree every test slapd serves; suites seed their own OU below it. */
export const LDAP_SUFFIX = 'dc=example,dc=com';
export const LDAP_ADMIN_DN = `cn=admin,${LDAP_SUFFIX}`;
export const LDAP_ADMIN_PASSWORD = 'admin-secret';
/** The portal's service account: olcLimits lifts the size limit for it alone. */
export const LDAP_SERVICE_DN = `cn=portal,ou=services,${LDAP_SUFFIX}`;
export const LDAP_SERVICE_PASSWORD = 'portal-secret';
/** A second account without olcLimits: its paged searches stop at the size limit. */
export const LDAP_LIMITED_DN = `cn=limited,ou=services,${LDAP_SUFFIX}`;
export const LDAP_LIMITED_PASSWORD = 'limited-secret';
/** olcSizeLimit of the test database (a seed of more entries exceeds it for LDAP_LIMITED_DN). */
export const LDAP_SIZE_LIMIT = 150;

export interface RunningSlapd {
  /** ldap://127.0.0.1:port (StartTLS available). */
  url: string;
  /** ldaps://localhost:port */
  ldapsUrl: string;
  /** PEM of the CA that signed the server's certificate. */
  caPem: string;
  dir: string;
  stop(): Promise<void>;
  /** Starts it again on the same ports with the same data (after stop()). */
  start(): Promise<void>;
}

/** What the suites read from the environment (set by test/run.ts or the global setup). */
export interface SlapdEnv {
  url: string;
  ldapsUrl: string;
  caFile: string;
}

/** The environment variables that hand a running slapd to the suites. */
export function slapdEnv(s: RunningSlapd): Record<string, string> {
  return { PORTAL_TEST_LDAP: s.url, PORTAL_TEST_LDAPS: s.ldapsUrl, PORTAL_TEST_LDAP_CA: path.join(s.dir, 'ca.pem') };
}

export function slapdFromEnv(): SlapdEnv {
  const url = process.env.PORTAL_TEST_LDAP;
  const ldapsUrl = process.env.PORTAL_TEST_LDAPS;
  const caFile = process.env.PORTAL_TEST_LDAP_CA;
  if (!url || !ldapsUrl || !caFile) throw new Error('PORTAL_TEST_LDAP is not set; run the suite with `npm test`');
  return { url, ldapsUrl, caFile };
}

/** A CA and a server certificate for localhost/127.0.0.1, made with openssl. */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const ca = path.join(dir, 'ca.pem');
  const caKey = path.join(dir, 'ca.key');
  const key = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const cert = path.join(dir, 'server.pem');
  const ext = path.join(dir, 'server.ext');
  if (existsSync(cert)) return { ca, cert, key };
  await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Portal test CA', '-keyout', caKey, '-out', ca]);
  await execa('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', key, '-out', csr]);
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  await execa('openssl', ['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-days', '30', '-extfile', ext, '-out', cert]);
  return { ca, cert, key };
}

function configLdif(dir: string, tls: { ca: string; cert: string; key: string }): string {
  return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${path.join(dir, 'slapd.pid')}
olcArgsFile: ${path.join(dir, 'slapd.args')}
olcTLSCACertificateFile: ${tls.ca}
olcTLSCertificateFile: ${tls.cert}
olcTLSCertificateKeyFile: ${tls.key}
olcAllows: bind_anon_dn
olcLogLevel: none

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
olcModuleLoad: memberof

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif

include: file:///etc/ldap/schema/cosine.ldif

include: file:///etc/ldap/schema/nis.ldif

include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbDirectory: ${path.join(dir, 'data')}
olcSuffix: ${LDAP_SUFFIX}
olcRootDN: ${LDAP_ADMIN_DN}
olcRootPW: ${LDAP_ADMIN_PASSWORD}
olcDbMaxSize: 1073741824
olcDbNoSync: TRUE
olcSizeLimit: ${LDAP_SIZE_LIMIT}
olcLimits: {0}dn.exact="${LDAP_SERVICE_DN}" size.soft=unlimited size.hard=unlimited size.prtotal=unlimited
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by * read
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: cn eq
olcDbIndex: mail eq
olcDbIndex: entryUUID eq
olcDbIndex: member eq
olcDbIndex: memberOf eq

dn: olcOverlay={0}memberof,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: {0}memberof
olcMemberOfRefInt: TRUE
`;
}

function baseLdif(): string {
  return `dn: ${LDAP_SUFFIX}
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=services,${LDAP_SUFFIX}
objectClass: organizationalUnit
ou: services

dn: ${LDAP_SERVICE_DN}
objectClass: person
cn: portal
sn: portal
userPassword: ${LDAP_SERVICE_PASSWORD}

dn: ${LDAP_LIMITED_DN}
objectClass: person
cn: limited
sn: limited
userPassword: ${LDAP_LIMITED_PASSWORD}
`;
}

async function stopChild(child: ResultPromise | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await child.catch(() => undefined);
  clearTimeout(timer);
}

/**
 * A private OpenLDAP (Debian's slapd) in `dir` on free loopback ports: its cn=config is
 * made with slapadd from an LDIF (mdb database, memberof overlay, a size limit lifted by
 * olcLimits for the service account only, TLS with a CA of its own); the base entries
 * and service accounts are slapadd-ed, everything else the suites add while it runs
 * (memberOf is filled only for entries added through the server).
 */
export async function startSlapd(dir: string): Promise<RunningSlapd> {
  const confDir = path.join(dir, 'slapd.d');
  const fresh = !existsSync(confDir);
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const tls = await makeCertificates(dir);
  if (fresh) {
    mkdirSync(confDir, { recursive: true });
    writeFileSync(path.join(dir, 'config.ldif'), configLdif(dir, tls));
    writeFileSync(path.join(dir, 'base.ldif'), baseLdif());
    await execa('slapadd', ['-n0', '-F', confDir, '-l', path.join(dir, 'config.ldif')]);
    await execa('slapadd', ['-n1', '-F', confDir, '-l', path.join(dir, 'base.ldif')]);
  }
  const [port, tlsPort] = [await freePort(), await freePort()];
  let child: ResultPromise | undefined;
  const start = async () => {
    child = execa('slapd', ['-d', '0', '-F', confDir, '-h', `ldap://127.0.0.1:${port}/ ldaps://127.0.0.1:${tlsPort}/`], {
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: { file: path.join(dir, 'slapd.log') },
      reject: false,
    });
    try {
      await waitForPort(port, 20_000);
      await waitForPort(tlsPort, 20_000);
    } catch (err) {
      await stopChild(child);
      const log = existsSync(path.join(dir, 'slapd.log')) ? readFileSync(path.join(dir, 'slapd.log'), 'utf8').split('\n').slice(-15).join('\n') : '';
      throw new Error(`slapd did not start: ${(err as Error).message}\n${log}`);
    }
  };
  await start();
  return {
    url: `ldap://127.0.0.1:${port}`,
    ldapsUrl: `ldaps://localhost:${tlsPort}`,
    caPem: readFileSync(tls.ca, 'utf8'),
    dir,
    stop: () => stopChild(child),
    start,
  };
}
