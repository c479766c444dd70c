import type { Construct } from 'constructs';
import { GrafanaResource, type GrafanaResourceOptions, defined, escapeInterpolation } from './base';

export interface GrafanaRuleQuery {
  /** `ref_id`. */
  readonly refId: string;
  /** `datasource_uid`; `__expr__` for server-side expressions. */
  readonly datasourceUid: string;
  /** `model`, JSON-encoded. */
  readonly model: Record<string, unknown>;
  /** `relative_time_range` in seconds before evaluation: `from` back to `to`. */
  readonly relativeTimeRange: { readonly from: number; readonly to: number };
}

export interface GrafanaAlertRule {
  /** `name`, the rule title. */
  readonly name: string;
  /** `uid`. */
  readonly uid: string;
  /** `condition`: the ref_id whose result decides firing. */
  readonly condition: string;
  /** `for`. */
  readonly for: string;
  /** `no_data_state`. @default 'OK' */
  readonly noDataState?: 'OK' | 'NoData' | 'KeepLast' | 'Alerting';
  /** `exec_err_state`. @default 'Error' */
  readonly execErrState?: 'OK' | 'Error' | 'KeepLast' | 'Alerting';
  /** `labels`. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** `annotations`. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** `is_paused`. @default false */
  readonly isPaused?: boolean;
  /** `data`: the query and expression stages. */
  readonly data: readonly GrafanaRuleQuery[];
}

export interface GrafanaRuleGroupConfig extends GrafanaResourceOptions {
  /** `name` (changing it replaces the group). */
  readonly name: string;
  /** `folder_uid` (changing it replaces the group). */
  readonly folderUid: string;
  /** `interval_seconds`: evaluation interval. */
  readonly intervalSeconds: number;
  /** `rule` blocks. */
  readonly rules: readonly GrafanaAlertRule[];
}

/** `grafana_rule_group`: a change to a rule's query or threshold is an in-place update. */
export class GrafanaRuleGroup extends GrafanaResource {
  static readonly tfResourceType = 'grafana_rule_group';
  static readonly coveredAttributes = [
    'name',
    'folder_uid',
    'interval_seconds',
    'rule.name',
    'rule.uid',
    'rule.condition',
    'rule.for',
    'rule.no_data_state',
    'rule.exec_err_state',
    'rule.labels',
    'rule.annotations',
    'rule.is_paused',
    'rule.data.ref_id',
    'rule.data.datasource_uid',
    'rule.data.model',
    'rule.data.relative_time_range.from',
    'rule.data.relative_time_range.to',
  ] as const;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: GrafanaRuleGroupConfig,
  ) {
    super(scope, id, GrafanaRuleGroup.tfResourceType, config);
    for (const rule of config.rules) {
      if (!rule.data.some((d) => d.refId === rule.condition)) {
        throw new Error(`rule ${rule.uid}: condition '${rule.condition}' names no data stage (${rule.data.map((d) => d.refId).join(', ')})`);
      }
    }
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      name: this.config.name,
      folder_uid: this.config.folderUid,
      interval_seconds: this.config.intervalSeconds,
      rule: this.config.rules.map((rule) =>
        defined({
          name: rule.name,
          uid: rule.uid,
          condition: rule.condition,
          for: rule.for,
          no_data_state: rule.noDataState ?? 'OK',
          exec_err_state: rule.execErrState ?? 'Error',
          labels: rule.labels ? Object.fromEntries(Object.entries(rule.labels).map(([k, v]) => [k, escapeInterpolation(v)])) : undefined,
          annotations: rule.annotations ? Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, escapeInterpolation(v)])) : undefined,
          is_paused: rule.isPaused ?? false,
          data: rule.data.map((d) => ({
            ref_id: d.refId,
            datasource_uid: d.datasourceUid,
            model: escapeInterpolation(JSON.stringify(d.model)),
            relative_time_range: [{ from: d.relativeTimeRange.from, to: d.relativeTimeRange.to }],
          })),
        }),
      ),
    };
  }
}
