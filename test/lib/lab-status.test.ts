import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { containerState, flowValue, flowWindowS, labProblems, notRunHere } from '../../lib/lab-status';

function fakeDocker(state: Record<string, string | undefined>, network = true, engine = true) {
  return (args: readonly string[]): string | undefined => {
    if (args[0] === 'version') return engine ? '28.2.2' : undefined;
    if (args[0] === 'network') return network ? 'cms-lab' : undefined;
    return state[args.at(-1) as string];
  };
}

describe('lab-status', () => {
  it('accepts a lab whose containers all run healthy (or have no health check)', () => {
    expect(labProblems('cms-lab', ['a', 'b'], fakeDocker({ a: 'running healthy', b: 'running none' }))).toEqual([]);
  });

  it('lists every reason the lab is not up', () => {
    expect(labProblems('cms-lab', ['a', 'b', 'c'], fakeDocker({ a: 'exited none', b: 'running unhealthy' }, false))).toEqual([
      'network cms-lab does not exist',
      'container a is exited',
      'container b is unhealthy',
      'container c does not exist',
    ]);
    expect(labProblems('cms-lab', ['a'], fakeDocker({}, true, false))).toEqual(['no Docker engine is reachable']);
  });

  it('reads status and health from docker inspect', () => {
    expect(containerState('a', fakeDocker({ a: 'running starting' }))).toEqual({ status: 'running', health: 'starting' });
    expect(containerState('x', fakeDocker({}))).toBeUndefined();
  });

  it('skips only the containers the engine applier says it could not run here', () => {
    expect(notRunHere({ CMS_LAB_NOT_RUN_HERE: 'grafana,otel-collector' })).toEqual(['grafana', 'otel-collector']);
    expect(notRunHere({})).toEqual([]);
    expect(labProblems('cms-lab', ['a', 'grafana'], fakeDocker({ a: 'running healthy' }), ['grafana'])).toEqual([]);
    expect(labProblems('cms-lab', ['a', 'grafana'], fakeDocker({ a: 'running healthy' }), [])).toEqual(['container grafana does not exist']);
  });

  it('counts the data flow only since the container (re)started, over at least two scrapes', async () => {
    expect(flowWindowS(0, 3_000)).toBe(10);
    expect(flowWindowS(0, 42_500)).toBe(43);
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(new URL(req.url ?? '', 'http://x').searchParams.get('query') ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: asked.length === 1 ? [] : [{ metric: {}, value: [0, '12'] }] } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await flowValue(url, 'sum(increase(x[__WINDOW__]))', 15)).toBe('no series yet');
      expect(await flowValue(url, 'sum(increase(x[__WINDOW__]))', 15)).toBe(12);
      expect(asked).toEqual(['sum(increase(x[15s]))', 'sum(increase(x[15s]))']);
      expect(await flowValue('http://127.0.0.1:1', 'up', 10)).toMatch(/^Prometheus at http:\/\/127\.0\.0\.1:1 unreachable/);
    } finally {
      server.close();
    }
  });
});

