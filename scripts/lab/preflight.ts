/** Deploy-time host tool: `preflight --bind B --ports a,b [--terraform true]` (the logic is lib/preflight.ts). */
import { preflight } from '../../lib/preflight';
import { ToolError, options, required, run } from './cli';

if (require.main === module) {
  run('preflight', async () => {
    const opts = options(process.argv.slice(2));
    const ports = required(opts, 'ports')
      .split(',')
      .map((p) => Number(p));
    if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new ToolError(`--ports must be a comma-separated list of ports`);
    const result = await preflight(required(opts, 'bind'), ports, { terraform: opts.get('terraform') === 'true' });
    if (result.problems.length) throw new ToolError(`this host cannot run the lab yet:\n${result.problems.map((p) => `  - ${p}`).join('\n')}`);
    process.stdout.write('preflight: Docker reachable, host ports free\n');
  });
}
