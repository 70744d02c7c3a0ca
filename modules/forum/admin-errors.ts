import { defineErrors } from '../../core/errors/portal-error.js';

/** Errors of the forum's admin calls (categories, deleting forums, the permissions matrix, moderation, bad words). */
export const adminErrors = defineErrors({
  FORUM_NAME_TOO_LONG: { status: 400, message: (max) => `A name may have at most ${max} characters` },
  FORUM_BAD_SORT: { status: 400, message: (v) => `The sort "${v}" is not a whole number from 0 to 1000000` },
  FORUM_SITE_NOT_FOUND: { status: 400, message: (id) => `Site "${id}" does not exist` },
  FORUM_CATEGORY_OTHER_SITE: { status: 400, message: () => 'The category belongs to another site than the forum' },
  FORUM_CATEGORY_IN_USE: { status: 409, message: (n) => `The category still holds ${n} forum(s): move or delete them first` },
  FORUM_HAS_TOPICS: { status: 409, message: (n) => `The forum has ${n} topic(s): confirm that they are deleted with it` },
  FORUM_NOTHING_SELECTED: { status: 400, message: () => 'Select at least one message' },
  FORUM_TOO_MANY_SELECTED: { status: 400, message: (max) => `Select at most ${max} messages at a time` },
  FORUM_NOT_PENDING: { status: 409, message: (id) => `Message ${id} is not waiting for a moderator any more` },
  FORUM_BAD_WORD_INVALID: { status: 400, message: (w) => `"${w}" is not a usable word: a word or pattern needs two letters or digits besides *` },
  FORUM_BAD_WORDS_TOO_MANY: { status: 400, message: (max) => `The list may hold at most ${max} words` },
});
