import { defineErrors } from '../../core/errors/portal-error.js';

/** Errors of moving, splitting and merging topics. */
export const moveErrors = defineErrors({
  FORUM_MOVE_SAME_FORUM: { status: 400, message: () => 'The topic is in that forum already' },
  FORUM_MERGE_SAME_TOPIC: { status: 400, message: () => 'A topic cannot be merged into itself' },
  FORUM_SPLIT_NOTHING: { status: 400, message: () => 'Choose at least one message to split off' },
  FORUM_SPLIT_FIRST: { status: 400, message: () => 'The first message stays with its topic; choose replies to split off' },
  FORUM_SPLIT_FOREIGN: { status: 400, message: (id) => `Message ${id} is not in this topic` },
  FORUM_TOPIC_MOVED: { status: 409, message: () => 'The topic was just moved to another forum; open it again and repeat' },
});
