import type { Principal } from '../../core/services.js';
import type { Element, ElementInput, ElementPatch, Iblock, IblockInput, IblockPatch, Section, SectionInput } from './types.js';

/**
 * The module's typed events. Before-events may change `data` or veto; after-events run after commit.
 * docs/events.md is generated from these declarations (see core/users/events.ts for the comment format).
 */
declare module '../../core/events/types.js' {
  interface BeforeEvents {
    /**
     * Before an infoblock is created; listeners may change the input or veto.
     * @firedBy `api.iblocks.add(principal, input)`: the admin's new-infoblock form, `POST /api/v1/infoblocks`
     */
    'infoblocks.iblock.create': IblockInput;
    /**
     * Before an infoblock's settings change.
     * @firedBy `api.iblocks.update(principal, id, patch)`: the admin's infoblock form, `PATCH /api/v1/infoblocks/<ref>`
     */
    'infoblocks.iblock.update': { id: number; patch: IblockPatch };
    /**
     * Before an infoblock is deleted; a veto keeps it and everything in it.
     * @firedBy `api.iblocks.delete(principal, id)`
     */
    'infoblocks.iblock.delete': { iblock: Iblock };
    /**
     * Before a section is created.
     * @firedBy `api.sections.add(principal, iblockId, input)`: the admin's section form, `portal infoblocks import --create-sections`
     */
    'infoblocks.section.create': { iblockId: number; input: SectionInput };
    /**
     * Before a section changes (moving it is `patch.parentId`).
     * @firedBy `api.sections.update(principal, id, patch)`
     */
    'infoblocks.section.update': { id: number; iblockId: number; patch: Partial<SectionInput> };
    /**
     * Before a section and its subsections are deleted (their elements stay).
     * @firedBy `api.sections.delete(principal, id)`
     */
    'infoblocks.section.delete': { section: Section };
    /**
     * Before an element is created; in a batch once per item that matches no element (dry runs too), and a veto stops the whole batch.
     * @firedBy `api.elements.add(principal, iblockId, input)`: the admin's element form, `POST /api/v1/infoblocks/<ref>/elements`
     * @firedBy `api.elements.importBatch(principal, iblockId, items)`: `portal infoblocks import`, `POST /api/v1/infoblocks/<ref>/elements/batch`
     */
    'infoblocks.element.create': { iblockId: number; input: ElementInput; principal?: Principal };
    /**
     * Before an element changes; in a batch once per item matching an element by xml_id or code (dry runs too).
     * `principal` is the caller of `update` (batches leave it out). A listener that keeps the change elsewhere (the
     * workflow's draft copy of a published element) sets `heldBy` to its module id: the live element is not written
     * and no after-event fires.
     * @firedBy `api.elements.update(principal, id, patch)`: the admin's element form, `PATCH /api/v1/infoblocks/<ref>/elements/<id>`
     * @firedBy `api.elements.importBatch(principal, iblockId, items)`
     */
    'infoblocks.element.update': { id: number; iblockId: number; patch: ElementPatch; principal?: Principal; heldBy?: string };
    /**
     * Before an element is deleted.
     * @firedBy `api.elements.delete(principal, id)`
     */
    'infoblocks.element.delete': { element: Element };
  }
  interface AfterEvents {
    /**
     * An infoblock was created.
     * @firedBy `api.iblocks.add(principal, input)`
     */
    'infoblocks.iblock.created': Iblock;
    /**
     * An infoblock's settings changed.
     * @firedBy `api.iblocks.update(principal, id, patch)`
     */
    'infoblocks.iblock.updated': Iblock;
    /**
     * An infoblock was deleted; its sections and elements went with it without events of their own.
     * @firedBy `api.iblocks.delete(principal, id)`
     */
    'infoblocks.iblock.deleted': Iblock;
    /**
     * A section was created.
     * @firedBy `api.sections.add(principal, iblockId, input)`
     */
    'infoblocks.section.created': Section;
    /**
     * A section changed.
     * @firedBy `api.sections.update(principal, id, patch)`
     */
    'infoblocks.section.updated': Section;
    /**
     * A section and its subsections were deleted (one event, for the section asked for).
     * @firedBy `api.sections.delete(principal, id)`
     */
    'infoblocks.section.deleted': Section;
    /**
     * An element was created; after a batch's commit once per new element, in item order (a dry run fires none).
     * @firedBy `api.elements.add(principal, iblockId, input)`
     * @firedBy `api.elements.importBatch(principal, iblockId, items)`
     */
    'infoblocks.element.created': Element;
    /**
     * An element changed; after a batch's commit once per updated element (a dry run fires none).
     * @firedBy `api.elements.update(principal, id, patch)`
     * @firedBy `api.elements.importBatch(principal, iblockId, items)`
     */
    'infoblocks.element.updated': Element;
    /**
     * An element was deleted.
     * @firedBy `api.elements.delete(principal, id)`
     */
    'infoblocks.element.deleted': Element;
  }
}
export {};
