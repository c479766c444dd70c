/**
 * Docker-host checks for the scenario stacks:
 *   check-up --network N --containers a,b   the lab is up: network present, every container running and healthy
 *   wait-healthy --container c [--timeout s] a (re)started container is healthy again
 *   wait-flowing --container c --prometheus URL --query Q [--timeout s]
 *                                            the service's output reaches its consumers again: Q (model/data-flow.ts)
 *                                            above zero over the seconds since the container started
 */

import { containerState, docker, flowValue, flowWindowS, labProblems, notRunHere } from '../../lib/lab-status';
import { ToolError, options, required, run } from './cli';
import { sleep } from '../../lib/wait';

if (require.main === module) {
  run('lab-status', async () => {
    const mode = process.argv[2];
    const opts = options(process.argv.slice(3));
    if (mode === 'check-up') {
      const problems = labProblems(required(opts, 'network'), required(opts, 'containers').split(','));
      if (problems.length) {
        throw new ToolError(`the lab is not up (${problems.join('; ')}): deploy it first with 'npx cdktf deploy lab', then deploy the scenario`);
      }
      const skipped = notRunHere().filter((c) => required(opts, 'containers').split(',').includes(c));
      process.stdout.write(`the lab is up${skipped.length ? ` (not checked, not run on this engine for want of an image: ${skipped.join(', ')})` : ''}\n`);
    } else if (mode === 'wait-healthy') {
      const name = required(opts, 'container');
      const deadline = Date.now() + Number(opts.get('timeout') ?? 120) * 1000;
      for (;;) {
        const state = containerState(name);
        if (state?.status === 'running' && (state.health === 'healthy' || state.health === 'none')) break;
        if (Date.now() > deadline) throw new ToolError(`${name} is not healthy again (${state ? `${state.status}/${state.health}` : 'missing'}): see docker logs ${name}`);
        await sleep(2000);
      }
      process.stdout.write(`${name} is healthy\n`);
    } else if (mode === 'wait-flowing') {
      const name = required(opts, 'container');
      const prometheus = required(opts, 'prometheus');
      const query = required(opts, 'query');
      const timeoutS = Number(opts.get('timeout') ?? 120);
      const deadline = Date.now() + timeoutS * 1000;
      let last = 'no answer yet';
      for (;;) {
        const startedAt = docker(['inspect', '--format', '{{.State.StartedAt}}', name]);
        if (startedAt) {
          const value = await flowValue(prometheus, query, flowWindowS(Date.parse(startedAt), Date.now()));
          if (typeof value === 'number' && value > 0) break;
          last = typeof value === 'number' ? `${value}` : value;
        } else {
          last = `container ${name} missing`;
        }
        if (Date.now() > deadline) throw new ToolError(`${name} is healthy but not back in the data flow within ${timeoutS} s (${query} → ${last}): see docker logs ${name}`);
        await sleep(2000);
      }
      process.stdout.write(`${name} is back in the data flow\n`);
    } else {
      throw new ToolError(`unknown mode '${mode}': check-up | wait-healthy | wait-flowing`);
    }
  });
}
