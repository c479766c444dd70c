import { containerState, labProblems } from '../../../scripts/lab/lab-status';

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
});
