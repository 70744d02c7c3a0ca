import type { User, UserInput } from '../../../../core/services.js';
import { LOGIN_PATTERN, validateEmail } from '../../../../core/users/user-validation.js';
import { cloudErrors } from '../../errors.js';
import { bool, day, refs, text } from '../../read/values.js';
import type { Handler, Ready, RunContext } from '../handler.js';
import { idOf } from './common.js';

interface Person {
  login: string;
  email: string;
  name: string;
  lastName: string;
  active: boolean;
  extranet: boolean;
  position: string;
  phone: string;
  birthday: string | null;
  department: string | null;
}

export const EXTRANET_GROUP = 'extranet';

/** The login a cloud user gets: the e-mail when it makes a valid login, else b24_<cloud id>. */
export function loginOf(email: string, id: string): string {
  return email.length <= 50 && LOGIN_PATTERN.test(email) ? email.toLowerCase() : `b24_${id}`;
}

/** The group "extranet" (made on first need when `create`), or null. */
async function extranetGroupId(run: RunContext, create: boolean): Promise<number | null> {
  const existing = (await run.kernel.groups.list()).find((g) => g.code === EXTRANET_GROUP);
  if (existing || !create) return existing?.id ?? null;
  return run.memo('group:extranet', async () => (await run.kernel.groups.create({ code: EXTRANET_GROUP, name: 'Extranet', description: 'Extranet users imported from Bitrix24' })).id);
}

/** The box user a cloud user became before a kill cut the mapping off: same login or e-mail, mapped to nobody. */
async function orphanOf(run: RunContext, p: Person): Promise<User | null> {
  for (const u of [await run.kernel.users.findByLogin(p.login), await run.kernel.users.findByEmail(p.email)]) {
    if (u && !(await run.map.isMapped('users', String(u.id)))) return u;
  }
  return null;
}

/**
 * Users: blocked where the cloud says inactive, extranet users in the group "extranet" and not employees. Nobody
 * gets a password from the dump (it has none): they set one through "Forgot password" or sign in through LDAP.
 * An existing box user with the same login or e-mail is taken over (the box's administrator is often in the cloud too).
 */
export const users: Handler<Person> = {
  entity: 'users',
  prepare(row, run) {
    const id = idOf(row, 'users');
    const rawEmail = text(row.EMAIL) ?? '';
    let email: string;
    try {
      email = validateEmail(rawEmail.toLowerCase());
    } catch {
      throw cloudErrors.CLOUD_BAD_ROW(`EMAIL: "${rawEmail}" is not an e-mail address; the box needs one per user`);
    }
    const birthday = day(row.PERSONAL_BIRTHDAY);
    if (birthday === undefined) throw cloudErrors.CLOUD_BAD_ROW(`PERSONAL_BIRTHDAY: "${String(row.PERSONAL_BIRTHDAY)}" is not a date`);
    void run;
    const department = refs(row.UF_DEPARTMENT)[0] ?? null;
    const data: Person = {
      login: loginOf(email, id),
      email,
      name: (text(row.NAME) ?? '').slice(0, 100),
      lastName: (text(row.LAST_NAME) ?? '').slice(0, 100),
      active: bool(row.ACTIVE, true),
      extranet: text(row.USER_TYPE) === 'extranet' || bool(row.IS_EXTRANET),
      position: (text(row.WORK_POSITION) ?? '').slice(0, 255),
      phone: (text(row.PERSONAL_MOBILE) ?? text(row.WORK_PHONE) ?? text(row.PHONE) ?? '').slice(0, 50),
      birthday,
      department,
    };
    return { id, data, refs: department ? [{ entity: 'departments', id: department }] : [] };
  },
  async write(items, run) {
    const out = [];
    for (const it of items) out.push({ boxId: String(await writeOne(it, run)) });
    return out;
  },
};

async function writeOne(it: Ready<Person>, run: RunContext): Promise<number> {
  const p = it.data;
  const patch = {
    email: p.email,
    name: p.name,
    lastName: p.lastName,
    active: p.active,
    position: p.position,
    phone: p.phone,
    birthday: p.birthday,
    employee: !p.extranet,
    departmentId: p.department ? Number(it.box('departments', p.department) ?? 0) || null : null,
  };
  const existing = it.current ? await run.kernel.users.find(Number(it.current.boxId)) : await orphanOf(run, p);
  let userId: number;
  if (existing) {
    userId = (await run.kernel.users.update(existing.id, patch)).id;
  } else {
    const input: UserInput = { login: p.login, ...patch };
    userId = (await run.kernel.users.create(input)).id;
  }
  const extranet = await extranetGroupId(run, p.extranet);
  if (extranet && p.extranet) await run.kernel.groups.addUser(extranet, userId);
  else if (extranet && existing) await run.kernel.groups.removeUser(extranet, userId);
  return userId;
}
