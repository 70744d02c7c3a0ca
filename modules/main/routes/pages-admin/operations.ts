import { isKnownOperation } from '../../../../core/pages/validate.js';
import type { PagesKit } from './http.js';

/** Every operation of the installed modules, for the access select. */
export function operationsOf(kit: PagesKit, lang: string): { id: string; title: string }[] {
  const { rights } = kit.kernel;
  return rights
    .registeredModules()
    .flatMap((m) => Object.entries(rights.definition(m)?.operations ?? {}).map(([id, title]) => ({ id, title: lang === 'ru' ? title.ru : title.en })))
    .filter((o) => isKnownOperation(kit.kernel, o.id));
}
