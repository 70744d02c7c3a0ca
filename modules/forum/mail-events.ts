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
];
