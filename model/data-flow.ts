/**
 * "Back in the data flow": for each service, a PromQL expression counted by
 * its consumers that rises above zero once the service's output reaches
 * them again. A revert waits on it, not only on /healthz — a sensor can
 * answer its health check while none of its samples reach fusion (a
 * container reconnected to a network whose DDS sockets are bound to the
 * interface that went away). `__WINDOW__` is filled in by the waiting tool:
 * the seconds since the container (re)started, so only output of the
 * restored process counts.
 */
import { serviceSpec, type ServiceName } from './services';

export const FLOW_WINDOW = '__WINDOW__';

export function dataFlowQuery(service: ServiceName): string {
  const spec = serviceSpec(service);
  if (spec.sensor) return `sum(increase(cms_fusion_ingested_total{sensor_id="${spec.sensor.sensorId}"}[${FLOW_WINDOW}]))`;
  switch (service) {
    case 'track-fusion':
      return `sum(increase(cms_threat_evaluated_total[${FLOW_WINDOW}]))`;
    case 'threat-evaluator':
      return `sum(increase(cms_display_received_total{topic="ThreatAssessmentTopic"}[${FLOW_WINDOW}]))`;
    default:
      // orders and engagements are rare in steady state and the display consumes only: being scraped is the flow
      return `sum(up{job="cms-services",instance="${service}:${spec.metricsPort}"})`;
  }
}
