import type { PortalKernel } from '../kernel-handle.js';
import type { PortalState } from '../http/state.js';
import type { Localized } from '../i18n/types.js';
import type { ParamSchema, ParamsOf } from './params.js';
import type { RequestQuery } from './request.js';

export interface PrepareContext<S extends ParamSchema, Q = undefined> {
  kernel: PortalKernel;
  params: ParamsOf<S>;
  /** The request state: user, principal, site, language. */
  state: PortalState;
  /** What the component's `request` read from the URL (undefined without one). */
  request: Q;
}

export interface ComponentDefinition<S extends ParamSchema = ParamSchema, R = unknown, Q = undefined> {
  /** Dotted name: `<module>.<what>[.<more>]`, e.g. `forum.topic.list`. */
  name: string;
  title: Localized;
  params: S;
  /**
   * What the component reads from the URL's query string (a page number, filter values):
   * picks and validates the values it needs and returns them as plain JSON, which `prepare`
   * gets as `request` and which is part of the cache key. Throw REQUEST_PARAM_INVALID (see
   * `readQuery`/`requestError` in request.ts) for bad input: the page then answers 400.
   * Without `request` a component never sees the query string.
   */
  request?: (query: RequestQuery, params: ParamsOf<S>) => Q;
  /**
   * Result caching. The key is built from the name, template, parameters, the request
   * values and the `vary` parts of the request; tags let module events invalidate it.
   * `tags` runs on every render, cache hit or not, before the cache is read.
   */
  cache?: {
    ttl: number;
    tags?: (params: ParamsOf<S>, ctx: { kernel: PortalKernel; state: PortalState; request: Q }) => string[] | Promise<string[]>;
    vary?: ('user' | 'site' | 'language')[];
  };
  /** Calls module APIs and returns a plain, JSON-serializable result. */
  prepare(ctx: PrepareContext<S, Q>): Promise<R>;
}

export function defineComponent<S extends ParamSchema, R, Q = undefined>(def: ComponentDefinition<S, R, Q>): ComponentDefinition<S, R, Q> {
  return def;
}

/** What a complex component's `route` picks for one URL: the child component to render. */
export interface ChildPlacement {
  component: string;
  template?: string;
  params?: Record<string, unknown>;
  /** Replaces the page title (and becomes the last breadcrumb). */
  title?: string;
  /** Breadcrumbs below the page, e.g. the section of a topic. */
  breadcrumbs?: { href: string; label: string }[];
}

export type ChildResult = ChildPlacement | ChildPlacement[] | null;

export interface SefContext {
  /** The URL of the subtree root, e.g. `/forum/`. */
  base: string;
  /** Builds the URL of a route: `url('detail', { ID: 5 })` -> `/forum/topic/5/`. */
  url(route: string, vars?: Record<string, string | number>): string;
  state: PortalState;
  kernel: PortalKernel;
}

/**
 * A complex component owns a URL subtree. `sef.routes` maps route names to URL templates
 * relative to the page (`''`, `'#SECTION_ID#/'`, `'topic/#ID#/'`); `sef.vars` validates the
 * variables (a bad value means 404). `route` picks the child component for the matched route.
 */
export interface ComplexComponentDefinition<S extends ParamSchema = ParamSchema> {
  name: string;
  title: Localized;
  params: S;
  sef: { routes: Record<string, string>; vars?: ParamSchema };
  /** One child, or several rendered one after another (e.g. a filter form above a list); null = 404. */
  route(name: string, vars: Record<string, unknown>, params: ParamsOf<S>, ctx: SefContext): ChildResult | Promise<ChildResult>;
  prepare?: never;
}

export function defineComplexComponent<S extends ParamSchema>(def: ComplexComponentDefinition<S>): ComplexComponentDefinition<S> {
  return def;
}

/** A simple component of any parameter schema, as held by the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SimpleComponent = ComponentDefinition<any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ComplexComponent = ComplexComponentDefinition<any>;
/** Any component, simple or complex. */
export type AnyComponent = SimpleComponent | ComplexComponent;

export function isComplex(def: AnyComponent): def is ComplexComponent {
  return typeof (def as ComplexComponent).route === 'function' && typeof (def as ComplexComponent).sef === 'object';
}

/** What a template's `modifier.ts` default-exports: changes the result before the template; cached with it. */
export type ResultModifier<R = any> = (result: R, ctx: { params: Record<string, unknown>; state: PortalState; kernel: PortalKernel }) => R | Promise<R>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Lets an epilog change the page the component is on (it runs on every hit, cached or not). */
export interface PageHandle {
  setTitle(title: string): void;
  addBreadcrumb(crumb: { href: string; label: string }): void;
  addCss(url: string): void;
  addJs(url: string): void;
}

/** What a template's `epilog.ts` default-exports: runs on every hit, even a cache hit. */
export type Epilog<R = any> = (ctx: { params: Record<string, unknown>; state: PortalState; kernel: PortalKernel; result: R; page: PageHandle }) => void | Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function defineModifier<R>(fn: ResultModifier<R>): ResultModifier<R> {
  return fn;
}

export function defineEpilog<R>(fn: Epilog<R>): Epilog<R> {
  return fn;
}
