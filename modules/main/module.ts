import { defineModule } from '../../core/modules/types.js';
import { migrations } from './migrations/index.js';
import { rights } from './rights.js';
import { options } from './options.js';
import { mailEvents } from './mail-events.js';
import { agents } from './agents.js';
import { routes } from './routes/index.js';
import { install } from './install.js';
import { pages } from './pages.js';
import { adminMenu } from './admin-menu.js';
import { createMainApi } from './api.js';
import { registerMainFileAccess } from './file-access.js';
import { registerAccountMail } from './accounts/account-mail.js';
import en from './lang/en.js';
import ru from './lang/ru.js';

/** The main module: users, groups, rights, sites, options, agents, mail, files, sign-in and admin. */
export default defineModule({
  id: 'main',
  version: '0.1.0',
  required: true,
  title: { en: 'Main module', ru: 'Главный модуль' },
  description: { en: 'Kernel services and the portal shell', ru: 'Службы ядра и оболочка портала' },
  migrations,
  rights,
  options,
  mailEvents,
  agents,
  lang: { en, ru },
  routes,
  pages,
  admin: { menu: adminMenu },
  install,
  setup: (ctx) => {
    registerMainFileAccess(ctx);
    registerAccountMail(ctx);
    return createMainApi(ctx);
  },
});
