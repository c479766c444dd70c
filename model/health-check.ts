/**
 * The CMS services' health check, one definition for both harnesses: every
 * lab container's Docker healthcheck and the native harness's /healthz wait.
 * A display that redraws on every update (display-slow-consumer) answers
 * /healthz only between its batches of samples, seconds apart; on the engine
 * the probe's timeout and retries gave it room, natively a 2 s probe within
 * 30 s once did not (bench:scenarios, 2026-12-08).
 */
export const HEALTH_CHECK = { intervalS: 5, timeoutS: 4, retries: 12, startPeriodS: 10 } as const;

/** How long a service may take to answer its first probe before it counts as failed: the start period and every retry. */
export const HEALTHY_WITHIN_S = HEALTH_CHECK.startPeriodS + HEALTH_CHECK.intervalS * HEALTH_CHECK.retries;
