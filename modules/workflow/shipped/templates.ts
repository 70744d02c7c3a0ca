import { defineTemplate, type TemplateInput } from '../schema.js';

/** The templates the module installs (inactive until an admin binds them to an infoblock and switches them on). */
export const shippedTemplates: TemplateInput[] = [
  defineTemplate({
    code: 'approve-one-step',
    name: 'One-step approval',
    description: 'The head of the author’s department approves or rejects; the author is told either way.',
    document: { type: 'infoblocks.element', scope: null },
    active: false,
    root: {
      type: 'sequence',
      activities: [
        {
          type: 'approve', id: 'approval', title: 'Approve “{{document.title}}”', assignees: [{ departmentHead: true }], quorum: 'any',
          onApprove: [{ type: 'sendMail', to: [{ author: true }], subject: 'Approved: {{document.title}}', body: '“{{document.title}}” was approved.' }],
          onReject: [{ type: 'sendMail', to: [{ author: true }], subject: 'Rejected: {{document.title}}', body: '“{{document.title}}” was rejected.' }],
        },
      ],
    },
  }),
  defineTemplate({
    code: 'approve-two-step',
    name: 'Two-step approval',
    description: 'The department head approves, then the group "admins" (all of them); an expense needs both signatures.',
    document: { type: 'infoblocks.element', scope: null },
    active: false,
    root: {
      type: 'sequence',
      activities: [
        {
          type: 'approve', id: 'first', title: 'First signature: {{document.title}}', assignees: [{ departmentHead: true }], quorum: 'any',
          deadline: { after: '3d', escalateTo: [{ group: 'admins' }] },
          onApprove: [
            {
              type: 'approve', id: 'second', title: 'Second signature: {{document.title}}', assignees: [{ group: 'admins' }], quorum: 'all',
              onApprove: [{ type: 'sendMail', to: [{ author: true }], subject: 'Signed: {{document.title}}', body: 'Both signatures are in.' }],
              onReject: [{ type: 'sendMail', to: [{ author: true }], subject: 'Rejected: {{document.title}}', body: 'The second signature was refused.' }],
            },
          ],
          onReject: [{ type: 'sendMail', to: [{ author: true }], subject: 'Rejected: {{document.title}}', body: 'The first signature was refused.' }],
        },
      ],
    },
  }),
  defineTemplate({
    code: 'onboarding-acknowledge',
    name: 'Acknowledge the onboarding documents',
    description: 'A new employee confirms they have read the company documents; their department head is told.',
    document: { type: 'main.user', scope: null },
    autoStart: { onCreate: true, onEdit: false },
    active: false,
    root: {
      type: 'sequence',
      activities: [
        { type: 'review', id: 'ack', title: 'Read and acknowledge the company rules', description: 'Open the rules in the documents section and confirm you have read them.', assignees: [{ author: true }], quorum: 'all' },
        { type: 'sendMail', to: [{ departmentHead: true }], subject: '{{document.title}} acknowledged the company rules', body: '{{document.title}} has read and acknowledged the company rules.' },
      ],
    },
  }),
  defineTemplate({
    code: 'publish-on-approve',
    name: 'Publish on approval',
    description: 'A news item waits for an editor (group "content_editors"): approved, it is published; rejected, it goes back to draft.',
    document: { type: 'infoblocks.element', scope: null },
    autoStart: { onCreate: true, onEdit: true },
    active: false,
    root: {
      type: 'stateMachine',
      initial: 'review',
      states: {
        review: {
          title: 'Waiting for an editor',
          activities: [
            { type: 'setStatus', status: 'ready' },
            {
              type: 'approve', id: 'editor', title: 'Publish “{{document.title}}”?', assignees: [{ group: 'content_editors' }], quorum: 'any',
              onApprove: [{ type: 'setState', state: 'published' }],
              onReject: [{ type: 'setState', state: 'rejected' }],
            },
          ],
        },
        published: { title: 'Published', final: true, activities: [{ type: 'setStatus', status: 'published' }, { type: 'sendMail', to: [{ author: true }], subject: 'Published: {{document.title}}', body: '“{{document.title}}” is published: {{document.url}}' }] },
        rejected: { title: 'Sent back', final: true, activities: [{ type: 'setStatus', status: 'draft' }, { type: 'sendMail', to: [{ author: true }], subject: 'Sent back: {{document.title}}', body: '“{{document.title}}” was not published.' }] },
      },
    },
  }),
];
