import type { ResolvedModel, ResolvedPool, ResolvedServer } from '../resolve/index.js';

/** Hours in an average month, for monthly cost. */
export const HOURS_PER_MONTH = 730;

/**
 * Share of one node a replica occupies: its GPUs over the node's GPUs on GPU
 * pools, else the larger of its CPU and memory shares.
 */
export function nodeShare(pool: ResolvedPool, server: ResolvedServer): number {
  if (pool.gpu && server.resources.gpus > 0) return server.resources.gpus / pool.gpu.perNode;
  return Math.max(server.resources.cpu / pool.cpuPerNode, server.resources.memoryGiB / pool.memoryGiBPerNode);
}

/** Monthly cost of the warm pools (minimum replicas) of a model's live versions, from the pool's hourly price. */
export function monthlyCost(model: ResolvedModel): number {
  return model.servers.reduce((sum, s) => sum + s.replicas.min * nodeShare(model.pool, s) * model.pool.hourlyPriceUsd * HOURS_PER_MONTH, 0);
}
