import path from 'node:path';
import mainModule from '../../modules/main/module.js';
import boardModule from '../../docs/examples/board/module.js';
import boardMain from '../../docs/examples/board/components/board.main/component.js';
import boardSections from '../../docs/examples/board/components/board.sections/component.js';
import boardTopics from '../../docs/examples/board/components/board.topics/component.js';
import boardTopic from '../../docs/examples/board/components/board.topic/component.js';
import { projectRoot } from '../../core/config/paths.js';
import type { PortalState } from '../../core/http/state.js';
import type { User } from '../../core/services.js';
import type { DbKind } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';

export const PASSWORD = 'correct horse 42';

/** The docs example: forum components and the example site templates. */
export const exampleRoots = {
  templates: path.join(projectRoot, 'docs/examples/templates'),
  components: path.join(projectRoot, 'docs/examples/board/components'),
};

export interface PagesFixture extends TestKernel {
  admin: User;
  user: User;
  sections: { general: number; ideas: number };
  topics: { hello: number; plans: number };
  /** Request state as the HTTP middleware builds it, for calling the renderer directly. */
  stateFor(user: User | null, template?: string): Promise<PortalState>;
}

/**
 * A kernel with the main module and the docs' forum example installed, the example site
 * templates as roots (site s1 uses "portal"), an admin and a user, and some forum data.
 */
export async function bootPages(kind: DbKind): Promise<PagesFixture> {
  const t = await bootTestKernel(kind, {
    definitions: [mainModule, boardModule],
    components: [boardMain, boardSections, boardTopics, boardTopic],
    templateRoots: exampleRoots,
  });
  const { kernel } = t;
  await kernel.modules.install('board');
  await kernel.sites.update('s1', { template: 'portal' });
  const admins = await kernel.groups.byCode('administrators');
  const admin = await kernel.users.create({ login: 'boss', email: 'boss@example.com', password: PASSWORD, groupIds: [admins.id], name: 'Big', lastName: 'Boss' });
  const user = await kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD, name: 'Ivan' });
  const board = kernel.api('board');
  const general = await board.addSection('General');
  const ideas = await board.addSection('Ideas & plans');
  const hello = await board.addTopic(general, 'Hello <world>', 'First paragraph.\n\nSecond paragraph.');
  const plans = await board.addTopic(ideas, 'Plans for 2027', 'Grow.');
  return {
    ...t,
    admin,
    user,
    sections: { general, ideas },
    topics: { hello, plans },
    async stateFor(u, template) {
      const site = await kernel.sites.resolve('localhost');
      return {
        requestId: 'test',
        site,
        language: 'en',
        session: null,
        user: u,
        principal: await kernel.users.principalOf(u),
        auth: u ? 'session' : 'anonymous',
        csrfToken: '',
        ...(template ? { template } : {}),
      };
    },
  };
}
