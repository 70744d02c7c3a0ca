import type { Migration } from '../../../core/modules/types.js';
import createItems from './__MIGRATION__.js';

export const migrations: Migration[] = [createItems];
