import type { MailEventDefinition } from '../../core/services.js';

export const mailEvents: MailEventDefinition[] = [
  {
    type: 'FORUM_MENTION',
    title: { en: 'Forum: you were mentioned', ru: 'Форум: вас упомянули' },
    fields: ['EMAIL_TO', 'NAME', 'AUTHOR', 'TOPIC', 'URL', 'SITE_NAME'],
    templates: [
      {
        language: 'en',
        subject: '#SITE_NAME#: #AUTHOR# mentioned you in "#TOPIC#"',
        body: 'Hello #NAME#,\n\n#AUTHOR# mentioned you in the forum topic "#TOPIC#".\nRead it at #URL#\n',
      },
      {
        language: 'ru',
        subject: '#SITE_NAME#: #AUTHOR# упомянул(а) вас в теме «#TOPIC#»',
        body: 'Здравствуйте, #NAME#!\n\n#AUTHOR# упомянул(а) вас в теме форума «#TOPIC#».\nОткройте её: #URL#\n',
      },
    ],
  },
  {
    type: 'FORUM_NEW_POSTS',
    title: { en: 'Forum: new posts in a subscription', ru: 'Форум: новые сообщения в подписке' },
    fields: ['EMAIL_TO', 'NAME', 'TOPIC', 'COUNT', 'AUTHOR', 'URL', 'SITE_NAME'],
    templates: [
      {
        language: 'en',
        subject: '#SITE_NAME#: new posts in "#TOPIC#"',
        body: 'Hello #NAME#,\n\n#COUNT# new message(s) in the forum topic "#TOPIC#", the first by #AUTHOR#.\nRead them at #URL#\n',
      },
      {
        language: 'ru',
        subject: '#SITE_NAME#: новые сообщения в теме «#TOPIC#»',
        body: 'Здравствуйте, #NAME#!\n\nНовых сообщений в теме форума «#TOPIC#»: #COUNT#, первое написал(а) #AUTHOR#.\nПрочитать: #URL#\n',
      },
    ],
  },
  {
    type: 'FORUM_DIGEST',
    title: { en: 'Forum: daily digest of subscriptions', ru: 'Форум: ежедневная сводка по подпискам' },
    fields: ['EMAIL_TO', 'NAME', 'DATE', 'COUNT', 'LIST', 'SITE_NAME'],
    templates: [
      {
        language: 'en',
        subject: '#SITE_NAME#: forum digest for #DATE#',
        body: 'Hello #NAME#,\n\nNew in your forum subscriptions on #DATE# (#COUNT# topic(s)):\n\n#LIST#\n',
      },
      {
        language: 'ru',
        subject: '#SITE_NAME#: сводка форума за #DATE#',
        body: 'Здравствуйте, #NAME#!\n\nНовое в ваших подписках на форуме за #DATE# (тем: #COUNT#):\n\n#LIST#\n',
      },
    ],
  },
];
