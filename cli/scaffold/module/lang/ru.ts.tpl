const messages: Record<string, string> = {
  TITLE: '__TITLE_RU__',
  EMPTY: 'Здесь пока ничего нет.',
  ITEM_TITLE: 'Название',
  ADD: 'Добавить',
  ADDED: '«#TITLE#» добавлено',
};

export default messages;
