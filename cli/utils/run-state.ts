/** Set by commands that keep running (the foreground server, following logs) so index.ts does not exit. */
export const runState = { keepAlive: false };
