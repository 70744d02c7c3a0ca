import type { RightsService } from './rights-service.js';

/**
 * The title of an operation in a language, from the rights definition of the module that declares it
 * ("main.users.view" -> "Просмотр списка сотрудников"), or null for an unknown operation.
 */
export function operationTitle(rights: Pick<RightsService, 'registeredModules' | 'definition'>, operation: string, language: string): string | null {
  for (const id of rights.registeredModules()) {
    const ops = rights.definition(id)?.operations;
    if (ops && Object.hasOwn(ops, operation)) return language === 'ru' ? ops[operation]!.ru : ops[operation]!.en;
  }
  return null;
}
