import type { Element, ElementInput, ElementPatch, Iblock, IblockInput, IblockPatch, Section, SectionInput } from './types.js';

// The module's typed events. Before-events may change `data` or veto; after-events run after commit.
declare module '../../core/events/types.js' {
  interface BeforeEvents {
    'infoblocks.iblock.create': IblockInput;
    'infoblocks.iblock.update': { id: number; patch: IblockPatch };
    'infoblocks.iblock.delete': { iblock: Iblock };
    'infoblocks.section.create': { iblockId: number; input: SectionInput };
    'infoblocks.section.update': { id: number; iblockId: number; patch: Partial<SectionInput> };
    'infoblocks.section.delete': { section: Section };
    'infoblocks.element.create': { iblockId: number; input: ElementInput };
    'infoblocks.element.update': { id: number; iblockId: number; patch: ElementPatch };
    'infoblocks.element.delete': { element: Element };
  }
  interface AfterEvents {
    'infoblocks.iblock.created': Iblock;
    'infoblocks.iblock.updated': Iblock;
    'infoblocks.iblock.deleted': Iblock;
    'infoblocks.section.created': Section;
    'infoblocks.section.updated': Section;
    'infoblocks.section.deleted': Section;
    'infoblocks.element.created': Element;
    'infoblocks.element.updated': Element;
    'infoblocks.element.deleted': Element;
  }
}
export {};
