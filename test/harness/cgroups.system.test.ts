/**
 * The native CPU quota on a real cgroup: a quota in a period other than the
 * kernel's default, and its lifting, which must restore the default period
 * as a fresh group has it (a service restarted after the revert must not
 * inherit a one-second period).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ServiceCgroup } from '../../harness/cgroups';
import { uniqueLabName } from '../../harness/lab-scan';

const available = ServiceCgroup.available();
const describeWithCgroups = available.ok ? describe : describe.skip;
if (!available.ok) process.stderr.write(`cgroups test skipped: ${available.reason}\n`);

describeWithCgroups('ServiceCgroup', () => {
  const lab = uniqueLabName('cms-test-cgroup');
  const group = new ServiceCgroup(lab, 'track-fusion');
  const read = (file: string) => readFileSync(path.join(group.cpuDir, file), 'utf8').trim();

  beforeAll(() => group.create());
  afterAll(() => ServiceCgroup.removeLab(lab));

  it('grants a quota per the period asked for, and lifting it restores the default period', () => {
    expect({ period: read('cpu.cfs_period_us'), quota: read('cpu.cfs_quota_us'), cpus: group.cpus() }).toEqual({ period: '100000', quota: '-1', cpus: undefined });
    group.setCpus(0.02, 1_000_000);
    expect({ period: read('cpu.cfs_period_us'), quota: read('cpu.cfs_quota_us'), cpus: group.cpus() }).toEqual({ period: '1000000', quota: '20000', cpus: 0.02 });
    group.setCpus(0.05);
    expect({ period: read('cpu.cfs_period_us'), quota: read('cpu.cfs_quota_us') }).toEqual({ period: '100000', quota: '5000' });
    group.setCpus(0.02, 1_000_000);
    group.setCpus(undefined);
    expect({ period: read('cpu.cfs_period_us'), quota: read('cpu.cfs_quota_us'), cpus: group.cpus() }).toEqual({ period: '100000', quota: '-1', cpus: undefined });
  });
});
