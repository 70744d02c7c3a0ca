import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { NewWebNode, WebNode, WebNodeStore } from './types.js';

/**
 * A WebNodeStore in one JSON file, for the tests and benches of this folder only: the
 * portal's registry lives in the cluster module's table. Not safe for concurrent writers.
 */
export class JsonFileWebNodeStore implements WebNodeStore {
  constructor(private readonly file: string) {}

  async list(): Promise<WebNode[]> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as WebNode[]) : [];
  }

  async add(node: NewWebNode): Promise<WebNode> {
    const all = await this.list();
    const added = { id: `web-${randomBytes(3).toString('hex')}`, ...node };
    this.save([...all, added]);
    return added;
  }

  async update(id: string, patch: Partial<NewWebNode>): Promise<WebNode> {
    const all = await this.list();
    const i = all.findIndex((n) => n.id === id);
    if (i < 0) throw new Error(`no web node ${id}`);
    all[i] = { ...all[i]!, ...patch };
    this.save(all);
    return all[i]!;
  }

  async remove(id: string): Promise<void> {
    this.save((await this.list()).filter((n) => n.id !== id));
  }

  private save(all: WebNode[]): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify(all, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
