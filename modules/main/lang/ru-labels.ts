/** Названия кодов, которые показывают экраны администрирования: события журнала, типы настроек; просмотр компонентов. */
const messages: Record<string, string> = {
  ADM_EVENT_LOGIN_SUCCESS: 'Успешный вход',
  ADM_EVENT_LOGIN_FAILED: 'Неверный пароль',
  ADM_EVENT_LOGIN_LOCKED: 'Блокировка после неудачных попыток',
  ADM_EVENT_LOGIN_BLOCKED: 'Заблокированная учётная запись',
  ADM_EVENT_LOGIN_THROTTLED: 'Слишком много попыток',
  ADM_EVENT_ACCESS_DENIED: 'Доступ запрещён',
  ADM_MILLISECONDS: '#N# мс',
  ADM_OPTION_TYPE_STRING: 'текст',
  ADM_OPTION_TYPE_NUMBER: 'число',
  ADM_OPTION_TYPE_BOOLEAN: 'да/нет',
  ADM_OPTION_TYPE_JSON: 'JSON',
  ADM_COMPONENT_PARAMS: 'Параметры',
  ADM_COMPONENT_PREVIEW: 'Показать',
  ADM_COMPONENT_NEEDS: 'Чтобы увидеть компонент, заполните параметры.',
};
export default messages;
