import type { Localized } from '../../../core/modules/types.js';
import type { Principal } from '../../../core/services.js';
import { wfErrors } from '../errors.js';

/** A document as the workflow sees it: who wrote it, where it lives, and the fields conditions and mails use. */
export interface WorkflowDocument {
  type: string;
  id: string;
  title: string;
  /** The author (the "author" assignee); null when unknown. */
  authorId: number | null;
  /** The scope templates are bound to (an infoblock's code for elements), or null. */
  scope: string | null;
  /** A link to the document for tasks and mails ('' when it has no page). */
  url: string;
  /** Field values by the names conditions use (e.g. NAME, ACTIVE, PROPERTY_PRICE). */
  fields: Record<string, unknown>;
}

/**
 * How a module exposes its documents to business processes (docs/workflow.md, "Documents from any module").
 * Register one with `kernel.api('workflow').documents.register(adapter)`.
 */
export interface DocumentAdapter {
  /** `<module>.<kind>`, e.g. "infoblocks.element". */
  type: string;
  title: Localized;
  /** The module that must be installed for the adapter to answer. */
  module: string;
  load(id: string): Promise<WorkflowDocument | null>;
  /** Whether the principal may see the document (task lists, the status panel). */
  canRead(principal: Principal, id: string): Promise<boolean>;
  /** Whether the principal may start a process on it by hand. */
  canStart(principal: Principal, id: string): Promise<boolean>;
  /** Whether the document matches a filter in the infoblocks grammar. Default: the in-memory matcher on `fields`. */
  matches?(doc: WorkflowDocument, filter: Record<string, unknown>): Promise<boolean>;
  /** Writes fields on behalf of the process (setField). */
  setFields(id: string, fields: Record<string, unknown>): Promise<void>;
  /** Moves the document into a workflow status (setStatus); adapters without statuses leave it out. */
  setStatus?(id: string, status: string, byUserId: number | null): Promise<void>;
}

/** The adapters by document type (a Map: the type comes from templates and requests). */
export class DocumentRegistry {
  private readonly adapters = new Map<string, DocumentAdapter>();

  register(adapter: DocumentAdapter): void {
    this.adapters.set(adapter.type, adapter);
  }

  list(): DocumentAdapter[] {
    return [...this.adapters.values()];
  }

  has(type: string): boolean {
    return this.adapters.has(type);
  }

  get(type: string): DocumentAdapter {
    const a = this.adapters.get(type);
    if (!a) throw wfErrors.WORKFLOW_DOCUMENT_TYPE_UNKNOWN(type);
    return a;
  }

  async load(type: string, id: string): Promise<WorkflowDocument> {
    const doc = await this.get(type).load(id);
    if (!doc) throw wfErrors.WORKFLOW_DOCUMENT_NOT_FOUND(`${type}:${id}`);
    return doc;
  }
}
