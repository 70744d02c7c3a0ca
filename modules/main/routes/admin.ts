/** The admin area lives in routes/admin/; this keeps the import in routes/index.ts stable. */
export { adminRoutes } from './admin/index.js';
