/**
 * A service that exits while the lab starts: the error says why (the
 * message it wrote, not the stack's tail in Node's module loader), and
 * under the restart policy the harness follows it into its replacement
 * until the start timeout, as Docker's restart policy would.
 */
import { uniqueLabName } from '../../harness/lab-scan';
import { NativeLab } from '../../harness/native-lab';

jest.setTimeout(120_000);

describe('NativeLab start with a service that cannot start', () => {
  const badRate = { 'radar-sensor': { PUBLISH_RATE_HZ: 'fast' } };

  it('fails at once without a restart policy, naming the refusal', async () => {
    const lab = new NativeLab({ name: uniqueLabName('cms-test-start'), services: ['radar-sensor'], env: badRate });
    try {
      await expect(lab.start()).rejects.toThrow(/radar-sensor exited \(\{"code":\d+,"signal":null\}\): radar-sensor: invalid PUBLISH_RATE_HZ="fast"/);
    } finally {
      await lab.stop();
    }
    expect(lab.residue()).toEqual([]);
  });

  it('follows the restarts under unless-stopped until the timeout, then names the exit', async () => {
    const lab = new NativeLab({ name: uniqueLabName('cms-test-start'), services: ['radar-sensor'], env: badRate, restart: 'unless-stopped', startTimeoutMs: 6_000 });
    const began = Date.now();
    try {
      await expect(lab.start()).rejects.toThrow(/radar-sensor exited .*PUBLISH_RATE_HZ.*radar-sensor \/healthz/);
      // it waited (at least one restart happened) rather than failing on the first exit
      expect(Date.now() - began).toBeGreaterThanOrEqual(5_000);
      expect(lab.processHistory('radar-sensor').length).toBeGreaterThanOrEqual(2);
    } finally {
      await lab.stop();
    }
    expect(lab.residue()).toEqual([]);
  });
});
