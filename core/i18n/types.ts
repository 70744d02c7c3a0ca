/** A text in every language the portal ships. */
export type Localized = { en: string; ru: string };
/** A module's messages in one language: key → text with #PARAM# placeholders. */
export type Messages = Record<string, string>;
