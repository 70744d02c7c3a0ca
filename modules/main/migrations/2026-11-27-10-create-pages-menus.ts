import { defineMigration } from '../../../core/modules/types.js';

/** Default menu items for every site ('*'); admins edit them or give a site its own set. */
const DEFAULT_MENU: { menu: string; label_en: string; label_ru: string; href: string; sort: number; operation: string | null }[] = [
  { menu: 'top', label_en: 'Home', label_ru: 'Главная', href: '/', sort: 10, operation: 'main.portal.view' },
  { menu: 'top', label_en: 'Company', label_ru: 'Компания', href: '/company/', sort: 20, operation: 'main.users.view' },
  { menu: 'top', label_en: 'My profile', label_ru: 'Мой профиль', href: '/profile/', sort: 30, operation: 'main.portal.view' },
  { menu: 'top', label_en: 'Administration', label_ru: 'Администрирование', href: '/admin/', sort: 90, operation: 'main.admin.view' },
  { menu: 'left', label_en: 'Home', label_ru: 'Главная', href: '/', sort: 10, operation: 'main.portal.view' },
  { menu: 'left', label_en: 'Employee directory', label_ru: 'Сотрудники', href: '/company/', sort: 20, operation: 'main.users.view' },
  { menu: 'left', label_en: 'My profile', label_ru: 'Мой профиль', href: '/profile/', sort: 30, operation: 'main.portal.view' },
];

/** Pages built in the admin area, editable menus, and site template selection rules. */
export default defineMigration({
  name: '2026-11-27-10-create-pages-menus',
  async up(db) {
    await db.schema.createTable(db.table('pages'), (t) => {
      t.increments('id');
      t.string('site_id', 32).notNullable();
      t.string('path', 255).notNullable();
      t.string('title', 255).notNullable();
      t.string('template', 64).nullable(); // site template override
      t.string('access', 100).nullable(); // operation needed to open the page
      t.text('placements').notNullable(); // JSON: [{ id, component, template, params, area }]
      t.text('draft').nullable(); // JSON of { title, template, access, placements } not yet published
      t.boolean('active').notNullable().defaultTo(false);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.unique(['site_id', 'path']);
    });
    await db.schema.createTable(db.table('menu_items'), (t) => {
      t.increments('id');
      t.string('site_id', 32).notNullable(); // '*' = default for sites without their own items
      t.string('menu', 16).notNullable(); // top | left
      t.integer('parent_id').nullable();
      t.string('label_en', 255).notNullable();
      t.string('label_ru', 255).notNullable();
      t.string('href', 255).notNullable();
      t.integer('sort').notNullable().defaultTo(100);
      t.string('operation', 100).nullable(); // hidden from users without it
      t.boolean('active').notNullable().defaultTo(true);
      t.bigInteger('created_at').notNullable();
      t.index(['site_id', 'menu']);
    });
    await db.schema.createTable(db.table('template_rules'), (t) => {
      t.increments('id');
      t.string('site_id', 32).notNullable(); // '*' = every site
      t.string('kind', 16).notNullable(); // path_prefix | language
      t.string('value', 255).notNullable();
      t.string('template', 64).notNullable();
      t.integer('sort').notNullable().defaultTo(100);
      t.boolean('active').notNullable().defaultTo(true);
      t.bigInteger('created_at').notNullable();
    });
    const now = Date.now();
    await db.write('menu_items').insert(DEFAULT_MENU.map((i) => ({ ...i, site_id: '*', parent_id: null, active: true, created_at: now })));
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('template_rules'));
    await db.schema.dropTableIfExists(db.table('menu_items'));
    await db.schema.dropTableIfExists(db.table('pages'));
  },
});
