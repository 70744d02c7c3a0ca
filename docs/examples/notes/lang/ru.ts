export default { NOTES: 'Заметки', NOTE_ADDED: 'Заметка «#TITLE#» добавлена' } as Record<string, string>;
