import { defineErrors } from '../../core/errors/portal-error.js';

/** Every refusal of `portal cluster`: one readable line, and the cluster left as it was. */
export const clusterErrors = defineErrors({
  CLUSTER_NEEDS_MARIADB: { status: 409, message: (what) => `${what} needs the portal on MariaDB with a binlog (log_bin, server_id); this portal runs on SQLite or without one` },
  CLUSTER_BAD_INPUT: { status: 400, message: (m) => m },
  CLUSTER_NODE_NOT_FOUND: { status: 404, message: (id) => `No cluster node ${id}` },
  CLUSTER_NODE_EXISTS: { status: 409, message: (m) => `Already in the cluster: ${m}` },
  CLUSTER_UNREACHABLE: { status: 502, message: (m) => `Cannot reach ${m}` },
  CLUSTER_ACCESS_DENIED: { status: 401, message: (m) => `Access denied by ${m}: wrong user or password` },
  CLUSTER_NOT_MARIADB: { status: 409, message: (m) => `${m} is not a MariaDB server` },
  CLUSTER_NOT_EMPTY: { status: 409, message: (m) => `Not an empty server: ${m}` },
  CLUSTER_ALREADY_REPLICA: { status: 409, message: (m) => `Already a replica: ${m}` },
  CLUSTER_PORT_IN_USE: { status: 409, message: (port) => `Port ${port} on this machine is in use already` },
  CLUSTER_SEED_FAILED: { status: 500, message: (m) => `Seeding the new replica failed: ${m}` },
  CLUSTER_CATCH_UP_TIMEOUT: { status: 504, message: (m) => `The replica did not catch up: ${m}` },
  CLUSTER_CHECKSUM_MISMATCH: { status: 500, message: (m) => `The replica's tables differ from the primary's: ${m}` },
  CLUSTER_REPLICATION_ERROR: { status: 500, message: (m) => `Replication stopped: ${m}` },
  CLUSTER_REMOVE_REFUSED: { status: 409, message: (m) => m },
  CLUSTER_SWITCHOVER_REFUSED: { status: 409, message: (m) => m },
});
