import { defineMigration } from '../../../core/modules/types.js';

export default defineMigration({
  name: '2026-11-26-02-create-users-groups',
  async up(db) {
    await db.schema.createTable(db.table('users'), (t) => {
      t.increments('id');
      t.string('login', 50).notNullable().unique();
      t.string('email', 255).notNullable().index();
      t.string('password_hash', 255).nullable();
      t.string('name', 100).notNullable().defaultTo('');
      t.string('last_name', 100).notNullable().defaultTo('');
      t.boolean('active').notNullable().defaultTo(true);
      t.string('external_auth_id', 50).nullable().index();
      t.string('language', 8).nullable();
      t.integer('photo_file_id').nullable();
      t.integer('failed_logins').notNullable().defaultTo(0);
      t.bigInteger('locked_until').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.bigInteger('last_login_at').nullable();
      t.bigInteger('password_changed_at').nullable();
    });
    await db.schema.createTable(db.table('groups'), (t) => {
      t.increments('id');
      t.string('code', 50).notNullable().unique();
      t.string('name', 255).notNullable();
      t.text('description').nullable();
      t.boolean('system').notNullable().defaultTo(false);
      t.integer('sort').notNullable().defaultTo(100);
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.createTable(db.table('user_groups'), (t) => {
      t.integer('user_id').unsigned().notNullable().references('id').inTable(db.table('users')).onDelete('CASCADE');
      t.integer('group_id').unsigned().notNullable().references('id').inTable(db.table('groups')).onDelete('CASCADE');
      t.primary(['user_id', 'group_id']);
      t.index(['group_id']);
    });
    await db.schema.createTable(db.table('login_attempts'), (t) => {
      t.increments('id');
      t.string('login', 50).notNullable();
      t.string('ip', 64).notNullable();
      t.boolean('success').notNullable();
      t.bigInteger('created_at').notNullable();
      t.index(['login', 'created_at']);
      t.index(['ip', 'created_at']);
    });
    await db.schema.createTable(db.table('api_tokens'), (t) => {
      t.increments('id');
      t.integer('user_id').unsigned().notNullable().references('id').inTable(db.table('users')).onDelete('CASCADE');
      t.string('name', 100).notNullable();
      t.string('token_hash', 64).notNullable().unique();
      t.string('prefix', 16).notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('last_used_at').nullable();
      t.bigInteger('expires_at').nullable();
      t.boolean('revoked').notNullable().defaultTo(false);
    });
  },
  async down(db) {
    for (const name of ['api_tokens', 'login_attempts', 'user_groups', 'groups', 'users']) {
      await db.schema.dropTableIfExists(db.table(name));
    }
  },
});
