import type { MailEventDefinition } from '../../core/services.js';

export const mailEvents: MailEventDefinition[] = [
  {
    type: 'USER_INFO',
    title: { en: 'Account created', ru: 'Создана учётная запись' },
    fields: ['EMAIL_TO', 'LOGIN', 'NAME', 'SITE_NAME', 'URL'],
    templates: [
      {
        language: 'en',
        subject: '#SITE_NAME#: your account',
        body: 'Hello #NAME#,\n\nan account was created for you on #SITE_NAME#.\nLogin: #LOGIN#\nSign in at #URL#\n',
      },
      {
        language: 'ru',
        subject: '#SITE_NAME#: ваша учётная запись',
        body: 'Здравствуйте, #NAME#!\n\nДля вас создана учётная запись на портале #SITE_NAME#.\nЛогин: #LOGIN#\nВход: #URL#\n',
      },
    ],
  },
  {
    type: 'USER_PASSWORD_CHANGED',
    title: { en: 'Password changed', ru: 'Пароль изменён' },
    fields: ['EMAIL_TO', 'LOGIN', 'NAME', 'SITE_NAME'],
    templates: [
      { language: 'en', subject: '#SITE_NAME#: password changed', body: 'Hello #NAME#,\n\nthe password of #LOGIN# was changed.\n' },
      { language: 'ru', subject: '#SITE_NAME#: пароль изменён', body: 'Здравствуйте, #NAME#!\n\nПароль учётной записи #LOGIN# изменён.\n' },
    ],
  },
];
