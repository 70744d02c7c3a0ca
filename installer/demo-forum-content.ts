/** The demo forum's texts in the default site's language (English or Russian); authors are demo employees' logins. */

export interface DemoTopic {
  author: string;
  title: string;
  body: string;
  /** Replies in order; `quote: true` quotes the message before it. */
  replies: { author: string; body: string; quote?: boolean }[];
}

interface DemoForumTexts {
  category: string;
  forum: string;
  description: string;
  topics: DemoTopic[];
}

export const DEMO_FORUM: Record<'en' | 'ru', DemoForumTexts> = {
  en: {
    category: 'Company life',
    forum: 'General discussion',
    description: 'Questions, ideas and news for everyone (demo content).',
    topics: [
      {
        author: 'anna.smirnova',
        title: 'Welcome to the forum',
        body: 'Hello everyone! This is the place for [b]questions and ideas[/b] that concern us all.\n\nA few rules:\n[list][*]be kind[*]search before you ask[*]quote a colleague with the Quote link[/list]',
        replies: [
          { author: 'ivan.petrov', body: 'Thanks, Anna! Glad we finally have one.' },
          { author: 'maria.garcia', body: 'Count me in. Anna, can we have a section for the canteen menu?', quote: true },
        ],
      },
      {
        author: 'john.doe',
        title: 'The new printer on the second floor',
        body: 'The printer near the kitchen now prints on both sides by default. The guide is [url=https://example.com/printer-guide]here[/url].',
        replies: [
          { author: 'ivan.petrov', body: 'Does it scan to e-mail too?' },
          { author: 'john.doe', body: 'Yes: choose [i]Scan → E-mail[/i] and type your login.', quote: true },
          { author: 'anna.smirnova', body: 'It works, thank you!' },
        ],
      },
      {
        author: 'maria.garcia',
        title: 'Ideas for the summer party',
        body: 'Last year we went to the lake. Where shall we go this year? Post your ideas below.',
        replies: [{ author: 'anna.smirnova', body: 'A boat trip on the river?' }],
      },
    ],
  },
  ru: {
    category: 'Жизнь компании',
    forum: 'Общие вопросы',
    description: 'Вопросы, идеи и новости для всех (демонстрационные данные).',
    topics: [
      {
        author: 'anna.smirnova',
        title: 'Добро пожаловать на форум',
        body: 'Всем привет! Здесь обсуждаем [b]вопросы и идеи[/b], которые касаются всех.\n\nНесколько правил:\n[list][*]будьте вежливы[*]прежде чем спросить, поищите[*]чтобы ответить на сообщение, нажмите «Цитировать»[/list]',
        replies: [
          { author: 'ivan.petrov', body: 'Спасибо, Анна! Давно ждали.' },
          { author: 'maria.garcia', body: 'Поддерживаю. Анна, а можно раздел про меню столовой?', quote: true },
        ],
      },
      {
        author: 'john.doe',
        title: 'Новый принтер на втором этаже',
        body: 'Принтер у кухни теперь по умолчанию печатает с двух сторон. Инструкция [url=https://example.com/printer-guide]здесь[/url].',
        replies: [
          { author: 'ivan.petrov', body: 'А сканировать в почту он умеет?' },
          { author: 'john.doe', body: 'Да: выберите [i]Сканировать → E-mail[/i] и введите свой логин.', quote: true },
          { author: 'anna.smirnova', body: 'Работает, спасибо!' },
        ],
      },
      {
        author: 'maria.garcia',
        title: 'Идеи для летнего праздника',
        body: 'В прошлом году ездили на озеро. Куда поедем в этом? Пишите идеи ниже.',
        replies: [{ author: 'anna.smirnova', body: 'Может, прогулка на теплоходе?' }],
      },
    ],
  },
};
