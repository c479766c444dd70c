/** Waits until a URL answers 2xx (deploy-time readiness of images without a shell). */
import { ToolError, options, required, run } from './cli';
import { sleep } from '../../lib/wait';

export async function waitReady(url: string, timeoutS: number, what: string, intervalMs = 2000): Promise<number> {
  const started = Date.now();
  let last = 'no answer yet';
  while (Date.now() - started < timeoutS * 1000) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return Date.now() - started;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    }
    await sleep(intervalMs);
  }
  throw new ToolError(`${what} did not become ready at ${url} within ${timeoutS} s (last: ${last}). Look at its container log (docker logs <container>) and re-run the deploy.`);
}

if (require.main === module) {
  run('wait-ready', async () => {
    const opts = options(process.argv.slice(2));
    const what = opts.get('what') ?? required(opts, 'url');
    const ms = await waitReady(required(opts, 'url'), Number(opts.get('timeout') ?? 180), what);
    process.stdout.write(`${what} ready after ${(ms / 1000).toFixed(1)} s\n`);
  });
}
