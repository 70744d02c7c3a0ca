import { defineModule } from '../../core/modules/types.js';
import createCluster from './migrations/2026-12-04-01-create-cluster.js';
import { createClusterApi, type ClusterApi } from './api.js';
import { clusterCli } from './cli.js';
import { clusterAdminRoutes } from './admin/page.js';
import { adminMenu } from './admin/menu.js';
import en from './lang/en.js';
import ru from './lang/ru.js';

/** The cluster: a shared registry of DB, cache and web nodes, replicas added and switched over by `portal cluster`. */
export default defineModule<ClusterApi>({
  id: 'cluster',
  version: '0.1.0',
  title: { en: 'Cluster', ru: 'Кластер' },
  description: { en: 'MariaDB replicas, memcached and web nodes in one registry', ru: 'Реплики MariaDB, узлы memcached и веб-узлы в одном реестре' },
  dependencies: { main: '^0.1.0' },
  migrations: [createCluster],
  rights: {
    levels: {
      D: { title: { en: 'No access', ru: 'Нет доступа' }, operations: [] },
      X: { title: { en: 'Manage the cluster', ru: 'Управление кластером' }, operations: ['cluster.manage'] },
    },
    defaultLevel: 'D',
    operations: { 'cluster.manage': { en: 'Manage the cluster', ru: 'Управление кластером' } },
  },
  lang: { en, ru },
  admin: { menu: adminMenu },
  routes: (router, ctx) => clusterAdminRoutes(router, ctx),
  cli: clusterCli,
  setup: (ctx) => createClusterApi(ctx),
});
