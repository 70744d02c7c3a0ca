import { createHash } from 'node:crypto';

const POINTS_PER_DIGEST = 4;
const DIGESTS_PER_NODE = 40;

/**
 * Consistent hashing in the ketama layout (160 points per node from md5 digests), so
 * adding or removing a server moves only about 1/n of the keys.
 */
export class HashRing<T> {
  private readonly points: number[] = [];
  private readonly owners: T[] = [];

  constructor(private readonly nodes: { name: string; node: T }[]) {
    if (nodes.length === 0) throw new Error('a hash ring needs at least one node');
    const all: { point: number; node: T }[] = [];
    for (const { name, node } of nodes) {
      for (let i = 0; i < DIGESTS_PER_NODE; i++) {
        const digest = createHash('md5').update(`${name}-${i}`).digest();
        for (let j = 0; j < POINTS_PER_DIGEST; j++) all.push({ point: digest.readUInt32LE(j * 4), node });
      }
    }
    all.sort((a, b) => a.point - b.point);
    for (const p of all) {
      this.points.push(p.point);
      this.owners.push(p.node);
    }
  }

  get(key: string): T {
    if (this.nodes.length === 1) return this.nodes[0]!.node;
    const h = createHash('md5').update(key).digest().readUInt32LE(0);
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === this.points.length ? 0 : lo]!;
  }
}
