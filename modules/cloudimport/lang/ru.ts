export default {
  CLOUDIMPORT_TITLE: 'Импорт из облака Битрикс24',
  CLOUDIMPORT_LIVE_FEED: 'Живая лента',
};
