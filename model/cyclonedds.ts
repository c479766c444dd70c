/**
 * Cyclone DDS 0.10 domain configuration, rendered for the two places the
 * services run: the Docker bridge (multicast discovery, as on any LAN) and a
 * single host's loopback (no multicast on lo: unicast peers with automatic
 * participant indices). Both use a short lease so a dead or detached peer
 * disappears from discovery in seconds.
 */

export interface CycloneConfigOptions {
  /** `bridge` for the Docker network, `loopback` for processes on one host. */
  readonly network: 'bridge' | 'loopback';
  /** Participant lease, seconds. @default 3 */
  readonly leaseDurationS?: number;
  /** Highest automatic participant index on loopback (one per process). @default 40 */
  readonly maxParticipants?: number;
  /** Unicast peer addresses for `loopback`. @default ['127.0.0.1'] */
  readonly peers?: readonly string[];
}

export function renderCycloneConfig(options: CycloneConfigOptions): string {
  const lease = options.leaseDurationS ?? 3;
  if (!(lease > 0)) throw new Error(`leaseDurationS must be positive, got ${lease}`);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8" ?>',
    '<CycloneDDS xmlns="https://cdds.io/config">',
    '  <Domain Id="any">',
  ];
  if (options.network === 'loopback') {
    const peers = options.peers ?? ['127.0.0.1'];
    lines.push(
      '    <General>',
      '      <Interfaces><NetworkInterface address="127.0.0.1"/></Interfaces>',
      '      <AllowMulticast>false</AllowMulticast>',
      '    </General>',
      '    <Discovery>',
      '      <ParticipantIndex>auto</ParticipantIndex>',
      `      <MaxAutoParticipantIndex>${options.maxParticipants ?? 40}</MaxAutoParticipantIndex>`,
      '      <Peers>',
      ...peers.map((p) => `        <Peer address="${p}"/>`),
      '      </Peers>',
      `      <LeaseDuration>${lease} s</LeaseDuration>`,
      '    </Discovery>',
    );
  } else {
    lines.push('    <Discovery>', `      <LeaseDuration>${lease} s</LeaseDuration>`, '    </Discovery>');
  }
  lines.push('  </Domain>', '</CycloneDDS>', '');
  return lines.join('\n');
}
