/**
 * Entrypoint of every CMS service (one image for all eight): SERVICE_NAME
 * selects the implementation. `node dist/services/main.js`.
 */
import type { ServiceName } from '../model/services';
import { commandCenter } from './command-center';
import { effectorManager } from './effector-manager';
import { readServiceName } from './runtime/config';
import { EXIT_CONFIG, type ServiceImplementation, runService } from './runtime/service';
import { sensorService } from './sensors';
import { tacticalDisplay } from './tactical-display';
import { threatEvaluator } from './threat-evaluator';
import { trackFusion } from './track-fusion';

const IMPLEMENTATIONS: { [S in ServiceName]: ServiceImplementation<S> } = {
  'radar-sensor': sensorService,
  'esm-sensor': sensorService,
  'eo-sensor': sensorService,
  'track-fusion': trackFusion,
  'threat-evaluator': threatEvaluator,
  'command-center': commandCenter,
  'effector-manager': effectorManager,
  'tactical-display': tacticalDisplay,
};

let service: ServiceName;
try {
  service = readServiceName();
} catch (error) {
  process.stderr.write(`cms service: ${(error as Error).message}\n`);
  process.exit(EXIT_CONFIG);
}
runService(service, IMPLEMENTATIONS[service] as ServiceImplementation<typeof service>).catch((error: unknown) => {
  process.stderr.write(`${service}: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
