import { defineMigration } from '../../../core/modules/types.js';

export default defineMigration({
  name: '2026-11-26-07-create-mail',
  async up(db) {
    await db.schema.createTable(db.table('mail_event_types'), (t) => {
      t.string('type', 100).primary();
      t.string('module', 64).notNullable().index();
      t.string('title_en', 255).notNullable();
      t.string('title_ru', 255).notNullable();
      t.text('fields').notNullable(); // JSON array of #FIELD# names
    });
    await db.schema.createTable(db.table('mail_templates'), (t) => {
      t.increments('id');
      t.string('event_type', 100).notNullable().index();
      t.string('site_id', 32).notNullable().defaultTo(''); // '' = every site
      t.string('language', 8).notNullable();
      t.boolean('active').notNullable().defaultTo(true);
      t.string('email_from', 255).notNullable().defaultTo('#DEFAULT_EMAIL_FROM#');
      t.string('email_to', 255).notNullable().defaultTo('#EMAIL_TO#');
      t.string('subject', 255).notNullable();
      t.text('body').notNullable();
      t.string('body_type', 8).notNullable().defaultTo('text');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
    });
    await db.schema.createTable(db.table('mail_queue'), (t) => {
      t.increments('id');
      t.string('event_type', 100).notNullable();
      t.integer('template_id').nullable();
      t.string('site_id', 32).notNullable();
      t.string('language', 8).notNullable();
      t.string('email_from', 255).notNullable();
      t.text('email_to').notNullable();
      t.string('subject', 998).notNullable();
      t.text('body').notNullable();
      t.string('body_type', 8).notNullable();
      t.string('status', 16).notNullable(); // pending | sending | sent | failed
      t.integer('attempts').notNullable().defaultTo(0);
      t.bigInteger('next_attempt_at').notNullable();
      t.text('last_error').nullable();
      t.string('lease_owner', 190).nullable();
      t.bigInteger('lease_until').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('sent_at').nullable();
      t.index(['status', 'next_attempt_at']);
    });
  },
  async down(db) {
    for (const name of ['mail_queue', 'mail_templates', 'mail_event_types']) await db.schema.dropTableIfExists(db.table(name));
  },
});
