/**
 * The kernel as module code gets it: `ctx.kernel`, a component's `prepare`, a template's
 * modifier or epilog, a module's CLI command. Empty here; core/kernel.ts merges the Kernel
 * class into it (as modules merge their APIs into ModuleApis), so the contracts that hand the
 * kernel out (modules/types.ts, components/types.ts) need not import kernel.ts, which imports them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PortalKernel {}
