import type { Group, User, UserInput } from '../services.js';
import type { UserPatch } from './user-validation.js';

/** Events of users and groups (declaration merging into the one typed event map). */
declare module '../events/types.js' {
  interface BeforeEvents {
    /** Before a user is created; listeners may change the input or veto. */
    'main.user.create': UserInput;
    /** Before a user is updated; listeners may change the patch or veto. */
    'main.user.update': { id: number; patch: UserPatch };
  }
  interface AfterEvents {
    'main.user.created': User;
    'main.user.updated': User;
    'main.user.deleted': { id: number };
    'main.group.created': Group;
    'main.group.deleted': { id: number; code: string };
    /** The password was changed (payload: the user). */
    'main.user.passwordChanged': User;
    /** A successful local sign-in. */
    'main.user.login': { user: User; ip: string };
  }
}

export {};
