const messages: Record<string, string> = {
  TITLE: '__TITLE__',
  EMPTY: 'Здесь пока ничего нет.',
};

export default messages;
