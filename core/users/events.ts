import type { Group, User, UserInput } from '../services.js';
import type { UserPatch } from './user-validation.js';

/**
 * Events of users and groups (declaration merging into the one typed event map).
 * docs/events.md is generated from these declarations: the comment says what the
 * event means, each `@firedBy` names a call that fires it and where that call is used.
 */
declare module '../events/types.js' {
  interface BeforeEvents {
    /**
     * Before a user is created; listeners may change the input (groups included) or veto.
     * @firedBy `kernel.users.create(input)`: the admin's new-user form, `portal user add`, `portal install`
     */
    'main.user.create': UserInput;
    /**
     * Before a user's profile, active flag or groups change; listeners may change the patch or veto. Blocking is `patch.active === false`.
     * @firedBy `kernel.users.update(id, patch)`: the admin's user form, the intranet profile page
     * @firedBy `kernel.users.setActive(id, active)`: blocking and unblocking (the admin's Block button, `portal user block`)
     */
    'main.user.update': { id: number; patch: UserPatch };
  }
  interface AfterEvents {
    /**
     * A user was created.
     * @firedBy `kernel.users.create(input)`
     */
    'main.user.created': User;
    /**
     * A user changed (the payload is the user as saved). A blocked user's sessions have already ended.
     * @firedBy `kernel.users.update(id, patch)`
     * @firedBy `kernel.users.setActive(id, active)`
     */
    'main.user.updated': User;
    /**
     * A user was deleted with memberships, API tokens and sessions. There is no before-event: it cannot be vetoed.
     * @firedBy `kernel.users.delete(id)`: the admin's Delete button
     */
    'main.user.deleted': { id: number };
    /**
     * A group was created.
     * @firedBy `kernel.groups.create(input)`: the admin's new-group form, `portal group add`
     */
    'main.group.created': Group;
    /**
     * A custom group was deleted with its memberships and rights.
     * @firedBy `kernel.groups.delete(id)`: the admin's Delete button
     */
    'main.group.deleted': { id: number; code: string };
    /**
     * The password was changed (payload: the user); the user's other sessions have ended. Cannot be vetoed.
     * @firedBy `kernel.users.setPassword(id, password)`: the admin's user form, the profile's password page, `portal user passwd`
     */
    'main.user.passwordChanged': User;
    /**
     * A successful local sign-in.
     * @firedBy `kernel.users.authenticate(login, password, ip)`: the sign-in form
     */
    'main.user.login': { user: User; ip: string };
  }
}

export {};
