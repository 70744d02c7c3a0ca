import { defineMigration } from '../../../core/modules/types.js';

/** Default ranks: the title a user earns from a number of points (en/ru). */
export const DEFAULT_RANKS: { minPoints: number; en: string; ru: string }[] = [
  { minPoints: 0, en: 'Newcomer', ru: 'Новичок' },
  { minPoints: 10, en: 'Member', ru: 'Участник' },
  { minPoints: 50, en: 'Regular', ru: 'Завсегдатай' },
  { minPoints: 200, en: 'Expert', ru: 'Знаток' },
  { minPoints: 1000, en: 'Guru', ru: 'Гуру' },
];

/**
 * Forum profiles (per user post count and points, also the row flood control locks) and ranks by minimum points;
 * an index for flood control's count of a user's recent posts.
 */
export default defineMigration({
  name: '2026-12-03-11-add-profiles',
  async up(db) {
    await db.schema.createTable(db.table('profiles'), (t) => {
      t.integer('user_id').unsigned().primary();
      t.integer('post_count').notNullable().defaultTo(0);
      t.integer('points').notNullable().defaultTo(0);
    });
    await db.schema.createTable(db.table('ranks'), (t) => {
      t.increments('id');
      t.integer('min_points').notNullable().unique();
      t.string('title_en', 100).notNullable();
      t.string('title_ru', 100).notNullable();
    });
    await db.schema.alterTable(db.table('messages'), (t) => {
      t.index(['author_id', 'created_at'], db.table('messages_author_time'));
    });
    await db.write('ranks').insert(DEFAULT_RANKS.map((r) => ({ min_points: r.minPoints, title_en: r.en, title_ru: r.ru })));
  },
  async down(db) {
    await db.schema.alterTable(db.table('messages'), (t) => {
      t.dropIndex(['author_id', 'created_at'], db.table('messages_author_time'));
    });
    for (const name of ['ranks', 'profiles']) await db.schema.dropTableIfExists(db.table(name));
  },
});
