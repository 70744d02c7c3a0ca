/** The seeded load of the workflow benches: bench users in "content_editors" and live instances waiting in a round. */
import { ADMIN, ELEMENT, memoTemplate, type WfFixture } from '../test/workflow/fixture.js';

/** ed1 and `count - 1` more members of "content_editors". */
export async function benchUsers(f: WfFixture, count: number): Promise<number[]> {
  const editors = (await f.kernel.groups.list()).find((g) => g.code === 'content_editors')!;
  const users = [f.people.ed1];
  for (let i = users.length; i < count; i++) users.push((await f.kernel.users.create({ login: `bench${i}`, email: `bench${i}@example.com`, groupIds: [editors.id] })).id);
  return users;
}

/** Writes the rows the engine would have written for `instances` instances waiting in their first approval. */
export async function seed(f: WfFixture, users: number[], elementId: number, instances: number): Promise<void> {
  const wf = f.kernel.api('workflow');
  const t = await wf.templates.save(ADMIN, memoTemplate('bench-approve', [
    { type: 'approve', id: 'first', assignees: [{ group: 'content_editors' }], onApprove: [{ type: 'sendMail', to: 'bench@example.com', subject: 'Approved {{document.title}}', body: '' }] },
  ]));
  const db = f.kernel.db('workflow');
  const now = Date.now();
  // 200 per insert: SQLite allows 500 rows in one multi-row insert, and each instance has two tasks.
  for (let start = 1; start <= instances; start += 200) {
    const ids = Array.from({ length: Math.min(200, instances - start + 1) }, (_, i) => start + i);
    await db.write('instances').insert(ids.map((id) => ({
      id, template_id: t.id, definition: JSON.stringify(t.definition), document_type: ELEMENT, document_id: String(elementId), document_title: `Seeded ${id}`,
      status: 'running', state: JSON.stringify({ vars: {}, nodes: { 'a.0': { round: id } } }), version: 1, needs_run: false, started_by: null, started_at: now - id,
    })));
    await db.write('rounds').insert(ids.map((id) => ({ id, instance_id: id, activity: 'a.0', kind: 'approve', quorum: 'any', created_at: now - id })));
    await db.write('tasks').insert(ids.flatMap((id) => [0, 1].map((k) => ({
      instance_id: id, round_id: id, kind: 'approve', title: `Approve seeded ${id}`, description: '', user_id: users[(id * 2 + k) % users.length]!, status: 'open', created_at: now - id,
    }))));
  }
}
