/** Names for codes the admin screens show: security log events, option types; the component preview. */
const messages: Record<string, string> = {
  ADM_EVENT_LOGIN_SUCCESS: 'Signed in',
  ADM_EVENT_LOGIN_FAILED: 'Wrong password',
  ADM_EVENT_LOGIN_LOCKED: 'Locked after failed attempts',
  ADM_EVENT_LOGIN_BLOCKED: 'Blocked account',
  ADM_EVENT_LOGIN_THROTTLED: 'Too many attempts',
  ADM_EVENT_ACCESS_DENIED: 'Access denied',
  ADM_MILLISECONDS: '#N# ms',
  ADM_OPTION_TYPE_STRING: 'text',
  ADM_OPTION_TYPE_NUMBER: 'number',
  ADM_OPTION_TYPE_BOOLEAN: 'yes/no',
  ADM_OPTION_TYPE_JSON: 'JSON',
  ADM_COMPONENT_PARAMS: 'Parameters',
  ADM_COMPONENT_PREVIEW: 'Show',
  ADM_COMPONENT_NEEDS: 'Fill in the parameters to see the component.',
};
export default messages;
