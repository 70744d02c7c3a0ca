const messages: Record<string, string> = {
  TITLE: '__TITLE__',
  EMPTY: 'Nothing here yet.',
};

export default messages;
