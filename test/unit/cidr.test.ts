import { describe, expect, it } from 'vitest';
import { cidrContains, parseAddress, parseCidr } from '../../src/reference/ip-restriction/cidr.js';

describe('CIDR allow-lists', () => {
  it('matches IPv4 blocks of any prefix', () => {
    expect(cidrContains(parseCidr('127.0.0.1/32'), '127.0.0.1')).toBe(true);
    expect(cidrContains(parseCidr('127.0.0.1'), '127.0.0.2')).toBe(false);
    expect(cidrContains(parseCidr('10.0.0.0/8'), '10.255.3.4')).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/8'), '11.0.0.1')).toBe(false);
    expect(cidrContains(parseCidr('192.168.1.77/24'), '192.168.1.1')).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0'), '8.8.8.8')).toBe(true);
  });

  it('matches IPv6, and treats IPv4-mapped IPv6 peers as IPv4', () => {
    expect(cidrContains(parseCidr('::1/128'), '::1')).toBe(true);
    expect(cidrContains(parseCidr('2001:db8::/32'), '2001:db8:ffff::1')).toBe(true);
    expect(cidrContains(parseCidr('2001:db8::/32'), '2001:db9::1')).toBe(false);
    expect(cidrContains(parseCidr('127.0.0.1/32'), '::ffff:127.0.0.1')).toBe(true);
    expect(cidrContains(parseCidr('127.0.0.1/32'), '::ffff:127.0.0.2')).toBe(false);
    expect(cidrContains(parseCidr('::1/128'), '127.0.0.1')).toBe(false);
    expect(parseAddress('::ffff:7f00:1')).toEqual({ family: 4, value: 0x7f000001n });
  });

  it('refuses what is not an address or has a bad prefix, saying which', () => {
    expect(() => parseCidr('localhost')).toThrow("'localhost' is not an IP address");
    expect(() => parseCidr('10.0.0.0/33')).toThrow('invalid prefix length (0-32)');
    expect(() => parseCidr('::/129')).toThrow('(0-128)');
    expect(() => parseCidr('10.0.0.0/x')).toThrow('invalid prefix');
    expect(cidrContains(parseCidr('10.0.0.0/8'), 'garbage')).toBe(false);
  });
});
