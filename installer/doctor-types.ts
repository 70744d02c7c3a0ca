import type { PortalConfig } from '../core/config/types.js';
import type { ModuleDefinition } from '../core/modules/types.js';
import type { DbProbe } from './database.js';

/** The command a check guards (Ghost-CLI style): install, start or update. */
export type DoctorCommand = 'install' | 'start' | 'update';
export type DoctorStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  id: string;
  title: string;
  status: DoctorStatus;
  message: string;
}

export type CheckOutcome = Pick<DoctorCheck, 'status' | 'message'>;

/** What a check may use; the DB probe is shared so the DB is asked once. */
export interface DoctorContext {
  config: PortalConfig;
  definitions?: ModuleDefinition[];
  /** The commands the run is for (all when absent). */
  only?: DoctorCommand[];
  probe(): Promise<DbProbe>;
}

export interface CheckSpec {
  id: string;
  title: string;
  guards: DoctorCommand[];
  run(ctx: DoctorContext): Promise<CheckOutcome>;
}
