/** Texts of the demo news in the default site's language (English or Russian). */

interface NewsText {
  name: string;
  preview: string;
  /** Starts with "<": HTML (sanitized on write); else plain text. */
  detail: string;
  source: string;
  tags: string;
}

export interface DemoNewsItem {
  code: string;
  section: string;
  importance: 'normal' | 'important';
  daysAgo: number;
  /** Days from now to the event (events only). */
  eventInDays?: number;
  /** Picture gradient, or none. */
  colors?: [[number, number, number], [number, number, number]];
  en: NewsText;
  ru: NewsText;
}

export const NEWS_TEXTS = {
  en: {
    iblock: 'News',
    description: 'Company and industry news (demo content).',
    source: 'Source',
    importance: 'Importance',
    normal: 'Normal',
    important: 'Important',
    eventDate: 'Event date',
    sections: [['company', 'Company'], ['company/events', 'Events'], ['industry', 'Industry']] as [string, string][],
    home: 'Home',
  },
  ru: {
    iblock: 'Новости',
    description: 'Новости компании и отрасли (демонстрационные данные).',
    source: 'Источник',
    importance: 'Важность',
    normal: 'Обычная',
    important: 'Важная',
    eventDate: 'Дата события',
    sections: [['company', 'Компания'], ['company/events', 'События'], ['industry', 'Отрасль']] as [string, string][],
    home: 'Главная',
  },
};

export const DEMO_NEWS: DemoNewsItem[] = [
  {
    code: 'new-office-opens',
    section: 'company',
    importance: 'important',
    daysAgo: 1,
    colors: [[37, 99, 235], [14, 165, 233]],
    en: {
      name: 'Our new office opens next month',
      preview: 'More room, more meeting rooms and a roof terrace: the move starts on the first Monday of next month.',
      detail:
        '<p>After a year of planning, our <strong>new office</strong> on Riverside Street opens next month. Every team gets its own floor area, and there are twice as many meeting rooms.</p><h3>What changes for you</h3><ul><li>Packing boxes arrive on Wednesday.</li><li>IT moves your workstation over the weekend.</li><li>New access cards are handed out at the reception.</li></ul><p>Questions? Write to <a href="mailto:office@example.com">office@example.com</a>.</p>',
      source: 'Facilities team',
      tags: 'office, move',
    },
    ru: {
      name: 'В следующем месяце открывается новый офис',
      preview: 'Больше места, больше переговорных и терраса на крыше: переезд начнётся в первый понедельник следующего месяца.',
      detail:
        '<p>После года подготовки наш <strong>новый офис</strong> на Набережной улице открывается в следующем месяце. У каждой команды будет своя зона, а переговорных станет вдвое больше.</p><h3>Что изменится для вас</h3><ul><li>Коробки для вещей привезут в среду.</li><li>ИТ-отдел перенесёт рабочие места за выходные.</li><li>Новые пропуска выдадут на ресепшене.</li></ul><p>Вопросы пишите на <a href="mailto:office@example.com">office@example.com</a>.</p>',
      source: 'Административный отдел',
      tags: 'офис, переезд',
    },
  },
  {
    code: 'quarterly-results',
    section: 'company',
    importance: 'normal',
    daysAgo: 3,
    colors: [[5, 150, 105], [16, 185, 129]],
    en: {
      name: 'Quarterly results: revenue up 12%',
      preview: 'The third quarter closed above plan thanks to new customers in the service business.',
      detail:
        '<p>Revenue grew <strong>12%</strong> compared with the same quarter last year. The service business brought most of the growth.</p><table><thead><tr><th>Area</th><th>Growth</th></tr></thead><tbody><tr><td>Services</td><td>+21%</td></tr><tr><td>Licences</td><td>+4%</td></tr></tbody></table><p>Thank you all for a strong quarter.</p>',
      source: 'Finance department',
      tags: 'results, finance',
    },
    ru: {
      name: 'Итоги квартала: выручка выросла на 12%',
      preview: 'Третий квартал закрыт выше плана благодаря новым клиентам в сервисном направлении.',
      detail:
        '<p>Выручка выросла на <strong>12%</strong> по сравнению с тем же кварталом прошлого года. Основной рост дало сервисное направление.</p><table><thead><tr><th>Направление</th><th>Рост</th></tr></thead><tbody><tr><td>Услуги</td><td>+21%</td></tr><tr><td>Лицензии</td><td>+4%</td></tr></tbody></table><p>Спасибо всем за сильный квартал.</p>',
      source: 'Финансовый отдел',
      tags: 'итоги, финансы',
    },
  },
  {
    code: 'summer-team-day',
    section: 'company/events',
    importance: 'important',
    daysAgo: 6,
    eventInDays: 24,
    colors: [[234, 88, 12], [245, 158, 11]],
    en: {
      name: 'Summer team day: sign up by Friday',
      preview: 'A day out of town with games, a barbecue and a boat trip. Families are welcome.',
      detail: 'The summer team day takes place at the lake camp. Buses leave the office at 9:00 and come back at 20:00.\n\nSign up with your team lead by Friday and tell us how many family members come along.',
      source: 'HR department',
      tags: 'event, team',
    },
    ru: {
      name: 'Летний корпоратив: запись до пятницы',
      preview: 'День за городом: игры, барбекю и прогулка на катере. Приглашаем с семьями.',
      detail: 'Летний корпоратив пройдёт на базе отдыха у озера. Автобусы отправляются от офиса в 9:00 и возвращаются в 20:00.\n\nЗапишитесь у своего руководителя до пятницы и сообщите, сколько членов семьи поедут с вами.',
      source: 'Отдел кадров',
      tags: 'мероприятие, команда',
    },
  },
  {
    code: 'new-expense-policy',
    section: 'company',
    importance: 'normal',
    daysAgo: 9,
    en: {
      name: 'New expense policy from the first of the month',
      preview: 'Travel and equipment expenses are now approved in the portal, without paper forms.',
      detail: 'From the first of the month expense claims go through the portal. Attach a photo of the receipt; your manager approves the claim and accounting pays it within five working days.\n\nPaper forms are no longer accepted after the end of the month.',
      source: 'Accounting',
      tags: 'policy, expenses',
    },
    ru: {
      name: 'Новое положение о расходах с первого числа',
      preview: 'Командировочные расходы и покупку оборудования теперь согласуют на портале, без бумажных бланков.',
      detail: 'С первого числа авансовые отчёты подаются через портал. Приложите фото чека — руководитель согласует заявку, а бухгалтерия оплатит её в течение пяти рабочих дней.\n\nБумажные бланки после конца месяца больше не принимаются.',
      source: 'Бухгалтерия',
      tags: 'положение, расходы',
    },
  },
  {
    code: 'cloud-market-review',
    section: 'industry',
    importance: 'normal',
    daysAgo: 14,
    colors: [[124, 58, 237], [192, 38, 211]],
    en: {
      name: 'Market review: how companies move to the cloud',
      preview: 'Our analysts looked at two hundred mid-sized companies and what held their cloud projects back.',
      detail:
        '<p>Two thirds of the companies we surveyed run at least one core system in the cloud. The most common obstacles were <em>data residency</em> and a shortage of specialists.</p><blockquote>Hybrid set-ups are the norm, not the exception.</blockquote><p>The full report is available from the analytics team.</p>',
      source: 'Analytics team',
      tags: 'market, cloud',
    },
    ru: {
      name: 'Обзор рынка: как компании переходят в облако',
      preview: 'Наши аналитики изучили двести средних компаний и выяснили, что тормозит их облачные проекты.',
      detail:
        '<p>Две трети опрошенных компаний держат в облаке хотя бы одну ключевую систему. Чаще всего мешают <em>требования к хранению данных</em> и нехватка специалистов.</p><blockquote>Гибридная инфраструктура — норма, а не исключение.</blockquote><p>Полный отчёт можно запросить у отдела аналитики.</p>',
      source: 'Отдел аналитики',
      tags: 'рынок, облако',
    },
  },
  {
    code: 'security-standard-update',
    section: 'industry',
    importance: 'important',
    daysAgo: 20,
    en: {
      name: 'Industry security standard updated',
      preview: 'The new version of the standard tightens password and access-review rules; we are compliant already.',
      detail: 'The industry association published a new version of its information security standard. It requires regular access reviews and multi-factor sign-in for administrators.\n\nOur portal already meets both requirements; the security team will run the first review next quarter.',
      source: 'Security team',
      tags: 'security, standards',
    },
    ru: {
      name: 'Обновлён отраслевой стандарт безопасности',
      preview: 'Новая редакция ужесточает правила для паролей и пересмотра доступов; мы уже ей соответствуем.',
      detail: 'Отраслевая ассоциация опубликовала новую редакцию стандарта информационной безопасности. Он требует регулярно пересматривать доступы и включить двухфакторный вход для администраторов.\n\nНаш портал уже отвечает обоим требованиям; первый пересмотр доступов служба безопасности проведёт в следующем квартале.',
      source: 'Служба безопасности',
      tags: 'безопасность, стандарты',
    },
  },
];
