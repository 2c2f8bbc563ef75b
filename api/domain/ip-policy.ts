// Which receiver addresses a webhook may reach. A receiver URL is typed by a site's admin, while the
// server sits inside the operator's network: without this, an admin key could make the server POST to
// its own loopback services, the LAN or a cloud metadata endpoint and read the answers in the delivery
// status. Only public unicast addresses pass unless the operator allows internal ones explicitly.
import ipaddr from 'ipaddr.js';

/** Why `address` (an IP literal, IPv6 with or without brackets) is internal, or null when it is public.
 * Anything that is not a plain IP address counts as internal: refusing is the safe side. */
export function internalAddressReason(address: string): string | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(bare)) return `"${address}" is not an IP address`;
  // process() unwraps IPv4-mapped IPv6 (::ffff:127.0.0.1), so it is judged as the IPv4 address it is.
  const ip = ipaddr.process(bare);
  const range = ip.range();
  // ipaddr.js names every special-purpose block (loopback, private, linkLocal, uniqueLocal, carrierGradeNat,
  // unspecified, multicast, reserved, 6to4, teredo, rfc6052, ...); only 'unicast' is the public internet.
  // 169.254.169.254 (cloud metadata) is linkLocal; fd00:ec2::254 is uniqueLocal.
  return range === 'unicast' ? null : `${ip.toString()} is a ${range} address`;
}

/** True when `hostname` (as URL.hostname gives it) is an IP literal rather than a name to resolve. */
export function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname.replace(/^\[(.*)\]$/, '$1'));
}

/** A problem with a receiver URL that is visible without DNS, or null. The WHATWG URL parser already
 * turns numeric hosts (0x7f000001, 2130706433, 0177.0.0.1, 127.1) into dotted quads, so they are judged
 * as the address they mean. Names are resolved and checked again before each delivery. */
export function receiverUrlProblem(url: string): string | null {
  let hostname: string;
  try {
    // A trailing dot is the same name, fully qualified (localhost. is localhost).
    hostname = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return 'not a URL';
  }
  if (isIpLiteral(hostname)) return internalAddressReason(hostname);
  // RFC 6761: these names always mean this machine.
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return `${hostname} is this machine`;
  return null;
}
