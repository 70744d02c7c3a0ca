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
    fields: ['EMAIL_TO', 'LOGIN', 'NAME', 'SITE_NAME', 'URL'],
    templates: [
      {
        language: 'en',
        subject: '#SITE_NAME#: password changed',
        body: 'Hello #NAME#,\n\nthe password of #LOGIN# was changed.\nIf it was not you, set a new one at #URL# and tell your administrator.\n',
      },
      {
        language: 'ru',
        subject: '#SITE_NAME#: пароль изменён',
        body: 'Здравствуйте, #NAME#!\n\nПароль учётной записи #LOGIN# изменён.\nЕсли это сделали не вы, задайте новый пароль по ссылке #URL# и сообщите администратору.\n',
      },
    ],
  },
  {
    type: 'USER_PASSWORD_RESET',
    title: { en: 'Password reset link', ru: 'Ссылка для сброса пароля' },
    fields: ['EMAIL_TO', 'LOGIN', 'NAME', 'SITE_NAME', 'URL', 'EXPIRES'],
    templates: [
      {
        language: 'en',
        subject: '#SITE_NAME#: reset your password',
        body: 'Hello #NAME#,\n\nsomeone (probably you) asked to reset the password of #LOGIN# on #SITE_NAME#.\nSet a new password here: #URL#\n\nThe link works once, until #EXPIRES#. If you did not ask for it, ignore this mail: your password stays as it is.\n',
      },
      {
        language: 'ru',
        subject: '#SITE_NAME#: сброс пароля',
        body: 'Здравствуйте, #NAME#!\n\nКто-то (вероятно, вы) запросил сброс пароля учётной записи #LOGIN# на портале #SITE_NAME#.\nЗадайте новый пароль по ссылке: #URL#\n\nСсылка действует один раз, до #EXPIRES#. Если вы не запрашивали сброс, просто не обращайте внимания на это письмо: пароль останется прежним.\n',
      },
    ],
  },
  {
    type: 'USER_REGISTRATION_CONFIRM',
    title: { en: 'Confirm the registration', ru: 'Подтверждение регистрации' },
    fields: ['EMAIL_TO', 'LOGIN', 'NAME', 'SITE_NAME', 'URL', 'EXPIRES'],
    templates: [
      {
        language: 'en',
        subject: '#SITE_NAME#: confirm your e-mail address',
        body: 'Hello #NAME#,\n\nthank you for registering on #SITE_NAME# (login: #LOGIN#).\nConfirm your e-mail address to activate the account: #URL#\n\nThe link works until #EXPIRES#; an account that is not confirmed by then is deleted.\n',
      },
      {
        language: 'ru',
        subject: '#SITE_NAME#: подтвердите адрес e-mail',
        body: 'Здравствуйте, #NAME#!\n\nСпасибо за регистрацию на портале #SITE_NAME# (логин: #LOGIN#).\nЧтобы включить учётную запись, подтвердите адрес e-mail: #URL#\n\nСсылка действует до #EXPIRES#; неподтверждённая к этому времени учётная запись будет удалена.\n',
      },
    ],
  },
  {
    type: 'USER_REGISTRATION_EXISTS',
    title: { en: 'Registration with an address already in use', ru: 'Регистрация с уже занятым адресом' },
    fields: ['EMAIL_TO', 'LOGIN', 'NAME', 'SITE_NAME', 'URL', 'RESET_URL'],
    templates: [
      {
        language: 'en',
        subject: '#SITE_NAME#: you already have an account',
        body: 'Hello #NAME#,\n\nsomeone (probably you) tried to register on #SITE_NAME# with this e-mail address, which already belongs to the account #LOGIN#. No new account was made.\nSign in: #URL#\nForgot the password? #RESET_URL#\n',
      },
      {
        language: 'ru',
        subject: '#SITE_NAME#: у вас уже есть учётная запись',
        body: 'Здравствуйте, #NAME#!\n\nКто-то (вероятно, вы) пытался зарегистрироваться на портале #SITE_NAME# с этим адресом e-mail, но он уже принадлежит учётной записи #LOGIN#. Новая учётная запись не создана.\nВход: #URL#\nЗабыли пароль? #RESET_URL#\n',
      },
    ],
  },
];
