import path from 'node:path';
import os from 'node:os';
import { createServer } from 'node:net';
import { dockerProblem, portFree, preflight, takenPorts } from '../../lib/preflight';

describe('preflight', () => {
  it('finds a host port that is really taken, and skips ports this lab already publishes', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      expect(await portFree('127.0.0.1', port)).toBe(false);
      expect(await takenPorts('127.0.0.1', [port])).toEqual([port]);
      expect(await takenPorts('127.0.0.1', [port], new Set([port]))).toEqual([]);
      const result = await preflight('127.0.0.1', [port], { docker: false });
      expect(result.problems).toEqual([expect.stringMatching(new RegExp(`host port\\(s\\) ${port} on 127.0.0.1 are taken by something else: stop it`))]);
    } finally {
      server.close();
    }
  });

  it('says what to do when no Docker engine is reachable, and nothing when one answers', () => {
    const nowhere = { ...process.env, DOCKER_HOST: `unix://${path.join(os.tmpdir(), `cms-no-engine-${process.pid}.sock`)}` };
    expect(dockerProblem(nowhere)).toMatch(/^(no Docker engine is reachable: start it|the docker CLI is not installed: install Docker)/);
    // where the test command runs an engine (CMS_LAB_REQUIRE_DOCKER), the same check passes
    if (process.env.CMS_LAB_REQUIRE_DOCKER === '1') expect(dockerProblem()).toBeUndefined();
  });
});
