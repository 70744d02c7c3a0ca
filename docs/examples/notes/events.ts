import type { Note, NoteInput } from './api.js';

// The module's events, added to the kernel's typed event maps.
declare module '../../../core/events/types.js' {
  interface BeforeEvents {
    'notes.note.create': NoteInput;
  }
  interface AfterEvents {
    'notes.note.created': Note;
  }
}
