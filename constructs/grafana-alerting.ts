/**
 * Grafana alerting of the lab: the rule group (the seven reference rules),
 * a webhook contact point to the alert sink, and the notification policy
 * routing every alert there, grouped per rule so each notification is about
 * one alert.
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { grafanaAlertRules } from '../grafana/alerting';
import type { LabModel } from '../model/lab';
import { GrafanaContactPoint, GrafanaNotificationPolicy, GrafanaRuleGroup } from './grafana-provider';

export interface GrafanaAlertingProps {
  readonly lab: LabModel;
  /** Folder uid the rules live in. */
  readonly folderUid: string;
  /** Where Grafana posts notifications. */
  readonly webhookUrl: string;
  /** Wait before the first notification of a group. @default '5s' */
  readonly groupWait?: string;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export class GrafanaAlerting extends Construct {
  readonly ruleGroup: GrafanaRuleGroup;
  readonly contactPoint: GrafanaContactPoint;
  readonly policy: GrafanaNotificationPolicy;

  constructor(scope: Construct, id: string, props: GrafanaAlertingProps) {
    super(scope, id);
    this.ruleGroup = new GrafanaRuleGroup(this, 'rules', {
      name: props.lab.grafana.ruleGroup,
      folderUid: props.folderUid,
      intervalSeconds: props.lab.observability.evaluationIntervalS,
      rules: grafanaAlertRules(props.lab),
      dependsOn: props.dependsOn,
    });
    this.contactPoint = new GrafanaContactPoint(this, 'contact-point', {
      name: props.lab.grafana.contactPoint,
      webhook: { url: props.webhookUrl, httpMethod: 'POST', disableResolveMessage: false },
      dependsOn: props.dependsOn,
    });
    this.policy = new GrafanaNotificationPolicy(this, 'policy', {
      contactPoint: this.contactPoint.name,
      groupBy: ['alertname'],
      groupWait: props.groupWait ?? '5s',
      groupInterval: '1m',
      repeatInterval: '4h',
    });
  }
}
