export interface ThrottlePolicy {
  /** Failures in a row before a client has to wait (security.loginMaxAttempts). */
  maxFailures: number;
  /** A client that stays away this long after its wait starts afresh (security.loginWindowSeconds). */
  windowMs: number;
  /** The longest wait (security.loginLockSeconds). */
  lockMs: number;
}

/** The first wait, doubled for every further failure up to the policy's lockMs. */
const FIRST_WAIT_MS = 60_000;

/** How long a client with `failures` in a row waits after the last one. */
export function waitAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.maxFailures) return 0;
  const first = Math.min(FIRST_WAIT_MS, policy.lockMs);
  return Math.min(policy.lockMs, first * 2 ** Math.min(failures - policy.maxFailures, 30));
}

/**
 * The current failure streak of one client for one login, from its attempts newest first:
 * failures since its last success, where each follows the one before within its wait plus
 * the window (and the last one is that recent too). `waitUntil` is when it may try again.
 */
export function streakOf(attempts: readonly { success: boolean; at: number }[], now: number, policy: ThrottlePolicy): { failures: number; waitUntil: number } {
  const times: number[] = [];
  for (const a of attempts) {
    if (a.success) break;
    times.push(a.at);
  }
  let failures = 0;
  let last = 0;
  for (const at of times.reverse()) {
    if (failures > 0 && at - last > waitAfter(failures, policy) + policy.windowMs) failures = 0;
    failures += 1;
    last = at;
  }
  if (failures > 0 && now - last > waitAfter(failures, policy) + policy.windowMs) failures = 0;
  return { failures, waitUntil: failures > 0 ? last + waitAfter(failures, policy) : 0 };
}
