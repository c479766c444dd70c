/**
 * Prometheus configuration and rules, rendered from the lab model. The lab's
 * Prometheus (Docker) and the native harness (Debian's prometheus) both use
 * these; the harness only remaps target addresses, keeping every label.
 */
import { stringify } from 'yaml';
import { ALERT_RULES, type AlertRule, pipelineNameTemplate } from '../alerts';
import type { LabModel } from '../lab';
import { CMS_SERVICES, type ServiceName } from '../services';

export const CMS_JOB = 'cms-services';

export interface PrometheusConfigOptions {
  /** Address to scrape for a service. @default `<service>:<metrics port>` (Docker DNS) */
  readonly targetAddress?: (service: ServiceName, port: number) => string;
  /** Rule files to load (the native harness evaluates the rules itself). @default none */
  readonly ruleFiles?: readonly string[];
  /** Also scrape the observability stack itself. @default true */
  readonly includeInfrastructure?: boolean;
}

/** The scrape target of every CMS service: same `instance` everywhere (the sensor-down rule matches it), plus `service_name`. */
export function cmsTargets(options: PrometheusConfigOptions = {}): Array<{ targets: string[]; labels: Record<string, string> }> {
  return CMS_SERVICES.map((s) => ({
    targets: [options.targetAddress ? options.targetAddress(s.name, s.metricsPort) : `${s.name}:${s.metricsPort}`],
    labels: { instance: `${s.name}:${s.metricsPort}`, service_name: s.name },
  }));
}

export function prometheusConfig(lab: LabModel, options: PrometheusConfigOptions = {}): Record<string, unknown> {
  const interval = `${lab.observability.scrapeIntervalS}s`;
  const jobs: Array<Record<string, unknown>> = [
    { job_name: CMS_JOB, scrape_interval: interval, static_configs: cmsTargets(options) },
  ];
  if (options.includeInfrastructure ?? true) {
    jobs.push(
      { job_name: 'prometheus', static_configs: [{ targets: [`localhost:${lab.observability.prometheus.port}`] }] },
      { job_name: 'otel-collector', static_configs: [{ targets: ['otel-collector:8888'] }] },
      { job_name: 'loki', static_configs: [{ targets: [`loki:${lab.observability.loki.port}`] }] },
      { job_name: 'tempo', static_configs: [{ targets: [`tempo:${lab.observability.tempo.port}`] }] },
    );
  }
  return {
    global: {
      scrape_interval: interval,
      scrape_timeout: `${Math.max(1, lab.observability.scrapeIntervalS - 1)}s`,
      evaluation_interval: `${lab.observability.evaluationIntervalS}s`,
    },
    ...(options.ruleFiles?.length ? { rule_files: [...options.ruleFiles] } : {}),
    scrape_configs: jobs,
  };
}

export function runbookUrl(lab: LabModel, rule: AlertRule): string {
  const panel = ALERT_RULES.indexOf(rule) + 1;
  return `http://${lab.bindAddress}:${lab.grafana.hostPort}/d/${lab.grafana.dashboards.runbooks}/?viewPanel=${panel}`;
}

/** Labels every alert instance carries, in Grafana and in Prometheus alike. */
export function alertLabels(rule: AlertRule): Record<string, string> {
  return { severity: rule.severity, pipeline_name: pipelineNameTemplate(rule) };
}

export function alertAnnotations(lab: LabModel, rule: AlertRule): Record<string, string> {
  return { summary: rule.summary, description: rule.description, runbook_url: runbookUrl(lab, rule) };
}

/** The alert rules as a Prometheus rules file (for promtool and the native harness). */
export function prometheusRules(lab: LabModel): Record<string, unknown> {
  return {
    groups: [
      {
        name: lab.grafana.ruleGroup,
        interval: `${lab.observability.evaluationIntervalS}s`,
        rules: lab.alertRules.map((rule) => ({
          alert: rule.uid,
          expr: rule.expr,
          for: rule.for,
          labels: alertLabels(rule),
          annotations: alertAnnotations(lab, rule),
        })),
      },
    ],
  };
}

export function toYaml(document: unknown): string {
  return stringify(document, { lineWidth: 0 });
}
