/** The Prometheus HTTP API the harnesses read alerts and instant queries from: Debian's Prometheus natively, the lab's container on Docker. */

export interface PromAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing' | 'inactive';
  readonly activeAt: string;
  readonly value: string;
}

export class PrometheusClient {
  constructor(public url = '') {}

  private async api<T>(pathname: string): Promise<T> {
    const response = await fetch(`${this.url}${pathname}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${pathname}: ${body.error ?? response.status}`);
    return body.data;
  }

  async alerts(): Promise<PromAlert[]> {
    return (await this.api<{ alerts: PromAlert[] }>('/api/v1/alerts')).alerts;
  }

  async firing(): Promise<PromAlert[]> {
    return (await this.alerts()).filter((a) => a.state === 'firing');
  }

  /** Instant query; returns [labels, value] pairs. */
  async query(expr: string): Promise<Array<{ labels: Record<string, string>; value: number }>> {
    const data = await this.api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
    return data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }
}
