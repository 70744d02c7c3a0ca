export default {
  CLOUDIMPORT_TITLE: 'Import from Bitrix24 cloud',
  CLOUDIMPORT_LIVE_FEED: 'Live feed',
};
