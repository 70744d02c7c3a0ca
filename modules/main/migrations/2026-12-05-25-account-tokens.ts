import { defineMigration } from '../../../core/modules/types.js';

/**
 * One-time links mailed to users (core/users/account-tokens.ts): password reset and the
 * confirmation of a self-registered account. Only the SHA-256 of a token is stored.
 */
export default defineMigration({
  name: '2026-12-05-25-account-tokens',
  async up(db) {
    await db.schema.createTable(db.table('account_tokens'), (t) => {
      t.increments('id');
      t.integer('user_id').unsigned().notNullable().references('id').inTable(db.table('users')).onDelete('CASCADE');
      t.string('purpose', 32).notNullable();
      t.string('token_hash', 64).notNullable().unique('main_account_tokens_hash_uq');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('expires_at').notNullable();
      t.index(['user_id', 'purpose'], 'main_account_tokens_user_idx');
      t.index(['purpose', 'expires_at'], 'main_account_tokens_expiry_idx');
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('account_tokens'));
  },
});
