import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { authRoutes } from './auth.js';
import { profileRoutes } from './profile.js';
import { adminRoutes } from './admin.js';
import { apiRoutes } from './api.js';
import { fileRoutes } from './files.js';
import { componentRoutes } from './components.js';
import { intranetRoutes } from './intranet/index.js';
import { pagesAdminRoutes } from './pages-admin/index.js';
import { passwordResetRoutes } from '../accounts/password-reset.js';
import { registrationRoutes } from '../accounts/registration.js';

export function routes(router: ModuleRouter, ctx: ModuleContext): void {
  authRoutes(router, ctx);
  passwordResetRoutes(router, ctx);
  registrationRoutes(router, ctx);
  profileRoutes(router, ctx);
  intranetRoutes(router, ctx);
  adminRoutes(router, ctx);
  apiRoutes(router, ctx);
  fileRoutes(router, ctx);
  componentRoutes(router, ctx);
  pagesAdminRoutes(router, ctx);
}
