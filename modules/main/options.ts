import type { OptionDefinition } from '../../core/services.js';

export const options: Record<string, OptionDefinition> = {
  // The header, the window title and SITE_NAME in mails (core/sites/site-title.ts); empty: the site's name.
  site_title: {
    type: 'string',
    default: '',
    title: { en: 'Portal title (header, window title and mails; empty: the site\'s name)', ru: 'Название портала (шапка, заголовок окна и письма; пусто — название сайта)' },
  },
  // Self-registration at /auth/register/ with e-mail confirmation (accounts/registration.ts).
  allow_registration: {
    type: 'boolean',
    default: false,
    title: { en: 'Let visitors register (with e-mail confirmation)', ru: 'Разрешить посетителям регистрироваться (с подтверждением по e-mail)' },
  },
  directory_page_size: { type: 'number', default: 20, min: 1, max: 200, title: { en: 'Employees per page in the directory', ru: 'Сотрудников на странице справочника' } },
  // What colleagues see of each other (directory, profile pages, widgets, REST API); user editors and admins see everything.
  colleagues_see_email: { type: 'boolean', default: false, title: { en: 'Colleagues see each other\'s e-mail addresses', ru: 'Сотрудники видят адреса e-mail коллег' } },
  colleagues_see_phone: { type: 'boolean', default: true, title: { en: 'Colleagues see each other\'s phone numbers', ru: 'Сотрудники видят телефоны коллег' } },
  colleagues_see_birthday: {
    type: 'boolean',
    default: true,
    title: { en: 'Colleagues see each other\'s birthdays (day and month, never the year)', ru: 'Сотрудники видят дни рождения коллег (день и месяц, без года)' },
  },
  security_log_days: { type: 'number', default: 90, title: { en: 'Keep the security log (days)', ru: 'Хранить журнал безопасности (дней)' } },
  backup_schedule: {
    type: 'string',
    default: '',
    title: { en: 'Backup schedule (cron in UTC, e.g. "0 3 * * *"; empty: as in portal.config.ts)', ru: 'Расписание резервных копий (cron по UTC, например «0 3 * * *»; пусто — как в portal.config.ts)' },
  },
  backup_keep: { type: 'number', default: 0, title: { en: 'Scheduled backups to keep (0: as in portal.config.ts)', ru: 'Сколько плановых копий хранить (0 — как в portal.config.ts)' } },
};
