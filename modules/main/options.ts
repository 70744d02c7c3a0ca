import type { OptionDefinition } from '../../core/services.js';

export const options: Record<string, OptionDefinition> = {
  site_title: { type: 'string', default: 'Intranet', title: { en: 'Portal title', ru: 'Название портала' } },
  allow_registration: { type: 'boolean', default: false, title: { en: 'Let visitors register', ru: 'Разрешить регистрацию' } },
  directory_page_size: { type: 'number', default: 20, title: { en: 'Employees per page', ru: 'Сотрудников на странице' } },
  security_log_days: { type: 'number', default: 90, title: { en: 'Keep the security log (days)', ru: 'Хранить журнал безопасности (дней)' } },
};
