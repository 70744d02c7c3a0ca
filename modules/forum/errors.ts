import { defineErrors } from '../../core/errors/portal-error.js';

export const forumErrors = defineErrors({
  FORUM_NOT_FOUND: { status: 404, message: (id) => `Forum ${id} does not exist` },
  FORUM_CATEGORY_NOT_FOUND: { status: 404, message: (id) => `Forum category ${id} does not exist` },
  FORUM_TOPIC_NOT_FOUND: { status: 404, message: (id) => `Topic ${id} does not exist` },
  FORUM_MESSAGE_NOT_FOUND: { status: 404, message: (id) => `Message ${id} does not exist` },
  FORUM_NAME_REQUIRED: { status: 400, message: () => 'A forum needs a name' },
  FORUM_TITLE_REQUIRED: { status: 400, message: () => 'A topic needs a title' },
  FORUM_TITLE_TOO_LONG: { status: 400, message: (max) => `A topic title may have at most ${max} characters` },
  FORUM_BODY_REQUIRED: { status: 400, message: () => 'A message needs a text' },
  FORUM_BODY_TOO_LONG: { status: 400, message: (max) => `A message may have at most ${max} characters` },
  FORUM_TOPIC_CLOSED: { status: 409, message: () => 'The topic is closed: no more replies' },
  FORUM_BAD_LEVEL: { status: 400, message: (v) => `"${v}" is not a forum permission (A, E, I, M, Q, U or Y)` },
  FORUM_GROUP_NOT_FOUND: { status: 404, message: (id) => `Group ${id} does not exist` },
});
