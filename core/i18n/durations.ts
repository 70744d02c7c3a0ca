/** Word forms per plural category (Intl.PluralRules), in the case used after "in"/"через". */
const UNITS: Record<'en' | 'ru', Record<'second' | 'minute' | 'hour', Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }>> = {
  en: {
    second: { one: 'second', other: 'seconds' },
    minute: { one: 'minute', other: 'minutes' },
    hour: { one: 'hour', other: 'hours' },
  },
  ru: {
    second: { one: 'секунду', few: 'секунды', many: 'секунд', other: 'секунды' },
    minute: { one: 'минуту', few: 'минуты', many: 'минут', other: 'минуты' },
    hour: { one: 'час', few: 'часа', many: 'часов', other: 'часа' },
  },
};

/**
 * A wait in words, rounded up to its largest unit: "45 seconds", "15 minutes", "2 hours";
 * in Russian in the form that follows "через": "1 минуту", "3 минуты", "15 минут".
 */
export function waitInWords(seconds: number, language: string): string {
  const lang = language === 'ru' ? 'ru' : 'en';
  const s = Math.max(1, Math.ceil(seconds));
  const [n, unit] = s < 60 ? [s, 'second' as const] : s < 3600 ? [Math.ceil(s / 60), 'minute' as const] : [Math.ceil(s / 3600), 'hour' as const];
  const forms = UNITS[lang][unit];
  return `${n} ${forms[new Intl.PluralRules(lang).select(n)] ?? forms.other}`;
}
