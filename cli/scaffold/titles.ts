import { cliErrors } from '../utils/errors.js';

/** A scaffold's title in both languages, ready to go into a single-quoted TypeScript string. */
export interface ScaffoldTitles {
  en: string;
  ru: string;
}

const CYRILLIC = /[А-Яа-яЁё]/;

/**
 * The English title defaults to the words of the name ("demo_x" -> "Demo x"); the Russian
 * one to "<kind> «<English title>»" (Модуль «Demo x») until `--title-ru` names it properly.
 * A Russian title must be Russian: one without a Cyrillic letter is refused.
 */
export function scaffoldTitles(name: string, given: Partial<ScaffoldTitles>, kindRu: string): ScaffoldTitles {
  const en = checkTitle(given.en ?? words(name), '--title');
  const ru = checkTitle(given.ru ?? `${kindRu} «${en}»`, '--title-ru');
  if (!CYRILLIC.test(ru)) throw cliErrors.SCAFFOLD_INVALID(`--title-ru "${ru}" must be Russian (in Cyrillic), e.g. --title-ru "Задачи"`);
  return { en: quoteSafe(en), ru: quoteSafe(ru) };
}

function words(name: string): string {
  const text = name.split(/[._]/).filter(Boolean).join(' ');
  return text[0]!.toUpperCase() + text.slice(1);
}

function checkTitle(title: string, option: string): string {
  const clean = String(title).trim();
  if (!clean || clean.length > 100 || /[\u0000-\u001f]/.test(clean)) throw cliErrors.SCAFFOLD_INVALID(`${option} must be 1 to 100 characters on one line`);
  return clean;
}

/** Escapes for a single-quoted TypeScript string literal. */
function quoteSafe(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
