/** Which directory attribute feeds which portal field. */
export interface AttributeMap {
  /** entryUUID (OpenLDAP) or objectGUID (AD): the identity that survives renames and moves. */
  uuid: string;
  /** Attributes a user may sign in with; the first gives the portal login. */
  login: string[];
  email: string;
  name: string;
  lastName: string;
  position: string;
  phone: string;
  /** Department name (when departments come from an attribute). */
  department: string;
  /** DN of the user's manager (department heads). */
  manager: string;
  /** How "disabled in the directory" is read: AD's userAccountControl bit 2, a value, or presence. */
  disabled: string;
  disabledMode: 'none' | 'uac' | 'equals' | 'present';
  disabledValue: string;
}

export type PresetName = 'ad' | 'openldap';

export interface Preset {
  userFilter: string;
  groupFilter: string;
  memberAttribute: string;
  nested: 'none' | 'expand' | 'in-chain';
  attributes: AttributeMap;
}

/** The attribute map and filters an administrator starts from. */
export const PRESETS: Record<PresetName, Preset> = {
  ad: {
    userFilter: '(&(objectClass=user)(objectCategory=person))',
    groupFilter: '(objectClass=group)',
    memberAttribute: 'member',
    nested: 'in-chain',
    attributes: {
      uuid: 'objectGUID',
      login: ['sAMAccountName', 'userPrincipalName'],
      email: 'mail',
      name: 'givenName',
      lastName: 'sn',
      position: 'title',
      phone: 'telephoneNumber',
      department: 'department',
      manager: 'manager',
      disabled: 'userAccountControl',
      disabledMode: 'uac',
      disabledValue: '',
    },
  },
  openldap: {
    userFilter: '(objectClass=inetOrgPerson)',
    groupFilter: '(objectClass=groupOfNames)',
    memberAttribute: 'member',
    nested: 'expand',
    attributes: {
      uuid: 'entryUUID',
      login: ['uid'],
      email: 'mail',
      name: 'givenName',
      lastName: 'sn',
      position: 'title',
      phone: 'telephoneNumber',
      department: 'departmentNumber',
      manager: 'manager',
      disabled: '',
      disabledMode: 'none',
      disabledValue: '',
    },
  },
};

export function isPreset(name: unknown): name is PresetName {
  return name === 'ad' || name === 'openldap';
}

/** AD's ACCOUNTDISABLE bit of userAccountControl. */
export const UAC_ACCOUNTDISABLE = 2;
