import type { ModuleContext } from '../../core/modules/types.js';
import type { ReferenceChecker } from '../../core/components/references.js';

const ID = /^[1-9][0-9]{0,9}$/;

/**
 * kernel.api('main'): what the kernel's users, groups and departments do not already offer. Component
 * parameters may refer to a user group (`refers: { module: 'main', kind: 'group' }`, a code or an id),
 * a department (an id) or a user (an id or a login); the page builder asks here whether they exist.
 */
export function createMainApi(ctx: ModuleContext): ReferenceChecker {
  const { kernel } = ctx;
  const exists: Record<string, (ref: string) => Promise<boolean>> = Object.assign(Object.create(null) as Record<string, (ref: string) => Promise<boolean>>, {
    group: async (ref: string) => (await kernel.groups.list()).some((g) => g.code === ref || (ID.test(ref) && g.id === Number(ref))),
    department: async (ref: string) => ID.test(ref) && (await kernel.users.departments.list()).some((d) => d.id === Number(ref)),
    user: async (ref: string) => !!(ID.test(ref) ? await kernel.users.find(Number(ref)) : await kernel.users.findByLogin(ref)),
  });
  return {
    async checkReference(kind, value, language) {
      const ref = String(value).trim();
      if (!Object.hasOwn(exists, kind)) return ctx.t('REF_KIND_UNKNOWN', language, { KIND: kind });
      return (await exists[kind]!(ref)) ? null : ctx.t(`REF_${kind.toUpperCase()}_MISSING`, language, { VALUE: ref });
    },
  };
}

export type MainApi = ReturnType<typeof createMainApi>;

declare module '../../core/modules/types.js' {
  interface ModuleApis {
    main: MainApi;
  }
}
