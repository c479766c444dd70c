import { LanePool, inLanes } from '../../lib/lanes';
import { sleep } from '../../lib/wait';

describe('lanes', () => {
  it('inLanes runs at most that many at once, longest first, and keeps the input order', async () => {
    let active = 0;
    let most = 0;
    const started: number[] = [];
    const results = await inLanes([1, 5, 3, 2], 2, (n) => n, async (n) => {
      started.push(n);
      most = Math.max(most, ++active);
      await sleep(n * 5);
      active--;
      return n * 10;
    });
    expect(results).toEqual([10, 50, 30, 20]);
    expect(most).toBe(2);
    expect(started.slice(0, 2)).toEqual([5, 3]);
  });

  it('LanePool gives each job a free lane, one job per lane at a time, and takes a lane that joins later', async () => {
    const pool = new LanePool<string>();
    pool.add('a');
    const busy = new Set<string>();
    const ran: Array<[number, string]> = [];
    const done = pool.run([30, 20, 10, 10, 10], (n) => n, async (n, lane) => {
      expect(busy.has(lane)).toBe(false);
      busy.add(lane);
      ran.push([n, lane]);
      await sleep(n);
      busy.delete(lane);
      return `${n}@${lane}`;
    });
    await sleep(5);
    // only 'a' so far: the longest job is on it and the rest wait
    expect(ran).toEqual([[30, 'a']]);
    pool.add('b');
    const results = await done;
    expect(results.map((r) => r.split('@')[0])).toEqual(['30', '20', '10', '10', '10']);
    expect(new Set(ran.map(([, lane]) => lane))).toEqual(new Set(['a', 'b']));
    expect(ran[1]).toEqual([20, 'b']);
  });

  it('LanePool stops starting jobs after a failure, lets the running ones finish, and rethrows it', async () => {
    const pool = new LanePool<number>();
    pool.add(1, 2);
    const finished: number[] = [];
    await expect(
      pool.run([40, 10, 5, 5], (n) => n, async (n) => {
        await sleep(n);
        if (n === 10) throw new Error('job 10 broke');
        finished.push(n);
      }),
    ).rejects.toThrow('job 10 broke');
    // 40 was running when 10 failed: it finished; no 5 started after the failure
    expect(finished).toEqual([40]);
  });

  it('LanePool settles on an abort while it waits for a lane that never comes, and a job that throws at once is a failure like any', async () => {
    const waiting = new LanePool<string>();
    const controller = new AbortController();
    const done = waiting.run([1, 2], () => 1, async () => 'never');
    const aborted = new LanePool<string>().run([1], () => 1, async () => 'never', controller.signal);
    setTimeout(() => controller.abort(new Error('the matrix block did not run')), 10);
    await expect(aborted).rejects.toThrow('the matrix block did not run');
    await expect(waiting.run([1], () => 1, async () => 'x')).rejects.toThrow('LanePool.run is already under way');
    waiting.add('late');
    expect(await done).toEqual(['never', 'never']);

    const pool = new LanePool<string>();
    pool.add('a');
    await expect(
      pool.run([1, 2], () => 1, (n) => {
        if (n === 1) throw new Error('thrown at once');
        return Promise.resolve(n);
      }),
    ).rejects.toThrow('thrown at once');
    // the lane came back
    expect(await pool.run([3], () => 1, async (n, lane) => `${n}@${lane}`)).toEqual(['3@a']);
  });
});
