import type { Logger } from '../log/logger.js';
import { PortalError } from '../errors/portal-error.js';
import type { ModuleTx } from '../db/module-db.js';
import { currentModule } from '../modules/owner.js';
import type { AfterEvents, AfterListener, BeforeContext, BeforeEvents, BeforeListener, ListenOptions, Veto } from './types.js';

interface Entry<L> {
  listener: L;
  priority: number;
  module?: string;
  seq: number;
}

/** The bus as a module sees it (`ctx.events`): what it registers belongs to the module. */
export type ModuleEvents = Pick<EventBus, 'onBefore' | 'onAfter' | 'runBefore' | 'emitAfter' | 'listenerCount'>;

/** The one typed hook system: before-hooks that can change or veto, after-events that notify. */
export class EventBus {
  private readonly before = new Map<string, Entry<BeforeListener<never>>[]>();
  private readonly after = new Map<string, Entry<AfterListener<never>>[]>();
  private seq = 0;

  constructor(private readonly log: Logger) {}

  onBefore<K extends keyof BeforeEvents & string>(name: K, listener: BeforeListener<BeforeEvents[K]>, options: ListenOptions = {}): () => void {
    return this.add(this.before, name, listener as BeforeListener<never>, options);
  }

  onAfter<K extends keyof AfterEvents & string>(name: K, listener: AfterListener<AfterEvents[K]>, options: ListenOptions = {}): () => void {
    return this.add(this.after, name, listener as AfterListener<never>, options);
  }

  /**
   * Runs before-listeners in priority order on a copy of `data` and returns the
   * (possibly changed) data. Throws EVENT_VETOED (422) when a listener vetoes.
   */
  async runBefore<K extends keyof BeforeEvents & string>(name: K, data: BeforeEvents[K]): Promise<BeforeEvents[K]> {
    let veto: Veto | undefined;
    const ctx: BeforeContext<BeforeEvents[K]> = {
      data,
      veto(reason, code = 'EVENT_VETOED') {
        veto = { reason, code };
      },
    };
    for (const entry of this.before.get(name) ?? []) {
      await (entry.listener as BeforeListener<BeforeEvents[K]>)(ctx);
      if (veto) {
        throw new PortalError(veto.code, veto.reason, { status: 422, details: { event: name, module: entry.module } });
      }
    }
    return ctx.data;
  }

  /**
   * Notifies after-listeners in priority order. Inside a transaction pass `tx`: they run
   * only once it has committed. A failing listener is logged and the rest still run.
   */
  async emitAfter<K extends keyof AfterEvents & string>(name: K, payload: AfterEvents[K], tx?: ModuleTx): Promise<void> {
    if (tx) {
      tx.onCommit(() => this.dispatchAfter(name, payload));
      return;
    }
    await this.dispatchAfter(name, payload);
  }

  /**
   * The bus for one module's code: its listeners are the module's own without
   * `{ module }`, so uninstalling it removes them and a reinstall does not double them.
   */
  forModule(moduleId: string): ModuleEvents {
    const own = (options: ListenOptions): ListenOptions => {
      if (options.module !== undefined && options.module !== moduleId) {
        throw new TypeError(`module "${moduleId}" cannot register a listener as "${options.module}"`);
      }
      return { ...options, module: moduleId };
    };
    return {
      onBefore: (name, listener, options = {}) => this.onBefore(name, listener, own(options)),
      onAfter: (name, listener, options = {}) => this.onAfter(name, listener, own(options)),
      runBefore: (name, data) => this.runBefore(name, data),
      emitAfter: (name, payload, tx) => this.emitAfter(name, payload, tx),
      listenerCount: (name) => this.listenerCount(name),
    };
  }

  /** Removes every listener a module registered (used when it is uninstalled). */
  removeModule(moduleId: string): void {
    for (const map of [this.before, this.after] as Map<string, Entry<unknown>[]>[]) {
      for (const [name, list] of map) map.set(name, list.filter((e) => e.module !== moduleId));
    }
  }

  listenerCount(name: string): number {
    return (this.before.get(name)?.length ?? 0) + (this.after.get(name)?.length ?? 0);
  }

  private async dispatchAfter(name: string, payload: unknown): Promise<void> {
    for (const entry of this.after.get(name) ?? []) {
      try {
        await (entry.listener as AfterListener<unknown>)(payload);
      } catch (err) {
        this.log.error({ err, event: name, module: entry.module }, 'after-event listener failed');
      }
    }
  }

  private add<L>(map: Map<string, Entry<L>[]>, name: string, listener: L, options: ListenOptions): () => void {
    if (typeof listener !== 'function') throw new TypeError(`listener for "${name}" must be a function`);
    // Registered while a module's setup runs (even on the raw bus): the module owns it.
    const entry: Entry<L> = { listener, priority: options.priority ?? 100, module: options.module ?? currentModule(), seq: this.seq++ };
    const list = [...(map.get(name) ?? []), entry].sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    map.set(name, list);
    return () => map.set(name, (map.get(name) ?? []).filter((e) => e !== entry));
  }
}
