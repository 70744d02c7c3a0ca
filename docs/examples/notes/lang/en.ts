export default { NOTES: 'Notes', NOTE_ADDED: 'Note "#TITLE#" added' } as Record<string, string>;
