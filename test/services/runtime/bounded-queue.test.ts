import { BoundedQueue } from '../../../services/runtime/bounded-queue';

describe('BoundedQueue', () => {
  it('is FIFO across wrap-around and refuses items when full', () => {
    const q = new BoundedQueue<number>(3);
    expect([q.push(1), q.push(2), q.push(3), q.push(4)]).toEqual([true, true, true, false]);
    expect(q.shift()).toBe(1);
    expect(q.push(5)).toBe(true);
    expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual([2, 3, 5, undefined]);
    expect(q.length).toBe(0);
  });

  it('rejects a non-positive capacity', () => {
    expect(() => new BoundedQueue(0)).toThrow(/positive integer/);
  });
});
