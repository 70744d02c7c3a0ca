import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export const SECRETS_TABLE = 'main_secrets';

/**
 * Server-side keys (CSRF tokens of anonymous visitors, device cookies), one random
 * 256-bit value per name in the main database, so every node of a cluster signs and
 * checks alike. Made on first use; a process keeps what it read, since a key never changes.
 */
export class SecretStore {
  private readonly keys = new Map<string, Promise<Buffer>>();

  constructor(private readonly knex: Knex) {}

  static async ensureTable(knex: Knex): Promise<void> {
    if (await knex.schema.hasTable(SECRETS_TABLE)) return;
    await knex.schema
      .createTable(SECRETS_TABLE, (t) => {
        t.string('name', 50).primary();
        t.string('value', 128).notNullable();
        t.bigInteger('created_at').notNullable();
      })
      .catch(async (err: unknown) => {
        if (!(await knex.schema.hasTable(SECRETS_TABLE))) throw err;
      });
  }

  /** The key called `name`; the first node to ask makes it, the others read the same row. */
  key(name: string): Promise<Buffer> {
    let key = this.keys.get(name);
    if (!key) {
      key = this.load(name);
      this.keys.set(name, key);
      key.catch(() => this.keys.delete(name));
    }
    return key;
  }

  private async load(name: string): Promise<Buffer> {
    const value = randomBytes(32).toString('base64url');
    await this.knex(SECRETS_TABLE).insert({ name, value, created_at: Date.now() }).onConflict('name').ignore();
    const row = (await this.knex(SECRETS_TABLE).where({ name }).first('value')) as { value: string } | undefined;
    if (!row) throw new Error(`secret "${name}" could not be stored`);
    return Buffer.from(row.value, 'base64url');
  }
}
