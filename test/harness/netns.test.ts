/**
 * A native lab's bridge lets traffic between its own members through the
 * FORWARD chain, whose policy Docker sets to DROP where it runs (bridged
 * traffic passes iptables there): the rule comes with the bridge and goes
 * with it. Checked without touching anything else of the machine's rules.
 */
import { execFileSync } from 'node:child_process';
import { BridgeNetwork } from '../../harness/netns';

function iptablesAnswers(): boolean {
  try {
    execFileSync('iptables', ['-w', '-S', 'FORWARD'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const runnable = BridgeNetwork.available().ok && iptablesAnswers();

(runnable ? describe : describe.skip)('BridgeNetwork', () => {
  const ruleFor = (bridge: string) => {
    try {
      execFileSync('iptables', ['-w', '-C', 'FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT'], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  };

  it('accepts forwarding within its own bridge while it exists, and removes the rule with it', () => {
    const { id, octet } = BridgeNetwork.allocate();
    const network = new BridgeNetwork(id, octet);
    try {
      network.create();
      expect(ruleFor(network.bridge)).toBe(true);
    } finally {
      network.destroy();
    }
    expect(ruleFor(network.bridge)).toBe(false);
  });

  it('removes the rule of a bridge an interrupted run left', () => {
    const { id, octet } = BridgeNetwork.allocate();
    const network = new BridgeNetwork(id, octet);
    network.create();
    BridgeNetwork.removeLeftovers(network.resources());
    expect(ruleFor(network.bridge)).toBe(false);
    network.destroy();
  });
});
