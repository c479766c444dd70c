/**
 * A Docker-like network for the native harness: one Linux bridge per lab,
 * and one network namespace per service joined to it by a veth pair, so
 * each service has its own address, the lab's real ports, multicast DDS
 * discovery (the same Cyclone config as the containers), and a link that
 * can be cut while the process keeps running (the network partition).
 * Needs root (ip netns, ip link).
 *
 * Where Docker runs, bridged traffic passes the FORWARD chain
 * (bridge-nf-call-iptables is on) and Docker sets its policy to DROP, which
 * would cut the services of a native lab off from each other: each bridge
 * gets an ACCEPT rule for traffic within itself, removed with the bridge.
 */
import { execFileSync } from 'node:child_process';

export function ip(args: readonly string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || (error as Error).message}`);
  }
}

function tryIp(args: readonly string[]): string {
  try {
    return ip(args);
  } catch {
    // already gone
    return '';
  }
}

/** Lets traffic between the members of `bridge` through the FORWARD chain (a no-op where iptables is absent). */
function allowWithinBridge(bridge: string, allow: boolean): void {
  const rule = ['FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT'];
  const present = () => {
    try {
      execFileSync('iptables', ['-w', '-C', ...rule], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  };
  try {
    if (allow && !present()) execFileSync('iptables', ['-w', '-I', ...rule.slice(0, 1), '1', ...rule.slice(1)], { stdio: 'pipe' });
    if (!allow) for (let i = 0; i < 10 && present(); i++) execFileSync('iptables', ['-w', '-D', ...rule], { stdio: 'pipe' });
  } catch {
    // no iptables here: nothing filters the bridge
  }
}

/** Subnet octets of the labs this process runs (released on destroy). */
const RESERVED_OCTETS = new Set<number>();

export interface NamespaceMember {
  readonly name: string;
  readonly netns: string;
  /** Host side of the veth pair (the end a partition takes down). */
  readonly hostVeth: string;
  readonly address: string;
}

export class BridgeNetwork {
  readonly bridge: string;
  readonly gateway: string;
  private readonly members = new Map<string, NamespaceMember>();

  /**
   * @param id short lab id (interface names are limited to 15 characters)
   * @param octet third octet of the lab's 10.231.<octet>.0/24 subnet
   */
  constructor(
    readonly id: string,
    readonly octet: number,
  ) {
    if (!/^[a-z0-9]{1,6}$/.test(id)) throw new Error(`bridge id '${id}' must be 1-6 lowercase letters or digits`);
    if (!Number.isInteger(octet) || octet < 1 || octet > 254) throw new Error(`subnet octet ${octet} out of range`);
    this.bridge = `cmsb${id}`;
    this.gateway = `10.231.${octet}.1`;
  }

  /**
   * A bridge id and subnet octet no other lab on this machine uses (checked
   * against the live links and addresses, and reserved in this process until
   * destroy), so labs running side by side never share a subnet.
   */
  static allocate(): { id: string; octet: number } {
    const addresses = tryIp(['-o', '-4', 'addr', 'show']);
    const links = tryIp(['-o', 'link', 'show']);
    const usedOctets = new Set([...addresses.matchAll(/inet 10\.231\.(\d+)\./g)].map((m) => Number(m[1])));
    for (let attempt = 0; attempt < 1000; attempt++) {
      const octet = 1 + Math.floor(Math.random() * 254);
      const id = Math.floor(Math.random() * 36 ** 5).toString(36).padStart(5, '0');
      if (usedOctets.has(octet) || RESERVED_OCTETS.has(octet) || links.includes(`cmsb${id}`)) continue;
      RESERVED_OCTETS.add(octet);
      return { id, octet };
    }
    throw new Error('no free 10.231.x.0/24 subnet for another native lab');
  }

  /** Whether this process may create namespaces and links (root, iproute2 present). */
  static available(): { ok: boolean; reason?: string } {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'network namespaces need root' };
    try {
      ip(['netns', 'list']);
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: `iproute2 cannot manage namespaces here: ${(error as Error).message}` };
    }
  }

  create(): void {
    ip(['link', 'add', this.bridge, 'type', 'bridge']);
    ip(['addr', 'add', `${this.gateway}/24`, 'dev', this.bridge]);
    ip(['link', 'set', this.bridge, 'up']);
    allowWithinBridge(this.bridge, true);
  }

  /** Adds a namespace for `name` at 10.231.<octet>.<host>. */
  add(name: string, host: number): NamespaceMember {
    const index = this.members.size;
    const member: NamespaceMember = { name, netns: `cms${this.id}-${name}`, hostVeth: `cmsv${this.id}${index}`, address: `10.231.${this.octet}.${host}` };
    ip(['netns', 'add', member.netns]);
    ip(['link', 'add', member.hostVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', member.netns]);
    ip(['link', 'set', member.hostVeth, 'master', this.bridge, 'up']);
    ip(['-n', member.netns, 'addr', 'add', `${member.address}/24`, 'dev', 'eth0']);
    ip(['-n', member.netns, 'link', 'set', 'eth0', 'up']);
    ip(['-n', member.netns, 'link', 'set', 'lo', 'up']);
    ip(['-n', member.netns, 'route', 'add', 'default', 'via', this.gateway]);
    this.members.set(name, member);
    return member;
  }

  member(name: string): NamespaceMember {
    const m = this.members.get(name);
    if (!m) throw new Error(`no namespace for '${name}' on bridge ${this.bridge}`);
    return m;
  }

  /** Cuts (or restores) a member's only link: the process keeps running, unreachable. */
  setLink(name: string, up: boolean): void {
    ip(['link', 'set', this.member(name).hostVeth, up ? 'up' : 'down']);
  }

  /** Whether the member's link is administratively up (the UP flag between the angle brackets). */
  linkUp(name: string): boolean {
    return /<[^>]*\bUP\b[^>]*>/.test(ip(['link', 'show', this.member(name).hostVeth]));
  }

  /** Everything this network created, for a leftover record. */
  resources(): { bridge: string; netns: string[] } {
    return { bridge: this.bridge, netns: [...this.members.values()].map((m) => m.netns) };
  }

  destroy(): void {
    for (const m of this.members.values()) tryIp(['netns', 'del', m.netns]);
    tryIp(['link', 'del', this.bridge]);
    allowWithinBridge(this.bridge, false);
    this.members.clear();
    RESERVED_OCTETS.delete(this.octet);
  }

  /** Removes a bridge and namespaces recorded by an earlier run. */
  static removeLeftovers(record: { bridge: string; netns: string[] }): void {
    for (const ns of record.netns) tryIp(['netns', 'del', ns]);
    tryIp(['link', 'del', record.bridge]);
    allowWithinBridge(record.bridge, false);
  }
}

/** The network namespaces on this machine whose name starts with `prefix`. */
export function labNamespaces(prefix = 'cms'): string[] {
  return tryIp(['netns', 'list'])
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n && n.startsWith(prefix));
}
