const messages: Record<string, string> = {
  TITLE: '__TITLE__',
  EMPTY: 'Nothing here yet.',
  ITEM_TITLE: 'Title',
  ADD: 'Add',
  ADDED: '"#TITLE#" added',
};

export default messages;
