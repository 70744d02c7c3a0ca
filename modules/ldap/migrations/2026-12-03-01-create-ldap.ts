import { defineMigration } from '../../../core/modules/types.js';

/**
 * Directory servers, group mappings, the link of each directory entry (by its UUID) to a
 * portal user, the sync log, and the staging tables a sync reads the directory into
 * before it changes anyone.
 */
export default defineMigration({
  name: '2026-12-03-01-create-ldap',
  async up(db) {
    await db.schema.createTable(db.table('servers'), (t) => {
      t.increments('id');
      t.string('code', 50).notNullable().unique();
      t.string('name', 255).notNullable();
      t.boolean('active').notNullable().defaultTo(true);
      t.integer('sort').notNullable().defaultTo(100);
      t.string('url', 500).notNullable();
      t.boolean('start_tls').notNullable().defaultTo(false);
      t.text('ca_cert').notNullable();
      t.string('bind_dn', 1000).notNullable();
      // AES-256-GCM under a key in main_secrets; never shown back or logged.
      t.text('bind_password_enc').nullable();
      t.string('base_dn', 1000).notNullable();
      t.string('user_filter', 2000).notNullable();
      t.string('group_base_dn', 1000).notNullable();
      t.string('group_filter', 2000).notNullable();
      t.string('member_attribute', 100).notNullable();
      t.string('preset', 20).notNullable();
      t.text('attribute_map').notNullable();
      t.string('nested', 20).notNullable();
      t.integer('nested_depth').notNullable();
      t.integer('page_size').notNullable();
      t.integer('timeout_ms').notNullable();
      t.boolean('create_on_login').notNullable();
      t.string('outage_policy', 20).notNullable();
      t.integer('outage_days').notNullable();
      t.string('departments', 20).notNullable();
      t.integer('sync_minutes').notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
    });
    await db.schema.createTable(db.table('group_maps'), (t) => {
      t.increments('id');
      t.integer('server_id').notNullable().index();
      t.string('ldap_group', 1000).notNullable();
      t.integer('group_id').nullable();
      t.boolean('ban').notNullable().defaultTo(false);
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.createTable(db.table('links'), (t) => {
      t.increments('id');
      t.integer('server_id').notNullable();
      t.string('uuid', 32).notNullable();
      t.integer('user_id').notNullable().unique();
      t.string('dn', 1000).notNullable();
      t.string('data_hash', 64).notNullable().defaultTo('');
      t.integer('missing_runs').notNullable().defaultTo(0);
      // Who disabled the user: 'directory' (disabled there), 'missing' (gone two runs), 'ban'; null: not the sync.
      t.string('disabled_by', 16).nullable();
      // For the outage policy: an argon2id hash of the last password the directory accepted, and when.
      t.string('offline_hash', 255).nullable();
      t.bigInteger('offline_at').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.unique(['server_id', 'uuid']);
    });
    await db.schema.createTable(db.table('runs'), (t) => {
      t.increments('id');
      t.integer('server_id').notNullable().index();
      t.string('trigger', 20).notNullable();
      t.boolean('dry_run').notNullable().defaultTo(false);
      t.string('status', 20).notNullable();
      t.integer('created').notNullable().defaultTo(0);
      t.integer('updated').notNullable().defaultTo(0);
      t.integer('disabled').notNullable().defaultTo(0);
      t.integer('unchanged').notNullable().defaultTo(0);
      t.integer('errors').notNullable().defaultTo(0);
      t.text('message').nullable();
      t.bigInteger('started_at').notNullable();
      t.bigInteger('finished_at').nullable();
    });
    await db.schema.createTable(db.table('staged_users'), (t) => {
      t.integer('run_id').notNullable();
      t.integer('seq').notNullable();
      t.string('uuid', 32).notNullable();
      t.text('data').notNullable();
      t.primary(['run_id', 'seq']);
    });
    await db.schema.createTable(db.table('staged_members'), (t) => {
      t.integer('run_id').notNullable();
      // sha1 of the lower-cased member DN: DNs are too long for an index on MariaDB.
      t.string('member_hash', 40).notNullable();
      t.integer('group_no').notNullable();
      t.index(['run_id', 'member_hash']);
    });
  },
  async down(db) {
    for (const name of ['staged_members', 'staged_users', 'runs', 'links', 'group_maps', 'servers']) await db.schema.dropTableIfExists(db.table(name));
  },
});
