/**
 * Event payload maps. Modules add their events by declaration merging:
 *
 *   declare module '../../core/events/types.js' {
 *     interface BeforeEvents { 'forum.topic.create': TopicInput }
 *     interface AfterEvents { 'forum.topic.created': Topic }
 *   }
 *
 * "Before" events are named for the action (`*.create`), can change the data or veto.
 * "After" events are named in the past tense (`*.created`) and only notify.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface BeforeEvents {}
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AfterEvents {}

export interface Veto {
  reason: string;
  code: string;
  module?: string;
}

export interface BeforeContext<T> {
  /** The data the action will use; listeners may replace fields. */
  data: T;
  /** Stops the action. Later listeners do not run. */
  veto(reason: string, code?: string): void;
}

export type BeforeListener<T> = (event: BeforeContext<T>) => void | Promise<void>;
export type AfterListener<T> = (payload: T) => void | Promise<void>;

export interface ListenOptions {
  /** Lower runs first; default 100. */
  priority?: number;
  /**
   * Owner module id, for logs and for removing a module's listeners on uninstall.
   * Set by itself for listeners registered through `ctx.events` or during `setup`.
   */
  module?: string;
}
