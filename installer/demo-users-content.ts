/** The demo employees and their departments, in the default site's language (English or Russian). */

export interface DemoPerson {
  login: string;
  email: string;
  name: string;
  lastName: string;
  position: string;
  /** Name of the department (one of the language's `departments`). */
  department: string;
}

interface DemoStaff {
  group: { code: string; name: string; description: string };
  departments: string[];
  people: DemoPerson[];
}

const person = (login: string, name: string, lastName: string, position: string, department: string): DemoPerson => ({
  login,
  email: `${login}@example.com`,
  name,
  lastName,
  position,
  department,
});

export const DEMO_STAFF: Record<'en' | 'ru', DemoStaff> = {
  en: {
    group: { code: 'demo', name: 'Demo employees', description: 'Sample accounts added by `portal install --demo`' },
    departments: ['Human Resources', 'Engineering', 'Accounting', 'Sales'],
    people: [
      person('anna.smirnova', 'Anna', 'Smirnova', 'HR manager', 'Human Resources'),
      person('ivan.petrov', 'Ivan', 'Petrov', 'Lead developer', 'Engineering'),
      person('maria.garcia', 'Maria', 'Garcia', 'Chief accountant', 'Accounting'),
      person('john.doe', 'John', 'Doe', 'Sales manager', 'Sales'),
    ],
  },
  ru: {
    group: { code: 'demo', name: 'Демо-сотрудники', description: 'Примеры учётных записей демонстрационной установки' },
    departments: ['Отдел кадров', 'Разработка', 'Бухгалтерия', 'Отдел продаж'],
    people: [
      person('anna.smirnova', 'Анна', 'Смирнова', 'Менеджер по персоналу', 'Отдел кадров'),
      person('ivan.petrov', 'Иван', 'Петров', 'Ведущий разработчик', 'Разработка'),
      person('maria.garcia', 'Мария', 'Гарсия', 'Главный бухгалтер', 'Бухгалтерия'),
      person('john.doe', 'Джон', 'Доу', 'Менеджер по продажам', 'Отдел продаж'),
    ],
  },
};
