export default {
  NOTES: 'Notes',
  NO_NOTES: 'No notes yet.',
  NOTE_TITLE: 'Title',
  NOTE_BODY: 'Text',
  ADD_NOTE: 'Add note',
  NOTE_ADDED: 'Note "#TITLE#" added',
} as Record<string, string>;
