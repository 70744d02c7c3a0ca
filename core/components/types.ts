import type { Kernel } from '../kernel.js';
import type { PortalState } from '../http/state.js';
import type { Localized } from '../modules/types.js';
import type { ParamSchema, ParamsOf } from './params.js';

export interface PrepareContext<S extends ParamSchema> {
  kernel: Kernel;
  params: ParamsOf<S>;
  /** The request state: user, principal, site, language. */
  state: PortalState;
}

export interface ComponentDefinition<S extends ParamSchema = ParamSchema, R = unknown> {
  /** Dotted name: `<module>.<what>[.<more>]`, e.g. `forum.topic.list`. */
  name: string;
  title: Localized;
  params: S;
  /**
   * Result caching. The key is built from the name, template, parameters and the
   * `vary` parts of the request; tags let module events invalidate it.
   */
  cache?: {
    ttl: number;
    tags?: (params: ParamsOf<S>) => string[];
    vary?: ('user' | 'site' | 'language')[];
  };
  /** Calls module APIs and returns a plain, JSON-serializable result. */
  prepare(ctx: PrepareContext<S>): Promise<R>;
}

export function defineComponent<S extends ParamSchema, R>(def: ComponentDefinition<S, R>): ComponentDefinition<S, R> {
  return def;
}

/** A component of any parameter schema, as held by the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyComponent = ComponentDefinition<any, any>;
