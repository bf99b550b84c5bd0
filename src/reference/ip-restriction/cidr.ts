import { isIPv4, isIPv6 } from 'node:net';

/** One address family and a prefix, as 32- or 128-bit integers. */
export interface Cidr {
  family: 4 | 6;
  network: bigint;
  prefix: number;
  text: string;
}

export class CidrError extends Error {}

function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(address: string): bigint {
  let text = address.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToBigInt(v4[1]!);
    text = `${text.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - headParts.length - tailParts.length).fill('0');
  return [...headParts, ...fill, ...tailParts].reduce((acc, part) => (acc << 16n) | BigInt(parseInt(part, 16)), 0n);
}

/** An address as family + integer; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as the IPv4 address. */
export function parseAddress(address: string): { family: 4 | 6; value: bigint } | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return { family: 4, value: ipv4ToBigInt(bare) };
  if (!isIPv6(bare)) return undefined;
  const value = ipv6ToBigInt(bare);
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

/** `10.0.0.0/8`, `127.0.0.1` (a /32), `::1/128`, `2001:db8::/32`. */
export function parseCidr(text: string): Cidr {
  const [address, prefixText, ...rest] = text.trim().split('/');
  const parsed = address === undefined || rest.length ? undefined : parseAddress(address);
  if (!parsed) throw new CidrError(`'${text}' is not an IP address or CIDR block`);
  const bits = parsed.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(bits)) || prefix > bits) throw new CidrError(`'${text}' has an invalid prefix length (0-${bits})`);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { family: parsed.family, network: parsed.value & mask, prefix, text };
}

export function cidrContains(cidr: Cidr, address: string): boolean {
  const parsed = parseAddress(address);
  if (!parsed || parsed.family !== cidr.family) return false;
  const bits = cidr.family === 4 ? 32 : 128;
  const shift = BigInt(bits - cidr.prefix);
  return parsed.value >> shift === cidr.network >> shift;
}
