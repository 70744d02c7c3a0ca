import { defineModule } from '../../../core/modules/types.js';
import { createKbApi, type KbApi } from './api.js';
import { installKb, uninstallKb } from './install.js';
import en from './lang/en.js';
import ru from './lang/ru.js';

/**
 * The worked example of docs/infoblocks.md ("Storing a module's data in infoblocks"): a knowledge
 * base with no tables of its own. Its articles are elements of an infoblock it creates on install,
 * reached only through kernel.api('infoblocks'); the infoblock's rights decide who reads and writes.
 */
export default defineModule<KbApi>({
  id: 'kb',
  version: '1.0.0',
  title: { en: 'Knowledge base', ru: 'База знаний' },
  dependencies: { main: '^0.1.0', infoblocks: '^0.1.0' },
  lang: { en, ru },
  install: installKb,
  uninstall: uninstallKb,
  setup: (ctx) => createKbApi(ctx),
});
