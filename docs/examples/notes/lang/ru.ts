export default {
  NOTES: 'Заметки',
  NO_NOTES: 'Заметок пока нет.',
  NOTE_TITLE: 'Заголовок',
  NOTE_BODY: 'Текст',
  ADD_NOTE: 'Добавить заметку',
  NOTE_ADDED: 'Заметка «#TITLE#» добавлена',
} as Record<string, string>;
