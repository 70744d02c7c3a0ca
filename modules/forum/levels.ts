/**
 * Bitrix forum permission letters, from least to most:
 * A deny, E read, I reply, M new topic, Q moderate, U edit (others' posts), Y full access.
 */
export const FORUM_LEVELS = ['A', 'E', 'I', 'M', 'Q', 'U', 'Y'] as const;
export type ForumLevel = (typeof FORUM_LEVELS)[number];

export const LEVEL = {
  deny: 'A',
  read: 'E',
  reply: 'I',
  newTopic: 'M',
  moderate: 'Q',
  edit: 'U',
  full: 'Y',
} as const satisfies Record<string, ForumLevel>;

export const rank = (level: ForumLevel): number => FORUM_LEVELS.indexOf(level);
export const atLeast = (level: ForumLevel, min: ForumLevel): boolean => rank(level) >= rank(min);

export function isForumLevel(v: unknown): v is ForumLevel {
  return typeof v === 'string' && (FORUM_LEVELS as readonly string[]).includes(v);
}
