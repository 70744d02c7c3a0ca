import type { Logger } from './logger.js';

/**
 * A warning that can repeat on every request during an outage, logged at most once per
 * window (per message) with the number of repeats left out since the last line.
 */
export function throttledWarn(log: Logger, windowMs = 30_000): (fields: Record<string, unknown>, msg: string) => void {
  const state = new Map<string, { last: number; suppressed: number }>();
  return (fields, msg) => {
    const now = Date.now();
    const s = state.get(msg);
    if (s && now - s.last < windowMs) {
      s.suppressed++;
      return;
    }
    log.warn({ ...fields, ...(s?.suppressed ? { repeated: s.suppressed } : {}) }, msg);
    if (!s && state.size >= 100) state.clear(); // messages carry host names, not user input; stay bounded anyway
    state.set(msg, { last: now, suppressed: 0 });
  };
}
