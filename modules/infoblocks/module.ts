import { defineModule } from '../../core/modules/types.js';
import createInfoblocks from './migrations/2026-12-01-01-create-infoblocks.js';
import widenLongTexts from './migrations/2026-12-02-01-widen-long-texts.js';
import trackElementFiles from './migrations/2026-12-02-02-track-element-files.js';
import { createInfoblocksApi, type InfoblocksApi } from './api.js';
import { dropPropertyTables } from './storage/property-tables.js';
import { sweepCandidates } from './storage/file-refs.js';
import { routes as restRoutes } from './rest/index.js';
import { adminRoutes } from './admin/index.js';
import { adminMenu } from './admin/menu.js';
import en from './lang/en.js';
import ru from './lang/ru.js';
import { infoblocksCli } from './cli.js';

/** Infoblocks: typed content (news, catalogues, lists) with sections, properties and one filter grammar. */
export default defineModule<InfoblocksApi>({
  id: 'infoblocks',
  version: '0.1.0',
  title: { en: 'Infoblocks', ru: 'Информационные блоки' },
  dependencies: { main: '^0.1.0' },
  migrations: [createInfoblocks, widenLongTexts, trackElementFiles],
  rights: {
    // Module level: who manages every infoblock. Per-infoblock levels D/R/U/W/X live in infoblocks_rights.
    levels: {
      D: { title: { en: 'Per infoblock', ru: 'По инфоблокам' }, operations: [] },
      X: { title: { en: 'Manage all infoblocks', ru: 'Управление всеми инфоблоками' }, operations: ['infoblocks.manage'] },
    },
    defaultLevel: 'D',
    operations: { 'infoblocks.manage': { en: 'Manage infoblocks', ru: 'Управление инфоблоками' } },
  },
  lang: { en, ru },
  setup: (ctx) => createInfoblocksApi(ctx),
  routes: (router, ctx) => {
    restRoutes(router, ctx);
    adminRoutes(router, ctx);
  },
  admin: { menu: adminMenu },
  // Deletes element files left unreferenced when a sweep right after the change could not run.
  agents: (ctx) => [{ name: 'files.sweep', interval: 3600, run: async () => void (await sweepCandidates(ctx)) }],
  cli: infoblocksCli,
  async uninstall(ctx, { dropData }) {
    if (!dropData) return;
    const ids = (await ctx.db.write('iblocks').pluck('id')) as unknown[];
    for (const id of ids) await dropPropertyTables(ctx.db, Number(id));
  },
});
