/**
 * Who may use the HTTP API: the listen address (loopback or not), the `Host`
 * header a request must carry (against DNS rebinding), and the bearer token
 * that allows writes (and, off loopback, everything). Pure, apart from
 * reading the token file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { readTokenFile } from '../../protocol/index.js';

/** Shortest token the core accepts: anything shorter is guessable. */
export const MIN_TOKEN_LENGTH = 16;

/** A `HOST:PORT` listen address, split. */
export interface ListenAddress {
  /** As written, without brackets (`127.0.0.1`, `::1`, `localhost`, `0.0.0.0`). */
  host: string;
  port: number;
}

/** Split `HOST:PORT` (`[v6]:PORT` for IPv6); null when it is not one. */
export function parseListen(listen: string): ListenAddress | null {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(listen);
  if (!m) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  return { host: (m[1] ?? m[2]!).toLowerCase(), port };
}

/** Whether a host only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/**
 * The `Host` values a request may carry: the listen address itself; on
 * loopback, every loopback name; on a wildcard address, any IP literal and
 * this machine's name (a rebinding attack needs a DNS name of the
 * attacker's); and the hive's own domain (a proxy in front of it). The port
 * may be left out only where it is the default one.
 */
export function hostAllowed(hostHeader: string | undefined, bound: ListenAddress, domain: string | null): boolean {
  if (!hostHeader) return false;
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(hostHeader.trim());
  if (!m) return false;
  const host = (m[1] ?? m[2]!).toLowerCase().replace(/\.$/, '');
  const port = m[3] === undefined ? 80 : Number(m[3]);
  if (domain && host === domain.toLowerCase()) return true;
  if (port !== bound.port) return false;
  if (host === bound.host) return true;
  if (isLoopback(bound.host)) return isLoopback(host);
  if (isWildcard(bound.host)) return isIpLiteral(host) || host === os.hostname().toLowerCase();
  return false;
}

/** Compare a presented token with the configured one in constant time (hashes of both, so lengths leak nothing either). */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** The bearer token of an `Authorization` header: the token, `null` when the header is absent, `undefined` when it is not a bearer token. */
export function bearerToken(header: string | undefined): string | null | undefined {
  if (header === undefined) return null;
  const m = /^Bearer +(\S+) *$/i.exec(header);
  return m ? m[1]! : undefined;
}

/** The server's token: the file's first line, not readable by every user, long and one word. Throws a sentence for a person. */
export function readServerToken(file: string): string {
  let mode = 0;
  try {
    mode = fs.statSync(file).mode;
  } catch {
    // readTokenFile says why
  }
  const token = readTokenFile(file);
  if (mode & 0o004) throw new Error(`the HTTP token file ${file} is readable by every user; chmod o-r it (0600 or 0640)`);
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`the HTTP token in ${file} is shorter than ${MIN_TOKEN_LENGTH} characters; write a long random one (e.g. \`openssl rand -hex 32 > ${file}\`)`);
  }
  if (/\s/.test(token)) throw new Error(`the HTTP token in ${file} contains whitespace; a bearer token is one word`);
  return token;
}

/** Where the HTTP API listens and what token it takes, checked: a non-loopback address needs a token. Throws a sentence when the setup is unsafe or unreadable. */
export function httpAccess(listen: string, tokenFile: string | undefined): { listen: ListenAddress; token: string | null } {
  const address = parseListen(listen);
  if (!address) throw new Error(`http.listen: expected HOST:PORT or "off", got ${JSON.stringify(listen)}`);
  const token = tokenFile === undefined ? null : readServerToken(tokenFile);
  if (token === null && !isLoopback(address.host)) {
    throw new Error(`http.listen ${listen} is not a loopback address: set http.token_file (or --http-token-file) so that only holders of the token reach the hive, or listen on 127.0.0.1`);
  }
  return { listen: address, token };
}
