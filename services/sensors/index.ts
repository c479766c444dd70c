import type { SensorServiceName } from '../../model/services';
import { runSensor } from '../runtime/sensor-runtime';
import { type ServiceImplementation } from '../runtime/service';

/** radar-sensor, esm-sensor and eo-sensor differ only in their model entry (rate, noise, detection, classification). */
export const sensorService: ServiceImplementation<SensorServiceName> = (context) => runSensor(context);
