/**
 * A harness killed mid-scenario (SIGKILL: no cleanup code runs) leaves
 * processes, a bridge, namespaces and cgroups behind; the next start of a lab
 * with the same name finds and removes all of them before it starts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ServiceCgroup } from '../../harness/cgroups';
import { labStateFile, uniqueLabName } from '../../harness/lab-scan';
import { labNamespaces } from '../../harness/netns';
import { NativeLab, findLabProcesses } from '../../harness/native-lab';
import { waitFor } from '../../lib/wait';
import { projectRoot } from '../../services/runtime/paths';

jest.setTimeout(120_000);

describe('an interrupted native lab', () => {
  it('is cleaned up by the next start of a lab with the same name', async () => {
    const name = uniqueLabName('cms-test-interrupted');
    const script = `
      const { NativeLab } = require('./dist/harness/native-lab');
      const lab = new NativeLab({ name: '${name}', network: 'namespaces', services: ['radar-sensor', 'track-fusion'] });
      lab.start().then(() => { lab.cgroup('track-fusion').setCpus(0.05); process.stdout.write('READY\\n'); });
    `;
    const child = spawn(process.execPath, ['-e', script], { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && resolve());
      child.once('exit', (code) => reject(new Error(`the lab process exited early (${code})`)));
    });
    try {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      // what the killed harness left behind
      expect(findLabProcesses(name).length).toBe(2);
      // this lab's own namespaces, as its state file records them (other labs may run on this machine)
      const own = (JSON.parse(readFileSync(labStateFile(name), 'utf8')) as { network: { netns: string[] } }).network.netns;
      expect(own).toHaveLength(2);
      expect(labNamespaces().filter((n) => own.includes(n))).toHaveLength(2);
      expect(ServiceCgroup.labGroupsLeft(name)).toEqual(['cpu', 'memory']);

      const next = new NativeLab({ name, network: 'namespaces', services: ['radar-sensor'] });
      const found = await next.removeLeftovers();
      expect(found).toEqual([expect.stringMatching(/^2 process\(es\)$/), expect.stringMatching(/^bridge cmsb\w+ and 2 namespace\(s\)$/), 'cgroups']);
      await waitFor('nothing left', () => findLabProcesses(name).length === 0 && !labNamespaces().some((n) => own.includes(n)) && ServiceCgroup.labGroupsLeft(name).length === 0, 10_000);
      expect(await next.removeLeftovers()).toEqual([]);
    } finally {
      // the deliberate leftover goes whatever the assertions found
      await new NativeLab({ name }).removeLeftovers();
    }
  });
});
